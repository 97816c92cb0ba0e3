#!/usr/bin/env python3
"""Make the dashboard's map file: the countries of Europe, Africa and the Middle East, simplified.

The full `static/geo/countries-50m.geojson` (242 countries, about 440 KB gzipped) is too heavy for
the dashboard's first visit. This script keeps the polygons that reach into a box around Europe,
Africa and the Middle East, drops islands smaller than MIN_AREA square degrees (never a
country's largest polygon, so small states such as Malta stay), simplifies every ring with
Douglas-Peucker at TOLERANCE degrees and rounds coordinates to 2 decimals (about 1 km). Kosovo
(XKX) and its neighbours keep their own shapes; properties `a3` and `name` are kept.

Standard library only. Run from the project root:

    python3 scripts/simplify_geojson.py

and commit `static/geo/countries-europe-africa.geojson`. The output is deterministic.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "geo" / "countries-50m.geojson"
TARGET = ROOT / "static" / "geo" / "countries-europe-africa.geojson"

# west, south, east, north in degrees: Iceland to the Urals, the Cape to the Arctic coast.
REGION = (-26.0, -40.0, 75.0, 75.0)
EXCLUDE = {"GRL"}  # Greenland reaches into the box but belongs to no view of ours.
TOLERANCE = 0.02
MIN_AREA = 0.02
DECIMALS = 2
REQUIRED = {"XKX", "SRB", "MKD", "BIH", "ALB", "MNE", "HRV", "GRC", "RWA", "UGA", "GBR", "ITA"}


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def area(ring: list) -> float:
    return (
        abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2
    )


def in_region(ring: list) -> bool:
    west, south, east, north = REGION
    return any(west <= x <= east and south <= y <= north for x, y in ring)


def round_ring(ring: list) -> list:
    rounded = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def simplify_polygon(polygon: list) -> list | None:
    rings = []
    for ring in polygon:
        small = round_ring(simplify(ring, TOLERANCE))
        if len(small) >= 4:
            rings.append(small)
        elif not rings:
            return None  # the outer ring collapsed: drop the whole polygon
    return rings


def polygons_of(feature: dict) -> list:
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def simplify_feature(feature: dict) -> dict | None:
    polygons = [p for p in polygons_of(feature) if in_region(p[0])]
    if not polygons:
        return None
    largest = max(polygons, key=lambda p: area(p[0]))
    kept = [p for p in polygons if p is largest or area(p[0]) >= MIN_AREA]
    simplified = [s for s in (simplify_polygon(p) for p in kept) if s]
    if not simplified:
        return None
    return {
        "type": "Feature",
        "properties": {"a3": feature["properties"]["a3"], "name": feature["properties"]["name"]},
        "geometry": {"type": "MultiPolygon", "coordinates": simplified},
    }


def main() -> int:
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    features = []
    for feature in sorted(source["features"], key=lambda f: f["properties"]["a3"]):
        if feature["properties"]["a3"] in EXCLUDE:
            continue
        simplified = simplify_feature(feature)
        if simplified:
            features.append(simplified)
    missing = REQUIRED - {f["properties"]["a3"] for f in features}
    if missing:
        print(f"Missing required countries: {sorted(missing)}", file=sys.stderr)
        return 1
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    TARGET.write_text(text + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(features)} features, {len(text)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
