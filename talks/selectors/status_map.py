"""The status map as data: a Plotly figure (a plain dict) built from selector rows.

Pure functions: no database, no request, no browser. The page first shows the figure drawn by
the server as SVG (`talks.documents.static_map.render_web_map`); `static/js/status-map.js`
draws the dict with `Plotly.react` in its place when the user points at the map. Countries come
from the app's own GeoJSON (Kosovo is `XKX`, a country of its own), matched on
`properties.a3`; Plotly's built-in shapes are switched off (`geo.visible`). The legend is the
page's own (`map_legend`), under both.
"""

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any, cast

from django.conf import settings

from countries.geography import BALKANS, FRAMES, WESTERN_BALKANS, WORLD, shapes
from countries.routes import RouteData, RouteYear, route_label
from talks.rules.statuses import COLOURS, NO_STATUS_COLOUR, NOT_LISTED_COLOUR, Status, label
from talks.selectors.dashboard import Shortlist, ShortlistRow
from talks.selectors.kept import kept, key

# The simplified map file (scripts/simplify_geojson.py) and the full one, under STATIC_URL.
GEOJSON = "geo/countries-europe-africa.geojson"
FULL_GEOJSON = "geo/countries-50m.geojson"

BASE_COLOUR = NOT_LISTED_COLOUR  # the PDF map's too: one palette
BORDER_COLOUR = "#505a5f"
ROUTE_COLOUR = "#0b0c0c"
TEXT_COLOUR = "#0b0c0c"
# The outline of the country whose panel is open; status-map.js moves it when another opens.
SELECTED_UID = "selected-country"
# The other layers, by uid (the server's SVG drawing of the figure finds them so).
BASE_UID = "not-listed"
NAMES_UID = "country-names"
SMALL_UID = "small-countries"
ROUTE_UID = "route"
# In the Europe-and-Africa view a country whose shape spans less than this (degrees, its longer
# side) is a few pixels wide: Rwanda, Kosovo, Montenegro. It gets a marker in its status colour,
# with its name beside it, which can be seen and clicked on a phone as on a desktop.
SMALL_COUNTRY_DEGREES = 3.0


@lru_cache(maxsize=4)
def geojson_codes(path: str = GEOJSON) -> tuple[str, ...]:
    """The a3 codes of every feature in a static GeoJSON file (read once per process)."""
    for directory in settings.STATICFILES_DIRS:
        candidate = Path(directory) / path
        if candidate.exists():
            features = json.loads(candidate.read_text(encoding="utf-8"))["features"]
            return tuple(sorted(f["properties"]["a3"] for f in features))
    raise FileNotFoundError(path)


def _text(value: str) -> str:
    """Escape text for Plotly's small HTML subset (it decodes &amp; &lt; &gt; only)."""
    return escape(value, quote=False)


def hover_text(row: ShortlistRow) -> str:
    """Country, status, since when and the last event; user text escaped for Plotly's HTML."""
    lines = [f"<b>{_text(row.country_name)}</b>", _text(row.status_label)]
    if row.since:
        lines.append(f"Since {_text(row.since_label)}")
    if row.last_event_title:
        lines.append(f"Last event: {_text(row.last_event_title)} ({_text(row.last_event_label)})")
    else:
        lines.append("No events recorded by this date")
    return "<br>".join(lines)


def _status_trace(status: str, rows: Sequence[ShortlistRow], geojson_url: str) -> dict[str, Any]:
    colour = COLOURS.get(status, NO_STATUS_COLOUR)
    return {
        "type": "choropleth",
        "uid": f"status-{status or 'none'}",
        "name": label(status),
        "geojson": geojson_url,
        "featureidkey": "properties.a3",
        "locations": [row.country_code for row in rows],
        "z": [1] * len(rows),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, colour], [1, colour]],
        "showscale": False,
        "marker": {"line": {"color": ROUTE_COLOUR, "width": 1}},
        "text": [hover_text(row) for row in rows],
        "hoverinfo": "text",
        "customdata": [row.country_slug for row in rows],
    }


def _base_trace(codes: Iterable[str], geojson_url: str) -> dict[str, Any]:
    codes = list(codes)
    return {
        "type": "choropleth",
        "uid": BASE_UID,
        "geojson": geojson_url,
        "featureidkey": "properties.a3",
        "locations": codes,
        "z": [0] * len(codes),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, BASE_COLOUR], [1, BASE_COLOUR]],
        "showscale": False,
        "name": "Not in this scheme",
        "marker": {"line": {"color": BORDER_COLOUR, "width": 0.5}},
        "hoverinfo": "skip",
    }


