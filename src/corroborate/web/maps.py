"""Maps drawn on the server as SVG: a base map (``basemaps``), fixed labels, and the places, sized by count.

Pure functions over data passed in: no file is read and no request is seen here (``geography`` finds the
outlines and the case's places). Every text that reaches the markup is escaped; the SVG carries its colours
as presentation attributes (never ``style``), so it obeys the Content-Security-Policy and also reads right
when saved on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .basemaps import Basemap, Frame, svg_number

__all__ = ["Label", "Marker", "draw", "place_labels", "text_width"]

FONT = "system-ui, 'Noto Sans', 'Noto Sans CJK KR', NanumGothic, 'Malgun Gothic', sans-serif"
# Colours of land, the focus country, sea, coasts, borders, the highlighted border, places, text (≥ 4.5:1 on land).
LAND, FOCUS, SEA, COAST, BORDER = "#ecebe6", "#fbf4df", "#d8e6ef", "#6b7780", "#8a949b"
RIVER, DOT, INK, QUIET = "#1f6fa8", "#1f5f8b", "#1d2327", "#4f5b63"
NAMED = "#a1260d"  # the square of a place claims name


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
        f'<text x="{svg_number(x)}" y="{svg_number(y)}" class="{kind}" font-size="{svg_number(size)}" '
        f'text-anchor="{anchor}" fill="{fill}" stroke="#fff" stroke-width="3" stroke-linejoin="round" '
        f'paint-order="stroke"{extra}>'
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
        out.append(f'<circle cx="{svg_number(x)}" cy="{svg_number(base - r)}" r="{svg_number(r)}" fill="{DOT}" '
                   f'fill-opacity="0.55" stroke="{DOT}"/>')  # fmt: skip
        out.append(_text(x, base + PLACE_SIZE, str(count), kind="legend", size=PLACE_SIZE, anchor="middle", fill=INK))
        x += r + 18
    out.append("</g>")
    if named:
        side = 2 * unit
        caption_named = _text(x + side + 5, base, named, kind="legend", size=PLACE_SIZE, anchor="start", fill=INK)
        square = (f'<rect x="{svg_number(x)}" y="{svg_number(base - side)}" width="{svg_number(side)}" '
                  f'height="{svg_number(side)}" fill="none" stroke="{NAMED}" stroke-width="2"/>')  # fmt: skip
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
        out.append(f'<g class="named"><title>{escape(m.title)}</title><rect x="{svg_number(x - half)}" '
                   f'y="{svg_number(y - half)}" width="{svg_number(2 * half)}" height="{svg_number(2 * half)}" '
                   f'fill="none" stroke="{NAMED}" stroke-width="2"/>{text}</g>')  # fmt: skip
    return out


def draw(
    base: Basemap, *, markers: Sequence[Marker], labels: Sequence[Label], title: str, description: str,
    legend: str, focus: str = "", max_radius: float = 22.0, named_legend: str = "",
) -> str:  # fmt: skip
    """The map as an SVG element: land, coasts, borders, fixed labels, then the places (area ∝ count)."""
    frame = base.frame
    w, h = svg_number(frame.width), svg_number(frame.height)
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
        turn = f' transform="rotate({svg_number(label.angle)} {svg_number(x)} {svg_number(y)})"' if label.angle else ""
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
                f'<circle cx="{svg_number(x)}" cy="{svg_number(y)}" r="{svg_number(r)}" fill="{DOT}" '
                f'fill-opacity="0.55" stroke="{DOT}" stroke-width="1.2"/>'
                f"{_text(tx, ty, text, kind='place', size=PLACE_SIZE, anchor=anchor, fill=INK)}</g>"
            )
        out.extend(_legend(placed or named, unit, legend, frame.height, named_legend if named else ""))
    out.append("</svg>")
    return "\n".join(out)
