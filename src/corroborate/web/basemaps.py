"""Base maps: TopoJSON outlines decoded, clipped to a frame, projected and simplified into SVG path data.

Pure functions over data passed in: no file is read and no request is seen here (``geography`` finds the
outlines, ``maps`` draws the map over the base map made here).

TopoJSON in brief: a topology's ``arcs`` are polylines; when it has a ``transform`` their points are
quantized integers, each one a delta from the one before (add them up, then scale and translate). A
polygon is a list of rings, a ring a list of arc indices; ``~i`` (a negative index) is arc ``i`` reversed.
Consecutive arcs of a ring share their joining point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

__all__ = ["Basemap", "Frame", "Point", "basemap", "clip_line", "clip_ring", "decode_arc", "path_data", "ring",
           "shapes", "simplify", "svg_number"]  # fmt: skip

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # west, south, east, north (degrees)


@dataclass(frozen=True)
class Frame:
    """A lon/lat box drawn with an equirectangular projection, longitudes shrunk by cos(mid-latitude)."""

    west: float
    south: float
    east: float
    north: float
    scale: float = 100.0  # SVG units per degree of latitude

    @property
    def stretch(self) -> float:
        """SVG units per degree of longitude."""
        return self.scale * math.cos(math.radians((self.south + self.north) / 2))

    @property
    def width(self) -> float:
        return (self.east - self.west) * self.stretch

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.scale

    @property
    def box(self) -> Box:
        return (self.west, self.south, self.east, self.north)

    def project(self, lon: float, lat: float) -> Point:
        """SVG x, y of a point: x grows eastward, y southward (north is up)."""
        return ((lon - self.west) * self.stretch, (self.north - lat) * self.scale)

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass(frozen=True)
class Shape:
    """One geometry of a topology: its name and polygons, each a list of rings of arc indices."""

    name: str
    polygons: tuple[tuple[tuple[int, ...], ...], ...]

    def arcs(self) -> list[int]:
        return [index for polygon in self.polygons for indices in polygon for index in indices]


@dataclass(frozen=True)
class Basemap:
    """The outlines of a frame as SVG path data: land by country, coasts, borders, highlighted borders."""

    frame: Frame
    land: tuple[tuple[str, str], ...]  # (country name, path data)
    coast: str
    borders: str
    highlighted: str


def decode_arc(raw: Sequence[Sequence[float]], transform: Mapping[str, Any] | None) -> list[Point]:
    """An arc's points in lon/lat: delta-decoded and transformed when the topology is quantized."""
    if transform is None:
        return [(float(p[0]), float(p[1])) for p in raw]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    xs, ys = accumulate(p[0] for p in raw), accumulate(p[1] for p in raw)
    return [(x * sx + tx, y * sy + ty) for x, y in zip(xs, ys, strict=True)]


def ring(indices: Iterable[int], arc: Callable[[int], list[Point]]) -> list[Point]:
    """The points of a ring made of arcs (``~i`` reversed), each joining point once."""
    points: list[Point] = []
    for index in indices:
        part = arc(index) if index >= 0 else arc(~index)[::-1]
        points.extend(part[1:] if points else part)
    return points


def shapes(topology: Mapping[str, Any], name: str) -> list[Shape]:
    """The polygons of the object ``name`` (a GeometryCollection, Polygon or MultiPolygon); others skipped."""
    found: list[Shape] = []
    todo = [topology["objects"][name]]
    while todo:
        geometry = todo.pop()
        kind = geometry.get("type")
        label = str((geometry.get("properties") or {}).get("name", geometry.get("id", "")))
        if kind == "GeometryCollection":
            todo.extend(reversed(geometry["geometries"]))
        elif kind == "Polygon":
            found.append(Shape(label, (tuple(tuple(r) for r in geometry["arcs"]),)))
        elif kind == "MultiPolygon":
            found.append(Shape(label, tuple(tuple(tuple(r) for r in p) for p in geometry["arcs"])))
    return found


def _crossing(a: Point, b: Point, axis: int, at: float) -> Point:
    t = (at - a[axis]) / (b[axis] - a[axis])
    other = 1 - axis
    value = a[other] + t * (b[other] - a[other])
    return (at, value) if axis == 0 else (value, at)


def clip_ring(points: Sequence[Point], box: Box) -> list[Point]:
    """A closed ring cut to a box (Sutherland–Hodgman): what lies outside follows the box's edges."""
    west, south, east, north = box
    edges = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))  # axis, where, keep above
    out = list(points)
    for axis, at, above in edges:
        if not out:
            break
        kept: list[Point] = []
        previous = out[-1]
        for current in out:
            now_in = current[axis] >= at if above else current[axis] <= at
            was_in = previous[axis] >= at if above else previous[axis] <= at
            if now_in != was_in:
                kept.append(_crossing(previous, current, axis, at))
            if now_in:
                kept.append(current)
            previous = current
        out = kept
    return out


