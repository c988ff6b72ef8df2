"""Charts of a linkage as standalone SVG: who is on which list (UpSet style) and the match weights of the
scored pairs.

The SVG is written here, by hand: no plotting library, no script, no web font, no link to anything; a
browser, an image viewer or a word processor shows it offline. Every bar carries its numbers as ``data-``
attributes and a ``<title>`` (the tooltip), so a test or a reader can check the chart against the tables.
Counts and weights only: never a name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from .population import CaptureHistories

__all__ = ["overlap_svg", "weight_histogram_svg"]

_FONT = 12
_SMALL = 10
_INK, _FAINT, _STRIPE = "#333333", "#d9d9d9", "#f3f3f3"
_LINKED, _REVIEW = "#4a78a8", "#e3a33b"


def _width(text: str, size: float = _FONT) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font of ``size`` pixels."""
    return len(text) * size * 0.62


def _text(x: float, y: float, text: str, *, size: int = _FONT, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
            f"{escape(text)}</text>")  # fmt: skip


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" fill="{_INK}" role="img">')  # fmt: skip
    background = f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>'
    return "\n".join([head, f"<title>{escape(title)}</title>", background, *body, "</svg>"]) + "\n"


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``, about ``count`` of them."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def overlap_svg(histories: CaptureHistories, *, most: int = 40) -> str:
    """An UpSet chart of ``histories``: a column for each combination of lists (the ``most`` largest),
    its bar the number of people on exactly those lists, its dots the lists; on the left, the people on
    each list."""
    lists = histories.lists
    rows = sorted(histories.rows, key=lambda row: -row[1])  # stable: ties keep the histories' order
    shown, hidden = rows[:most], rows[most:]
    sizes = [sum(count for pattern, count in histories.rows if pattern[i]) for i in range(len(lists))]
    column, row_height, bar_height, label_room = 28, 24, 170, 44
    set_width = 130
    label_width = max(40.0, max((_width(name) for name in lists), default=0) + 14)
    x0 = 10 + set_width + label_width + 10
    title = "Who is on which list"
    subtitle = (f"{histories.observed:,} people on at least one of {len(lists)} lists; a column counts the people "
                "on exactly the lists marked below it")  # fmt: skip
    width = max(x0 + len(shown) * column + 20, _width(subtitle) + 30, 360)
    top = 58
    matrix_top = top + label_room + bar_height + 10
    height = matrix_top + len(lists) * row_height + 46 + (18 if hidden else 0)
    body = [_text(15, 24, title, size=15, extra=' font-weight="bold"'), _text(15, 44, subtitle, size=_FONT)]
    tallest = max((count for _, count in shown), default=0)
    base = top + label_room + bar_height
    ticks = _ticks(tallest)
    scale = bar_height / ticks[-1]
    axis_x = x0 - 6
    body.append(f'<line x1="{axis_x}" y1="{base}" x2="{axis_x}" y2="{base - ticks[-1] * scale:.1f}" stroke="{_INK}"/>')
    for tick in ticks:
        y = base - tick * scale
        body.append(f'<line x1="{axis_x - 4}" y1="{y:.1f}" x2="{axis_x}" y2="{y:.1f}" stroke="{_INK}"/>')
        body.append(_text(axis_x - 7, y + 4, _number(tick), size=_SMALL, anchor="end"))
    body.append(_text(axis_x - 7, top + label_room - 16, "people", size=_SMALL, anchor="end"))
    for i, (pattern, count) in enumerate(shown):
        held = [name for name, on in zip(lists, pattern, strict=True) if on]
        x = x0 + i * column
        bar = count * scale
        label = f"{count:,}"
        tip = f"{' and '.join(held)} only: {count:,} people" if len(held) < len(lists) else f"all lists: {count:,}"
        body.append(f"<g class=\"combination\" data-lists={quoteattr(','.join(held))} data-people=\"{count}\">"
                    f"<title>{escape(tip)}</title><rect x=\"{x + 4}\" y=\"{base - bar:.1f}\" "
                    f'width="{column - 8}" height="{bar:.1f}" fill="{_INK}"/>')  # fmt: skip
        if _width(label, _SMALL) <= column - 2:
            body.append(_text(x + column / 2, base - bar - 4, label, size=_SMALL, anchor="middle"))
        else:
            at = (x + column / 2 + 3.5, base - bar - 4)
            turn = f' transform="rotate(-90 {at[0]:.1f} {at[1]:.1f})"'
            body.append(_text(*at, label, size=_SMALL, extra=turn))
        members = [j for j, on in enumerate(pattern) if on]
        cx = x + column / 2
        if len(members) > 1:
            y1, y2 = (matrix_top + (j + 0.5) * row_height for j in (members[0], members[-1]))
            body.append(f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2}" stroke="{_INK}" stroke-width="2"/>')
        for j, on in enumerate(pattern):
            fill = _INK if on else _FAINT
            body.append(f'<circle cx="{cx}" cy="{matrix_top + (j + 0.5) * row_height}" r="6" fill="{fill}"/>')
        body.append("</g>")
    largest = max(sizes, default=0) or 1
    room = set_width - 52
    for j, (name, size) in enumerate(zip(lists, sizes, strict=True)):
        y = matrix_top + j * row_height
        if j % 2 == 0:
            stripe = x0 + len(shown) * column - 10
            body.insert(0, f'<rect x="10" y="{y}" width="{stripe:.0f}" height="{row_height}" fill="{_STRIPE}"/>')
        right = 10 + set_width
        bar = size / largest * room
        body.append(f'<g class="list" data-list={quoteattr(name)} data-people="{size}">'
                    f"<title>{escape(f'list {name}: {size:,} people')}</title>"
                    f'<rect x="{right - bar:.1f}" y="{y + 5}" width="{bar:.1f}" height="{row_height - 10}" '
                    f'fill="{_LINKED}"/></g>')  # fmt: skip
        body.append(_text(right - bar - 4, y + row_height / 2 + 4, f"{size:,}", size=_SMALL, anchor="end"))
        body.append(_text(right + label_width - 4, y + row_height / 2 + 4, name, anchor="end"))
    bottom = matrix_top + len(lists) * row_height
    body.append(_text(10 + set_width, bottom + 16, "people on the list", size=_SMALL, anchor="end"))
    if hidden:
        body.append(_text(15, bottom + 38, f"{len(hidden):,} smaller combinations ({sum(c for _, c in hidden):,} "
                                           "people) not shown", size=_SMALL))  # fmt: skip
    return _svg(width, height, title, body)


