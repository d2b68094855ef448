"""The world's countries as SVG paths: Natural Earth's 1:50m shapes from the `world-atlas` npm package
(package.json; `make install` runs `npm ci`), decoded from TopoJSON and drawn in the Equal Earth
projection. Read once per process; nothing is fetched at run time.

Countries are keyed by their ISO 3166-1 numeric code, as world-atlas names them ("076" is Brazil). A
few shapes have no code (Kosovo, Somaliland, Northern Cyprus …): they are drawn, never shaded.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ATLAS_FILE = Path("node_modules") / "world-atlas" / "countries-50m.json"
WIDTH = 960  # the SVG's user units; the height follows the projection's aspect
GRAIN = 1  # points per unit kept
# Equal Earth (Šavrič, Patterson, Jenny 2018): its polynomial's coefficients.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_EDGE = math.pi / (M * A1)  # x at longitude 180°, latitude 0
Y_EDGE = (t := math.asin(M)) * (A1 + A2 * t**2 + t**6 * (A3 + A4 * t**2))  # y at latitude 90°
SCALE = WIDTH / (2 * X_EDGE)
HEIGHT = round(2 * Y_EDGE * SCALE)


@dataclass(frozen=True)
class Outline:
    code: str  # ISO 3166-1 numeric ("076"), "" when the shape has none
    name: str  # Natural Earth's English name
    path: str  # SVG path data in the map's user units


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """A point's position on the map, (0, 0) at the top left, `WIDTH` × `HEIGHT`."""
    theta = math.asin(M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(longitude) * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return WIDTH / 2 + x * SCALE, HEIGHT / 2 - y * SCALE


def atlas_path() -> Path:
    return Path(settings.BASE_DIR) / ATLAS_FILE


def _decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as (longitude, latitude) points: TopoJSON stores them quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    """A closed ring from its arcs (a negative index ~i is arc i reversed); shared ends once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _kept_on_one_side(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the 180th meridian (Fiji, Chukotka) would be drawn across the whole map:
    its points beyond the meridian are brought onto it, on the side where most of the ring lies. A
    ring around a pole (Antarctica) crosses it only once (its longitudes turn a whole circle) and is
    left as it is."""
    turned = 0.0  # the longitude the ring turns through, going round it once: 0, or ±360 around a pole
    for (before, _), (after, _) in zip(ring, [*ring[1:], ring[0]], strict=True):
        step = after - before
        turned += step - 360 if step > 180 else step + 360 if step < -180 else step
    crosses = any(abs(after[0] - before[0]) > 180 for before, after in zip(ring, ring[1:], strict=False))
    if not crosses or abs(turned) > 180:
        return ring
    meridian = 180.0 if sum(longitude for longitude, _ in ring) > 0 else -180.0
    return [
        (meridian, latitude) if longitude * meridian < 0 and abs(longitude) > 90 else (longitude, latitude)
        for longitude, latitude in ring
    ]


def _ring_path(points: list[tuple[float, float]]) -> str:
    """A ring of (longitude, latitude) points as path data in the map's units: in steps of a `GRAIN`
    of a unit, relative moves, repeated points dropped (most of the 1:50m detail is finer than that
    at this size); a ring that shrinks to under three points is drawn to nothing ("")."""
    grid: list[tuple[int, int]] = []
    for x, y in (project(longitude, latitude) for longitude, latitude in _kept_on_one_side(points)):
        point = (round(x * GRAIN), round(y * GRAIN))
        if not grid or grid[-1] != point:
            grid.append(point)
    if len(grid) > 1 and grid[-1] == grid[0]:
        grid.pop()
    if len(grid) < 3:
        return ""
    steps = [f"M{grid[0][0] / GRAIN:g},{grid[0][1] / GRAIN:g}"]
    for (x0, y0), (x1, y1) in zip(grid, grid[1:], strict=False):
        steps.append(f"l{(x1 - x0) / GRAIN:g},{(y1 - y0) / GRAIN:g}")
    return "".join(steps) + "Z"


def _geometry_path(arcs: list, geometry: dict) -> str:
    """A country's rings; one too small to draw at this size (Tuvalu, Nauru …) becomes a square of a
    unit's side at its first point, so that every country stays visible and clickable."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
    path = "".join(map(_ring_path, rings))
    if path or not rings:
        return path
    x, y = project(*rings[0][0])
    return f"M{x - 0.5:.1f},{y - 0.5:.1f}h1v1h-1Z"


@functools.cache
def outlines() -> tuple[Outline, ...]:
    """Every country shape of the atlas, by name; empty when the package is not installed (the map
    page then shows its table alone)."""
    try:
        topology = json.loads(atlas_path().read_text())
    except OSError:
        return ()
    arcs = _decoded_arcs(topology)
    shapes = [
        Outline(code=geometry.get("id", ""), name=geometry["properties"]["name"], path=path)
        for geometry in topology["objects"]["countries"]["geometries"]
        if geometry.get("type") in ("Polygon", "MultiPolygon") and (path := _geometry_path(arcs, geometry))
    ]
    return tuple(sorted(shapes, key=lambda shape: shape.name))