def clip_line(points: Sequence[Point], box: Box) -> list[list[Point]]:
    """The runs of a polyline that touch a box, each with one point beyond it at either end (for crop)."""
    west, south, east, north = box
    inside = [west <= x <= east and south <= y <= north for x, y in points]
    runs: list[list[Point]] = []
    current: list[Point] = []
    for i, point in enumerate(points):
        if inside[i] or (i > 0 and inside[i - 1]) or (i + 1 < len(points) and inside[i + 1]):
            current.append(point)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [run for run in runs if len(run) > 1]


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the points that keep the line within ``tolerance`` of where it was."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        far, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def svg_number(value: float) -> str:
    """A coordinate or size as the SVG writes it: rounded to 0.1, without trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_data(lines: Iterable[Sequence[Point]], *, closed: bool) -> str:
    """SVG path data, coordinates rounded to 0.1 and repeated points dropped (``Z`` closes rings)."""
    parts: list[str] = []
    for line in lines:
        words: list[str] = []
        for x, y in line:
            word = f"{svg_number(x)} {svg_number(y)}"
            if not words or words[-1] != word:
                words.append(word)
        if closed and len(words) > 1 and words[0] == words[-1]:
            words.pop()
        if len(words) >= (3 if closed else 2):
            parts.append("M" + " ".join(words) + ("Z" if closed else ""))
    return "".join(parts)


def _area(points: Sequence[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, [*points[1:], points[0]], strict=True))) / 2


def basemap(
    topology: Mapping[str, Any], frame: Frame, *, name: str = "countries", margin: float = 0.3,
    tolerance: float = 0.3, highlight: Iterable[tuple[str, str]] = (),
) -> Basemap:  # fmt: skip
    """The outlines of the geometries that reach ``frame`` (widened by ``margin`` degrees, so that the box's
    own edges lie outside the view); arcs of countries whose bounds miss it are never decoded. An arc shared
    by two countries is a border (``highlight``: the pairs drawn apart), one used once is a coast."""
    transform = topology.get("transform")
    raw = topology["arcs"]
    west, south, east, north = frame.box
    box = (west - margin, south - margin, east + margin, north + margin)
    decoded: dict[int, list[Point]] = {}

    def arc(index: int) -> list[Point]:
        if index not in decoded:
            decoded[index] = decode_arc(raw[index], transform)
        return decoded[index]

    bounds = [_bounds(points, transform) for points in raw]
    near = {i for i, b in enumerate(bounds) if _meets(b, box)}
    chosen = [s for s in shapes(topology, name) if _meets(_union(bounds[_abs(i)] for i in s.arcs()), box)]
    users: dict[int, list[str]] = {}
    land: list[tuple[str, str]] = []

    def projected(points: Iterable[Point]) -> list[Point]:
        return simplify([frame.project(lon, lat) for lon, lat in points], tolerance)

    for shape in chosen:
        rings: list[list[Point]] = []
        for index in shape.arcs():
            users.setdefault(_abs(index), []).append(shape.name)
        for polygon in shape.polygons:
            for indices in polygon:
                cut = clip_ring(ring(indices, arc), box)
                if len(cut) >= 3 and _area(cut) > 1e-6:
                    rings.append(projected(cut))
        data = path_data(rings, closed=True)
        if data:
            land.append((shape.name, data))
    pairs = {frozenset(pair) for pair in highlight}
    lines: dict[str, list[list[Point]]] = {"coast": [], "borders": [], "highlighted": []}
    for index in sorted(near & set(users)):
        owners = users[index]
        kind = "coast" if len(set(owners)) == 1 else "highlighted" if frozenset(owners) in pairs else "borders"
        lines[kind].extend(projected(run) for run in clip_line(arc(index), box))
    coast, borders, highlighted = (path_data(lines[k], closed=False) for k in ("coast", "borders", "highlighted"))
    return Basemap(frame, tuple(land), coast, borders, highlighted)


def _abs(index: int) -> int:
    return index if index >= 0 else ~index


def _bounds(raw: Sequence[Sequence[float]], transform: Mapping[str, Any] | None) -> Box:
    """An arc's west, south, east and north (summed in quantized units, converted once)."""
    if transform is None:
        xs, ys = [p[0] for p in raw], [p[1] for p in raw]
        return (min(xs), min(ys), max(xs), max(ys))
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    xs, ys = list(accumulate(p[0] for p in raw)), list(accumulate(p[1] for p in raw))
    return (min(xs) * sx + tx, min(ys) * sy + ty, max(xs) * sx + tx, max(ys) * sy + ty)


def _union(boxes: Iterable[Box]) -> Box:
    west, south, east, north = zip(*boxes, strict=True)
    return (min(west), min(south), max(east), max(north))


def _meets(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