def _selected_trace(code: str | None, geojson_url: str) -> dict[str, Any]:
    """A thick outline around the selected country (none when no country is selected)."""
    locations = [code] if code else []
    return {
        "type": "choropleth",
        "uid": SELECTED_UID,
        "name": "Selected country",
        "geojson": geojson_url,
        "featureidkey": "properties.a3",
        "locations": locations,
        "z": [1] * len(locations),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "marker": {"line": {"color": ROUTE_COLOUR, "width": 4}},
        "hoverinfo": "skip",
    }


def _placed(rows: Sequence[ShortlistRow]) -> list[ShortlistRow]:
    return [r for r in rows if r.label_longitude is not None and r.label_latitude is not None]


def is_small(code: str) -> bool:
    shape = shapes().get(code)
    if shape is None:
        return False
    west, south, east, north = shape.bbox
    return max(east - west, north - south) < SMALL_COUNTRY_DEGREES


def _in_western_balkans(row: ShortlistRow) -> bool:
    west, south, east, north = WESTERN_BALKANS
    lon, lat = row.label_longitude, row.label_latitude
    if lon is None or lat is None:
        return False
    return west <= lon <= east and south <= lat <= north


def _text_font() -> dict[str, Any]:
    # "auto" draws a halo in the background colour, so names stay readable over any fill.
    return {
        "family": "Arial, sans-serif",
        "size": NAME_SIZE,
        "color": TEXT_COLOUR,
        "shadow": "auto",
    }


def _name_trace(rows: Sequence[ShortlistRow]) -> dict[str, Any]:
    """The names of the countries on the list, as the PDF's map has them."""
    return {
        "type": "scattergeo",
        "uid": NAMES_UID,
        "name": "Country names",
        "mode": "text",
        "lon": [r.label_longitude for r in rows],
        "lat": [r.label_latitude for r in rows],
        "text": [_text(r.country_name) for r in rows],
        "textfont": _text_font(),
        "hoverinfo": "skip",
    }


def _small_country_trace(rows: Sequence[ShortlistRow]) -> dict[str, Any]:
    """Markers for countries too small to see at this scale, coloured by status and named."""
    return {
        "type": "scattergeo",
        "uid": SMALL_UID,
        "name": "Small countries",
        "mode": "markers+text",
        "lon": [r.label_longitude for r in rows],
        "lat": [r.label_latitude for r in rows],
        "text": [_text(r.country_name) for r in rows],
        "textposition": "middle right",
        "textfont": _text_font(),
        "marker": {
            "size": 14,
            "symbol": "circle",
            "color": [COLOURS.get(r.status, NO_STATUS_COLOUR) for r in rows],
            "line": {"color": ROUTE_COLOUR, "width": 1.5},
        },
        "hovertext": [hover_text(r) for r in rows],
        "hoverinfo": "text",
        "customdata": [r.country_slug for r in rows],
    }


def _name_traces(rows: Sequence[ShortlistRow], view: str) -> list[dict[str, Any]]:
    """Names for the Western Balkans view; in the Europe-and-Africa view the Balkan countries
    sit too close to name at that scale (their own view names them), and small countries away
    from them get a marker as well as a name."""
    placed = _placed(rows)
    if view != WORLD:
        return [_name_trace(placed)] if placed else []
    away = [r for r in placed if not _in_western_balkans(r)]
    small = [r for r in away if is_small(r.country_code)]
    large = [r for r in away if not is_small(r.country_code)]
    traces = [_name_trace(large)] if large else []
    return traces + ([_small_country_trace(small)] if small else [])


def _route_trace(route: RouteData, figure: RouteYear | None) -> dict[str, Any]:
    return {
        "type": "scattergeo",
        "uid": ROUTE_UID,
        "name": route_label(route, figure),
        "mode": "lines+markers",
        "lon": [w.longitude for w in route.waypoints],
        "lat": [w.latitude for w in route.waypoints],
        "line": {"color": ROUTE_COLOUR, "width": 3, "dash": "dash"},
        "marker": {"size": 6, "color": ROUTE_COLOUR},
        "text": [f"{_text(w.place)} ({_text(w.country_name)})" for w in route.waypoints],
        "hoverinfo": "text",
    }


def _range(values: list[float], default: tuple[float, float], pad: float) -> list[float]:
    return [
        min([default[0], *(v - pad for v in values)]),
        max([default[1], *(v + pad for v in values)]),
    ]


def _geo(view: str, rows: Sequence[ShortlistRow]) -> dict[str, Any]:
    frame = FRAMES[view]
    lon, lat = list(frame["lon"]), list(frame["lat"])
    if view == WORLD:  # widen the frame to take in every country on the list
        placed = [r for r in rows if r.label_longitude is not None and r.label_latitude is not None]
        lon = _range([cast(float, r.label_longitude) for r in placed], frame["lon"], 8)
        lat = _range([cast(float, r.label_latitude) for r in placed], frame["lat"], 6)
    return {
        "visible": False,
        # Plotly fetches <scope>_110m.json even with its shapes off: a small regional file
        # (13 KB gzipped) rather than world_110m.json (109 KB); our ranges set the frame.
        "scope": "europe" if view == BALKANS else "africa",
        "resolution": 110,
        "projection": {"type": frame["projection"], "rotation": {"lon": frame["rotation"]}},
        "lonaxis": {"range": lon},
        "lataxis": {"range": lat},
        "bgcolor": "rgba(0,0,0,0)",
        "showframe": False,
    }


