"""Maps drawn on the server as SVG: TopoJSON outlines decoded, projected, clipped to a frame and simplified.

Pure functions over data passed in: no file is read and no request is seen here (``geography`` finds the
outlines and the case's places). Every text that reaches the markup is escaped; the SVG carries its colours
as presentation attributes (never ``style``), so it obeys the Content-Security-Policy and also reads right
when saved on its own.

TopoJSON in brief: a topology's ``arcs`` are polylines; when it has a ``transform`` their points are
quantized integers, each one a delta from the one before (add them up, then scale and translate). A
polygon is a list of rings, a ring a list of arc indices; ``~i`` (a negative index) is arc ``i`` reversed.
Consecutive arcs of a ring share their joining point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import accumulate
from typing import Any

__all__ = ["Basemap", "Frame", "Label", "Marker", "Point", "basemap", "clip_line", "clip_ring", "decode_arc", "draw",
           "path_data", "place_labels", "ring", "shapes", "simplify", "text_width"]  # fmt: skip

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # west, south, east, north (degrees)
FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK KR', NanumGothic, 'Malgun Gothic', sans-serif"
# Colours of land, the focus country, sea, coasts, borders, the highlighted border, places, text (≥ 4.5:1 on land).
LAND, FOCUS, SEA, COAST, BORDER = "#ecebe6", "#fbf4df", "#d8e6ef", "#6b7780", "#8a949b"
RIVER, DOT, INK, QUIET = "#1f6fa8", "#1f5f8b", "#1d2327", "#4f5b63"
NAMED = "#a1260d"  # the square of a place claims name


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


@dataclass(frozen=True)
class Marker:
    """A place on the map: a circle whose area is proportional to ``count``, a label and a hover title."""

    lon: float
    lat: float
    count: int
    label: str
    title: str
    named: bool = False  # a place claims name (a square), not a place of origin (a circle)


@dataclass(frozen=True)
class Label:
    """A fixed text on the map (a country, a river), centred on its point; ``kind`` is its CSS class."""

    lon: float
    lat: float
    text: str
    kind: str = "country"
    angle: float = 0.0


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


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_data(lines: Iterable[Sequence[Point]], *, closed: bool) -> str:
    """SVG path data, coordinates rounded to 0.1 and repeated points dropped (``Z`` closes rings)."""
    parts: list[str] = []
    for line in lines:
        words: list[str] = []
        for x, y in line:
            word = f"{_number(x)} {_number(y)}"
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


# ------------------------------------------------------------------------------------------------ drawing

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG units
PLACE_SIZE, COUNTRY_SIZE, RIVER_SIZE = 12.0, 15.0, 11.0
SIZES = {"country": COUNTRY_SIZE, "river": RIVER_SIZE}


def text_width(text: str, size: float) -> float:
    """About how wide a text is drawn (Hangul and other wide characters count a full em)."""
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.3 if ch == " " else 0.58) for ch in text)


def _overlap(a: Rect, b: Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _spots(x: float, y: float, r: float, width: float) -> list[tuple[float, float, str, Rect]]:
    """Where a place's label may go, best first: (x, baseline y, anchor, box)."""
    s, gap, d = PLACE_SIZE, 3.0, r * 0.7
    up, down = s * 0.8, s * 0.25  # the box above and below a baseline
    spots = [(x + r + gap, y + s * 0.35, "start"), (x - r - gap, y + s * 0.35, "end"),  # right, left
             (x + d + gap, y - d - down, "start"), (x + d + gap, y + d + up, "start"),  # the corners
             (x - d - gap, y - d - down, "end"), (x - d - gap, y + d + up, "end"),
             (x, y - r - gap - down, "middle"), (x, y + r + gap + up, "middle")]  # above, below  # fmt: skip
    shift = {"start": 0.0, "end": -width, "middle": -width / 2}
    return [(tx, ty, a, (tx + shift[a], ty - up, tx + shift[a] + width, ty + down)) for tx, ty, a in spots]


def place_labels(
    circles: Sequence[tuple[float, float, float, str]], *, fixed: Sequence[Rect], width: float, height: float
) -> list[tuple[float, float, str]]:
    """A spot for each circle's label (x, y, r, text) that overlaps the fewest circles, labels and edges."""
    taken = [*fixed, *((x - r, y - r, x + r, y + r) for x, y, r, _ in circles)]
    view = (0.0, 0.0, width, height)
    chosen: list[tuple[float, float, str]] = []
    for x, y, r, text in circles:
        best: tuple[float, tuple[float, float, str, Rect]] | None = None
        for spot in _spots(x, y, r, text_width(text, PLACE_SIZE)):
            box = spot[3]
            outside = (box[2] - box[0]) * (box[3] - box[1]) - _overlap(box, view)
            cost = sum(_overlap(box, other) for other in taken) + 4 * outside
            if best is None or cost < best[0] - 1e-9:
                best = (cost, spot)
        assert best is not None
        tx, ty, anchor, box = best[1]
        taken.append(box)
        chosen.append((tx, ty, anchor))
    return chosen


def _text(x: float, y: float, text: str, *, kind: str, size: float, anchor: str, fill: str, extra: str = "") -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" class="{kind}" font-size="{_number(size)}" text-anchor="{anchor}" '
        f'fill="{fill}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"{extra}>'
        f"{escape(text)}</text>"
    )