def _weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def weight_histogram_svg(weights: Sequence[float], *, threshold: float, pairs_from: float, most_bins: int = 60) -> str:
    """A histogram of the match weights of the scored pairs (from match probability ``pairs_from``), the
    pairs at or above ``threshold`` (one person) apart from those below it (kept for review)."""
    cut = _weight(threshold)
    low = min([*weights, _weight(pairs_from)])
    high = max([*weights, cut + 1])
    step = max(1.0, float(math.ceil((high - low) / most_bins)))
    first = cut - math.ceil((cut - low) / step) * step  # bin edges fall on the threshold
    count = max(1, math.ceil((high - first) / step + 1e-9))
    if first + count * step <= high:
        count += 1
    bins = [0] * count
    for value in weights:
        bins[min(count - 1, int((value - first) // step))] += 1
    left, right, top, plot_height = 64, 24, 86, 240
    plot_width = max(480, count * 12)
    width, height = left + plot_width + right, top + plot_height + 56
    base = top + plot_height
    title = "Match weights of the scored pairs"
    subtitle = f"{len(weights):,} pairs scored at match probability {pairs_from:g} or more"
    body = [_text(15, 24, title, size=15, extra=' font-weight="bold"'), _text(15, 44, subtitle)]
    body += [f'<rect x="15" y="56" width="12" height="12" fill="{_LINKED}"/>',
             _text(32, 66, f"one person: match probability {threshold:g} or more", size=_SMALL),
             f'<rect x="{width / 2 + 10:.0f}" y="56" width="12" height="12" fill="{_REVIEW}"/>',
             _text(width / 2 + 27, 66, "below the threshold: not linked, for review", size=_SMALL)]  # fmt: skip
    filled = [n for n in bins if n]
    logarithmic = bool(filled) and max(filled) > 20 * min(filled)  # small bins stay visible beside a tall one
    if logarithmic:  # 1 pair is one unit tall, 10 pairs two units ...
        ticks = [10.0**k for k in range(math.ceil(math.log10(max(filled))) + 1)]

        def height_of(n: float) -> float:
            return (math.log10(n) + 1) * plot_height / (math.log10(ticks[-1]) + 1) if n >= 1 else 0.0
    else:
        ticks = _ticks(max(bins))

        def height_of(n: float) -> float:
            return n * plot_height / ticks[-1]

    x_scale = plot_width / (count * step)
    for tick in ticks:
        y = base - height_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="{_STRIPE}"/>')
        body.append(_text(left - 6, y + 4, _number(tick), size=_SMALL, anchor="end"))
    body.append(_text(16, top + plot_height / 2, "pairs (log scale)" if logarithmic else "pairs", size=_SMALL,
                      anchor="middle",
                      extra=f' transform="rotate(-90 16 {top + plot_height / 2})"'))  # fmt: skip
    for i, pairs in enumerate(bins):
        start = first + i * step
        x, bar = left + i * step * x_scale, height_of(pairs)
        fill = _LINKED if start >= cut - 1e-9 else _REVIEW
        tip = escape(f"weight {start:g} to {start + step:g}: {pairs:,} pairs")
        body.append(f'<rect class="bin" data-from="{start:g}" data-to="{start + step:g}" data-pairs="{pairs}" '
                    f'x="{x + 0.5:.1f}" y="{base - bar:.1f}" width="{max(step * x_scale - 1, 1):.1f}" '
                    f'height="{bar:.1f}" fill="{fill}"><title>{tip}</title></rect>')  # fmt: skip
    body.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_width}" y2="{base}" stroke="{_INK}"/>')
    span = count * step
    every = _ticks(span, 8)[1]
    tick = math.ceil(first / every) * every
    while tick <= first + span + 1e-9:
        x = left + (tick - first) * x_scale
        body.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="{_INK}"/>')
        body.append(_text(x, base + 16, _number(tick), size=_SMALL, anchor="middle"))
        tick += every
    body.append(_text(left + plot_width / 2, base + 38, "match weight (log2 of the Bayes factor of the pair)",
                      size=_SMALL, anchor="middle"))  # fmt: skip
    x = left + (cut - first) * x_scale
    body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{base}" stroke="{_INK}" stroke-dasharray="4 3"/>')
    note = f"threshold {threshold:g} (weight {cut:.1f})"
    anchor = "start" if x + 4 + _width(note, _SMALL) < width - 4 else "end"
    body.append(_text(x + 4 if anchor == "start" else x - 4, top + 6, note, size=_SMALL, anchor=anchor))
    return _svg(width, height, title, body)