def _geojson_for(rows: Sequence[ShortlistRow], base_codes: Sequence[str], static_url: str) -> str:
    """The small file when it holds every country on the list, else the full world file."""
    missing = {row.country_code for row in rows} - set(base_codes)
    return static_url + (FULL_GEOJSON if missing else GEOJSON)


def build_status_map(
    rows: Sequence[ShortlistRow],
    route: RouteData | None,
    view: str = BALKANS,
    *,
    route_year: int | None = None,
    base_codes: Sequence[str] | None = None,
    static_url: str | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """The Plotly figure ({"data", "layout", "config"}) of `rows` coloured by status.

    One grey layer of every country, then one trace per status (legend entries name the
    statuses; the colour is never the only carrier), the outline of the `selected` country (a3
    code), the route as a dashed line, and the names of the countries on the list.
    """
    view = view if view in FRAMES else BALKANS
    base_codes = geojson_codes() if base_codes is None else base_codes
    static_url = settings.STATIC_URL if static_url is None else static_url
    static_url = static_url if static_url.startswith("/") else "/" + static_url
    geojson_url = _geojson_for(rows, base_codes, static_url)
    data = [_base_trace(base_codes, geojson_url)]
    for status in [*Status, ""]:
        with_status = [row for row in rows if row.status == status]
        if with_status:
            data.append(_status_trace(status, with_status, geojson_url))
    data.append(_selected_trace(selected, geojson_url))
    if route and route.waypoints:
        data.append(_route_trace(route, route.figure_for(route_year)))
    data.extend(_name_traces(rows, view))
    return {
        "data": data,
        "layout": _layout(view, rows),
        "config": _config(),
        "narrow": _narrow(view),
    }


def cached_status_map(
    shortlist: Shortlist,
    route: RouteData | None,
    view: str = BALKANS,
    *,
    route_year: int | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """`build_status_map` of a shortlist, kept in the pages cache under the shortlist's key (which
    changes with every write its reader can see) and everything else the figure is made of."""
    parts = (shortlist.key, view, route_year, selected, route, settings.STATIC_URL)
    figure: dict[str, Any] = kept(
        key("map", *parts),
        lambda: build_status_map(
            shortlist.rows, route, view, route_year=route_year, selected=selected
        ),
    )
    return figure


# Below this plot width (CSS pixels: a phone) status-map.js applies "narrow" to the figure.
NARROW_WIDTH = 600
NAME_SIZE = 13


def _narrow(view: str) -> dict[str, Any]:
    """Changes for a phone-sized map: in the Western Balkans view the frame closes in on the
    countries themselves (the route runs on past its edges) and names are smaller, so that six
    names fit in 300 pixels. The map's height follows its width and the frame's shape (the
    server's SVG sets it; Plotly takes the same height)."""
    changes: dict[str, Any] = {"below": NARROW_WIDTH, "name_size": 10}
    if view == BALKANS:
        west, south, east, north = WESTERN_BALKANS
        changes["geo"] = {"lonaxis.range": [west, east], "lataxis.range": [south, north]}
    return changes


def _layout(view: str, rows: Sequence[ShortlistRow]) -> dict[str, Any]:
    return {
        "geo": _geo(view, rows),
        "height": FRAMES[view]["height"],
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "#ffffff",
        "font": {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        "showlegend": False,
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#0b0c0c", "font": {"size": 14}},
        "dragmode": False,
    }


def _config() -> dict[str, Any]:
    return {
        "responsive": True,
        "displaylogo": False,
        "displayModeBar": False,
        "scrollZoom": False,
    }


def map_legend(figure: dict[str, Any]) -> list[dict[str, str]]:
    """The legend under the map: each status on it (in the figure's order), then the countries
    not in the scheme and the route, if drawn. `key` names the swatch (`app-status__swatch--…`)."""
    entries = []
    for trace in figure["data"]:
        uid = trace.get("uid", "")
        if uid.startswith("status-"):
            entries.append({"key": uid.removeprefix("status-"), "label": trace["name"]})
    entries.append({"key": "not-listed", "label": "Not in this scheme"})
    route = next((t for t in figure["data"] if t.get("uid") == ROUTE_UID), None)
    if route:
        entries.append({"key": "route", "label": route["name"]})
    return entries