def _legend(markers: Sequence[Marker], unit: float, caption: str, height: float, named: str = "") -> list[str]:
    """Circles for one witness and for the most, bottom left, so that sizes can be read (and, with ``named``,
    the square of a place claims name, captioned so)."""
    counts = sorted({1, max(m.count for m in markers)})
    radii = [unit * math.sqrt(c) for c in counts]
    base = height - 12 - PLACE_SIZE
    heading = _text(12, base - 2 * radii[-1] - 8, caption, kind="legend", size=PLACE_SIZE, anchor="start", fill=INK)
    out = [f'<g class="legend">{heading}']
    x = 12.0
    for count, r in zip(counts, radii, strict=True):
        x += r
        out.append(f'<circle cx="{_number(x)}" cy="{_number(base - r)}" r="{_number(r)}" fill="{DOT}" '
                   f'fill-opacity="0.55" stroke="{DOT}"/>')  # fmt: skip
        out.append(_text(x, base + PLACE_SIZE, str(count), kind="legend", size=PLACE_SIZE, anchor="middle", fill=INK))
        x += r + 18
    out.append("</g>")
    if named:
        side = 2 * unit
        caption_named = _text(x + side + 5, base, named, kind="legend", size=PLACE_SIZE, anchor="start", fill=INK)
        square = (f'<rect x="{_number(x)}" y="{_number(base - side)}" width="{_number(side)}" '
                  f'height="{_number(side)}" fill="none" stroke="{NAMED}" stroke-width="2"/>')  # fmt: skip
        out.append(f'<g class="legend">{square}{caption_named}</g>')
    return out


def _squares(named: Sequence[Marker], frame: Frame, unit: float, *, labelled: set[str]) -> list[str]:
    """The places claims name: a square whose area is proportional to the witnesses naming it, labelled unless
    a place of origin of the same name already is."""
    out = []
    for m in named:
        x, y = frame.project(m.lon, m.lat)
        half = unit * math.sqrt(max(m.count, 1)) + 2
        text = "" if m.label in labelled else _text(x + half + 4, y + 4, m.label, kind="place", size=PLACE_SIZE,
                                                      anchor="start", fill=INK)  # fmt: skip
        out.append(f'<g class="named"><title>{escape(m.title)}</title><rect x="{_number(x - half)}" '
                   f'y="{_number(y - half)}" width="{_number(2 * half)}" height="{_number(2 * half)}" fill="none" '
                   f'stroke="{NAMED}" stroke-width="2"/>{text}</g>')  # fmt: skip
    return out


def draw(
    base: Basemap, *, markers: Sequence[Marker], labels: Sequence[Label], title: str, description: str,
    legend: str, focus: str = "", max_radius: float = 22.0, named_legend: str = "",
) -> str:  # fmt: skip
    """The map as an SVG element: land, coasts, borders, fixed labels, then the places (area ∝ count)."""
    frame = base.frame
    w, h = _number(frame.width), _number(frame.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-labelledby="map-title map-desc" font-family="{escape(FONT)}">',
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>',
        f'<rect class="sea" width="{w}" height="{h}" fill="{SEA}"/>',
    ]
    for country, data in base.land:
        kind, fill = ("land focus", FOCUS) if country == focus else ("land", LAND)
        out.append(f'<path class="{kind}" d="{data}" fill="{fill}" fill-rule="evenodd"/>')
    lines = ((base.coast, "coast", COAST, "0.8", ""), (base.borders, "border", BORDER, "1", ' stroke-dasharray="5 3"'),
             (base.highlighted, "river", RIVER, "2", ""))  # fmt: skip
    for data, kind, colour, width, dash in lines:
        if data:
            out.append(f'<path class="{kind}" d="{data}" fill="none" stroke="{colour}" stroke-width="{width}" '
                       f'stroke-linejoin="round" stroke-linecap="round"{dash}/>')  # fmt: skip
    fixed: list[Rect] = []
    for label in labels:
        x, y = frame.project(label.lon, label.lat)
        size = SIZES.get(label.kind, PLACE_SIZE)
        half = text_width(label.text, size) / 2
        fixed.append((x - half, y - size, x + half, y + size * 0.3))
        turn = f' transform="rotate({_number(label.angle)} {_number(x)} {_number(y)})"' if label.angle else ""
        style = ' font-style="italic"' if label.kind == "river" else ' letter-spacing="1.5" font-weight="600"'
        colour = DOT if label.kind == "river" else QUIET  # darker than the river line: ≥ 4.5:1 on land
        out.append(_text(x, y, label.text, kind=label.kind, size=size, anchor="middle", fill=colour,
                         extra=style + turn))  # fmt: skip
    shown = [m for m in markers if frame.contains(m.lon, m.lat)]
    placed = sorted((m for m in shown if not m.named), key=lambda m: (-m.count, m.label))
    named = [m for m in shown if m.named]
    if shown:
        unit = min(6.0, max_radius / math.sqrt(max(m.count for m in shown)))
        out.extend(_squares(named, frame, unit, labelled={m.label for m in placed}))
        circles = [(*frame.project(m.lon, m.lat), unit * math.sqrt(m.count), m.label) for m in placed]
        spots = place_labels(circles, fixed=fixed, width=frame.width, height=frame.height)
        for marker, (x, y, r, text), (tx, ty, anchor) in zip(placed, circles, spots, strict=True):
            out.append(
                f'<g class="place"><title>{escape(marker.title)}</title>'
                f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(r)}" fill="{DOT}" fill-opacity="0.55" '
                f'stroke="{DOT}" stroke-width="1.2"/>'
                f"{_text(tx, ty, text, kind='place', size=PLACE_SIZE, anchor=anchor, fill=INK)}</g>"
            )
        out.extend(_legend(placed or named, unit, legend, frame.height, named_legend if named else ""))
    out.append("</svg>")
    return "\n".join(out)
