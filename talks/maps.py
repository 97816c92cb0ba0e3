"""The status map as data: a Plotly figure (a plain dict) built from selector rows.

Pure functions: no database, no request, no browser. `static/js/status-map.js` draws the dict
with `Plotly.react`. Countries come from the app's own GeoJSON (Kosovo is `XKX`, a country of its
own), matched on `properties.a3`; Plotly's built-in shapes are switched off (`geo.visible`).
"""

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

from django.conf import settings

from talks.selectors import NO_STATUS_COLOUR, RouteData, RouteYear, ShortlistRow
from talks.statuses import COLOURS, Status, label

BALKANS = "balkans"
WORLD = "world"
VIEWS = {BALKANS: "Western Balkans", WORLD: "Europe and Africa"}

# The simplified map file (scripts/simplify_geojson.py) and the full one, under STATIC_URL.
GEOJSON = "geo/countries-europe-africa.geojson"
FULL_GEOJSON = "geo/countries-50m.geojson"

BASE_COLOUR = "#E8E8E8"
BORDER_COLOUR = "#505a5f"
ROUTE_COLOUR = "#0b0c0c"

# lon/lat ranges: the Western Balkans with the route from Istanbul to Vienna; Europe and Africa.
FRAMES = {
    BALKANS: {"lon": (9.0, 33.0), "lat": (37.3, 48.8), "projection": "mercator", "height": 460},
    WORLD: {
        "lon": (-25.0, 65.0),
        "lat": (-36.0, 62.0),
        "projection": "natural earth",
        "height": 600,
    },
}


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


def _status_trace(status: str, rows: Sequence[ShortlistRow], geojson_url: str) -> dict:
    colour = COLOURS.get(status, NO_STATUS_COLOUR)
    return {
        "type": "choropleth",
        "name": label(status),
        "legendgroup": status or "none",
        "geojson": geojson_url,
        "featureidkey": "properties.a3",
        "locations": [row.country_code for row in rows],
        "z": [1] * len(rows),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, colour], [1, colour]],
        "showscale": False,
        "showlegend": True,
        "marker": {"line": {"color": ROUTE_COLOUR, "width": 1}},
        "text": [hover_text(row) for row in rows],
        "hoverinfo": "text",
        "customdata": [row.country_slug for row in rows],
    }


def _base_trace(codes: Iterable[str], geojson_url: str) -> dict:
    codes = list(codes)
    return {
        "type": "choropleth",
        "name": "Other countries",
        "geojson": geojson_url,
        "featureidkey": "properties.a3",
        "locations": codes,
        "z": [0] * len(codes),
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, BASE_COLOUR], [1, BASE_COLOUR]],
        "showscale": False,
        "showlegend": False,
        "marker": {"line": {"color": BORDER_COLOUR, "width": 0.5}},
        "hoverinfo": "skip",
    }


def route_label(route: RouteData, figure: RouteYear | None) -> str:
    if figure is None:
        return route.name
    about = "about " if figure.is_approximate else ""
    return f"{route.name}: {about}{figure.count:,} detections in {figure.year}"


def _route_trace(route: RouteData, figure: RouteYear | None) -> dict:
    return {
        "type": "scattergeo",
        "name": route_label(route, figure),
        "mode": "lines+markers",
        "lon": [w.longitude for w in route.waypoints],
        "lat": [w.latitude for w in route.waypoints],
        "line": {"color": ROUTE_COLOUR, "width": 3, "dash": "dash"},
        "marker": {"size": 6, "color": ROUTE_COLOUR},
        "text": [f"{_text(w.place)} ({_text(w.country_name)})" for w in route.waypoints],
        "hoverinfo": "text",
        "showlegend": True,
    }


def _range(values: list[float], default: tuple[float, float], pad: float) -> list[float]:
    return [
        min([default[0], *(v - pad for v in values)]),
        max([default[1], *(v + pad for v in values)]),
    ]


def _geo(view: str, rows: Sequence[ShortlistRow]) -> dict:
    frame = FRAMES[view]
    lon, lat = list(frame["lon"]), list(frame["lat"])
    if view == WORLD:  # widen the frame to take in every country on the list
        placed = [r for r in rows if r.label_longitude is not None and r.label_latitude is not None]
        lon = _range([r.label_longitude for r in placed], frame["lon"], 8)
        lat = _range([r.label_latitude for r in placed], frame["lat"], 6)
    return {
        "visible": False,
        # Plotly fetches <scope>_110m.json even with its shapes off: a small regional file
        # (13 KB gzipped) rather than world_110m.json (109 KB); our ranges set the frame.
        "scope": "europe" if view == BALKANS else "africa",
        "resolution": 110,
        "projection": {"type": frame["projection"]},
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
) -> dict:
    """The Plotly figure ({"data", "layout", "config"}) of `rows` coloured by status.

    One grey layer of every country, then one trace per status (legend entries name the
    statuses; the colour is never the only carrier), then the route as a dashed line.
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
    if route and route.waypoints:
        data.append(_route_trace(route, route.figure_for(route_year)))
    return {"data": data, "layout": _layout(view, rows), "config": _config()}


def _layout(view: str, rows: Sequence[ShortlistRow]) -> dict:
    return {
        "geo": _geo(view, rows),
        "height": FRAMES[view]["height"],
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "#ffffff",
        "font": {"family": "Arial, sans-serif", "size": 14, "color": "#0b0c0c"},
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.9)",
        },
        "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#0b0c0c", "font": {"size": 14}},
        "dragmode": False,
    }


def _config() -> dict:
    return {
        "responsive": True,
        "displaylogo": False,
        "displayModeBar": False,
        "scrollZoom": False,
    }
