"""Charts drawn on the server as SVG markup: the case's timeline, fuzzy dates as bars and exact ones as points.

Pure functions over plain data (no request, no web framework), so a chart can be tested alone. Every text
from the case is escaped (markupsafe) before it enters the markup. The SVG carries presentation attributes
and classes only, never a ``style`` attribute or element, so the Content-Security-Policy holds; its fonts
(Hangul included) come from the classes of ``static/charts.css``.

The time axis is drawn in pieces: the years in which some date begins or ends are drawn to scale, and a run
of three or more years in which none does is cut out and marked as a break, so one date of 1948 does not
squeeze the 2000s into a corner. A date's bar always runs from the start of its first possible day to the
end of its last; nothing here ever picks a single day for an uncertain date.
"""

from __future__ import annotations

import calendar
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from corroborate.domain import DateInterval

__all__ = ["Axis", "Mark", "Row", "fit_axis", "timeline_svg"]

WIDTH = 1160  # of the drawing (the page scales it)
PLOT_LEFT = 380  # row labels sit left of this
PLOT_RIGHT = WIDTH - 24
BREAK = 30  # the width of a break in the axis
MIN_GAP = 3  # years without a date's start or end before the axis breaks
LANE = 16  # one line of marks within a row
PAD = 5  # above and below a row's lanes
FONT = 12  # px, the labels' size (charts.css sets the family)
QUIET, ACCENT, ALERT, BAND, STRIPE, GRID = "#5b6770", "#1f5f8b", "#a1260d", "#dbe8f3", "#f3f5f6", "#c9d0d5"


@dataclass(frozen=True)
class Mark:
    """One date drawn on a row: the days it may denote, what it says, and how to flag it."""

    interval: DateInterval
    text: str  # the date as given (EDTF)
    detail: str = ""  # shown on hover: the event, its sources
    against: bool = False  # given by a claim that contradicts the proposition
    disagreement: bool = False  # sources give dates for the same event that cannot all be true


@dataclass(frozen=True)
class Row:
    """One line of the chart: a label, its marks, and a pattern's span drawn behind them."""

    label: str
    marks: tuple[Mark, ...]
    title: str = ""  # shown on hover over the label (the proposition's statement)
    band: DateInterval | None = None  # a pattern's span: the hull of its occurrences
    conflict: str = ""  # attributes the sources disagree on (other than this row's dates); empty: none


@dataclass(frozen=True)
class Axis:
    """Runs of whole years drawn to scale between ``left`` and ``right``, a break of ``gap`` between runs."""

    runs: tuple[tuple[int, int], ...]  # (first year, last year), inclusive, ascending
    left: float
    right: float
    gap: float = BREAK

    @property
    def year_width(self) -> float:
        years = sum(last - first + 1 for first, last in self.runs)
        return (self.right - self.left - self.gap * (len(self.runs) - 1)) / years

    def run_left(self, index: int) -> float:
        """Where run ``index`` begins."""
        before = sum(last - first + 1 for first, last in self.runs[:index])
        return self.left + before * self.year_width + index * self.gap

    def x(self, day: date) -> float:
        """The position of the start of ``day`` (a day in a break falls within the break, in order)."""
        days = 366 if calendar.isleap(day.year) else 365
        at = day.year + (day.toordinal() - date(day.year, 1, 1).toordinal()) / days
        for index, (first, last) in enumerate(self.runs):
            if at < first:  # before this run: in the break before it (or before the axis)
                if index == 0:
                    return self.left
                previous_end = self.runs[index - 1][1] + 1
                share = (at - previous_end) / (first - previous_end)
                return self.run_left(index) - self.gap + share * self.gap
            if at <= last + 1:
                return self.run_left(index) + (at - first) * self.year_width
        return self.right

    def span(self, interval: DateInterval) -> tuple[float, float]:
        """From the start of the first possible day to the end of the last; an open end reaches the edge."""
        start = self.x(interval.start) if interval.start else self.left
        end = self.x(interval.end + timedelta(days=1)) if interval.end else self.right
        return start, end


def fit_axis(rows: Sequence[Row], *, left: float = PLOT_LEFT, right: float = PLOT_RIGHT) -> Axis | None:
    """The axis for ``rows``: every year in which a date begins or ends, short gaps filled; None if nothing is dated."""
    years: set[int] = set()
    for row in rows:
        intervals = [m.interval for m in row.marks] + ([row.band] if row.band else [])
        for interval in intervals:
            years.update(d.year for d in (interval.start, interval.end) if d is not None)
    if not years:
        return None
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and year - runs[-1][1] - 1 < MIN_GAP:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return Axis(tuple(runs), left, right)


def _n(value: float) -> str:
    """A coordinate as the markup writes it."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _el(tag: str, content: str = "", /, **attributes: object) -> Markup:
    """An SVG element, every attribute value and any plain-text content escaped (``class_`` is ``class``,
    ``stroke_width`` is ``stroke-width``); content that is already ``Markup`` goes in as it is."""
    written = [
        Markup(' {}="{}"').format(name.rstrip("_").replace("_", "-"), _n(v) if isinstance(v, float) else v)
        for name, v in attributes.items()
        if v is not None
    ]
    opening = Markup("<") + tag + Markup("").join(written)
    if not content:
        return opening + Markup("/>")
    return opening + Markup(">") + escape(content) + Markup("</{}>").format(tag)


def _fit(text: str, width: float, *, size: float = FONT) -> str:
    """``text``, cut at the front with '…' to fit ``width`` (wide Hangul and CJK count double)."""

    def cost(ch: str) -> float:
        return size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.56)

    if sum(cost(c) for c in text) <= width:
        return text
    kept, used = [], cost("…")
    for ch in reversed(text):
        used += cost(ch)
        if used > width:
            break
        kept.append(ch)
    return "…" + "".join(reversed(kept))


def _title(text: str) -> Markup:
    return _el("title", text) if text else Markup("")


def _lanes(spans: list[tuple[float, float]]) -> list[int]:
    """A lane for each span (in order) so that no two spans in one lane touch."""
    ends: list[float] = []
    lanes = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[index]
        lane = next((n for n, last in enumerate(ends) if last + 4 <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes[index] = lane
    return lanes


def _diamond(cx: float, cy: float, r: float) -> str:
    return f"M{_n(cx)} {_n(cy - r)}L{_n(cx + r)} {_n(cy)}L{_n(cx)} {_n(cy + r)}L{_n(cx - r)} {_n(cy)}Z"


def _triangle(cx: float, cy: float, r: float) -> str:
    return f"M{_n(cx)} {_n(cy - r)}L{_n(cx + r)} {_n(cy + r * 0.8)}L{_n(cx - r)} {_n(cy + r * 0.8)}Z"


def _exact(interval: DateInterval) -> bool:
    return interval.start is not None and interval.start == interval.end


def _extent(axis: Axis, mark: Mark) -> tuple[float, float]:
    """The room a mark takes on its line (a point and a flag are wider than their day)."""
    start, end = axis.span(mark.interval)
    if _exact(mark.interval) or (mark.disagreement and end - start < 14):
        middle = (start + end) / 2
        return middle - 7, middle + 7
    return start, max(end, start + 2)


def _mark(axis: Axis, mark: Mark, cy: float) -> Markup:
    """One date: a bar from its first to its last possible day, a point when it is one day, a dashed run to
    the edge where it has no bound; a diamond on it when sources disagree on that date."""
    start, end = axis.span(mark.interval)
    middle = (start + end) / 2
    stroke = ALERT if mark.disagreement else ACCENT
    fill = "#ffffff" if mark.against else stroke
    opened = mark.interval.start is None or mark.interval.end is None
    kind = "open" if opened else "point" if _exact(mark.interval) else "bar"
    flags = (["against"] if mark.against else []) + (["disagree"] if mark.disagreement else [])
    parts = [_title(mark.detail)]
    if kind == "point" and mark.disagreement:
        parts.append(_el("path", class_="shape", d=_diamond(middle, cy, 7), fill=fill, stroke=stroke, stroke_width=1.5))
    elif kind == "point":
        parts.append(_el("circle", class_="shape", cx=middle, cy=cy, r=5, fill=fill, stroke=stroke, stroke_width=1.5))
    elif kind == "open":
        known, edge, tip = (end, axis.left, -1) if mark.interval.start is None else (start, axis.right, 1)
        dashed = {"stroke": stroke, "stroke_width": 2, "stroke_dasharray": "5 3"}
        parts.append(_el("line", class_="shape", x1=start, x2=end, y1=cy, y2=cy, **dashed))
        arrow = f"M{_n(edge + tip * 2)} {_n(cy)}L{_n(edge - tip * 6)} {_n(cy - 5)}L{_n(edge - tip * 6)} {_n(cy + 5)}Z"
        parts.append(_el("path", class_="arrow", d=arrow, fill=stroke))
        parts.append(
            _el("line", class_="cap", x1=known, x2=known, y1=cy - 6, y2=cy + 6, stroke=stroke, stroke_width=2.5)
        )
    else:
        parts.append(
            _el("rect", class_="shape", x=start, y=cy - 5, width=end - start, height=10, fill=fill, stroke=stroke,
                stroke_width=1.5)
        )  # fmt: skip
    if mark.disagreement and kind != "point":
        at = middle if kind == "bar" else (end - 12 if mark.interval.start is None else start + 12)
        parts.append(_el("path", class_="flag", d=_diamond(at, cy, 7), fill=ALERT, stroke="#ffffff", stroke_width=1.5))
    inner = Markup("").join(parts)
    return _el("g", inner, class_=" ".join(["mark", kind, *flags]), data_when=mark.text)


def _legend(gettext: Callable[[str], str]) -> tuple[Markup, float]:
    """What each shape means (shapes, not colour alone, carry the meaning); the legend and its height."""
    bar = {"x": 0, "y": -5, "width": 26, "height": 10, "stroke_width": 1.5}
    slash = {"y1": 7, "y2": -7, "stroke": QUIET, "stroke_width": 1.5}
    items: list[tuple[str, list[Markup]]] = [
        (gettext("Possible dates of a fuzzy date"), [_el("rect", fill=ACCENT, stroke=ACCENT, **bar)]),
        (gettext("Exact date"), [_el("circle", cx=13, cy=0, r=5, fill=ACCENT, stroke=ACCENT, stroke_width=1.5)]),
        (gettext("Open: no earlier (or no later) bound"), [
            _el("path", d="M0 0L8 -5L8 5Z", fill=ACCENT),
            _el("line", x1=2, x2=26, y1=0, y2=0, stroke=ACCENT, stroke_width=2, stroke_dasharray="5 3"),
            _el("line", x1=26, x2=26, y1=-6, y2=6, stroke=ACCENT, stroke_width=2.5),
        ]),
        (gettext("Sources give different dates for this event"), [
            _el("rect", fill=ALERT, stroke=ALERT, **bar),
            _el("path", d=_diamond(13, 0, 7), fill=ALERT, stroke="#ffffff", stroke_width=1.5),
        ]),
        (gettext("Sources disagree on another attribute (see the table)"),
         [_el("path", d=_triangle(13, 0, 7), fill=ALERT)]),
        (gettext("Date given by a claim against the proposition"), [_el("rect", fill="#ffffff", stroke=ACCENT, **bar)]),
        (gettext("Pattern: the span of its occurrences"), [_el("rect", x=0, y=-8, width=26, height=16, fill=BAND)]),
        (gettext("Years cut from the axis: no date begins or ends in them"),
         [_el("line", x1=8, x2=14, **slash), _el("line", x1=14, x2=20, **slash)]),
    ]  # fmt: skip
    columns, width, line = 2, (WIDTH - 20) / 2, 20
    out = []
    for index, (text, shapes) in enumerate(items):
        x, y = 10 + (index % columns) * width, 12 + (index // columns) * line
        label = _el("text", _fit(text, width - 44), x=34, y=4)
        out.append(_el("g", Markup("").join([*shapes, label]), transform=f"translate({_n(x)} {_n(y)})"))
    return _el("g", Markup("").join(out), class_="legend"), math.ceil(len(items) / columns) * line + 6


def _axis(axis: Axis, top: float, bottom: float) -> Markup:
    """A line for each year through the plot, the years named above and below (every k-th when they are narrow)."""
    step = next((k for k in (1, 2, 5, 10, 20, 50) if k * axis.year_width >= 40), 100)
    out = []
    for index, (first, last) in enumerate(axis.runs):
        x0 = axis.run_left(index)
        x1 = x0 + (last - first + 1) * axis.year_width
        out += [_el("line", x1=x0, x2=x1, y1=y, y2=y, stroke=QUIET) for y in (top, bottom)]
        named = [y for y in range(first, last + 1) if y % step == 0] or [first]
        for year in range(first, last + 2):
            x = axis.x(date(year, 1, 1)) if year <= last else x1
            out.append(_el("line", class_="year", data_year=year, x1=x, x2=x, y1=top - 4, y2=bottom + 4, stroke=GRID))
            if year in named:
                middle = x + axis.year_width * min(step, last - year + 1) / 2
                out += [_el("text", str(year), class_="tick", x=middle, y=y, text_anchor="middle")
                        for y in (top - 8, bottom + 18)]  # fmt: skip
    return _el("g", Markup("").join(out), class_="axis")


def _breaks(axis: Axis, top: float, bottom: float, gettext: Callable[[str], str]) -> Markup:
    """Each cut in the axis: a white gap through the plot, two slashes on each axis line."""
    out = []
    for index in range(1, len(axis.runs)):
        x1 = axis.run_left(index)
        x0 = x1 - axis.gap
        hidden = f"{axis.runs[index - 1][1] + 1}–{axis.runs[index][0] - 1}"
        parts = [_title(f"{gettext('Years not drawn:')} {hidden}")]
        parts.append(_el("rect", x=x0 + 4, y=top - 4, width=axis.gap - 8, height=bottom - top + 8, fill="#ffffff"))
        for y in (top, bottom):
            parts += [_el("line", x1=x, x2=x + 4, y1=y + 7, y2=y - 7, stroke=QUIET, stroke_width=1.5)
                      for x in (x0 + 6, x1 - 10)]  # fmt: skip
        out.append(_el("g", Markup("").join(parts), class_="break", data_years=hidden))
    return Markup("").join(out)


def _row(axis: Axis, row: Row, y: float, *, striped: bool) -> tuple[list[Markup], list[Markup], list[Markup], float]:
    """A row's label (and conflict flag), band and marks, and its height."""
    lanes = _lanes([_extent(axis, m) for m in row.marks])
    height = (max(lanes, default=0) + 1) * LANE + 2 * PAD
    first = y + PAD + LANE / 2
    body = [_el("rect", class_="stripe", x=0, y=y, width=WIDTH, height=height, fill=STRIPE)] if striped else []
    label = Markup("").join([_title(row.title), escape(_fit(row.label, PLOT_LEFT - 34))])
    body.append(_el("text", label, class_="label", x=PLOT_LEFT - 24, y=first + 4, text_anchor="end"))
    if row.conflict:
        body.append(_el("path", _title(row.conflict), class_="conflict", d=_triangle(PLOT_LEFT - 13, first, 7),
                        fill=ALERT))  # fmt: skip
    band = []
    if row.band is not None and (row.band.start or row.band.end):
        x0, x1 = axis.span(row.band)
        band.append(_el("rect", class_="band", x=x0, y=y + 1, width=x1 - x0, height=height - 2, fill=BAND))
    marks = [_mark(axis, m, first + lane * LANE) for m, lane in zip(row.marks, lanes, strict=True)]
    return body, band, marks, height


def timeline_svg(rows: Sequence[Row], *, gettext: Callable[[str], str] = str, label: str = "") -> Markup:
    """The timeline of ``rows`` as an SVG image (role img, titled), or empty markup when nothing is dated.

    ``gettext`` translates the chart's own words (the legend); ``label`` is its accessible name.
    """
    axis = fit_axis(rows)
    if axis is None:
        return Markup("")
    legend, legend_height = _legend(gettext)
    top = legend_height + 30
    body: list[Markup] = []
    bands: list[Markup] = []
    marks: list[Markup] = []
    y = top
    for index, row in enumerate(rows):
        row_body, row_band, row_marks, height = _row(axis, row, y, striped=index % 2 == 1)
        body += row_body
        bands += row_band
        marks += row_marks
        y += height
    count = sum(len(r.marks) for r in rows)
    years = f"{axis.runs[0][0]}–{axis.runs[-1][1]}"
    description = gettext(
        "Dates on a time axis, one line per proposition and attribute; the table below the chart gives the same data."
    )
    inside = Markup("").join([
        _el("title", label or gettext("Timeline"), id="timeline-title"),
        _el("desc", f"{count} · {years}. {description}", id="timeline-desc"),
        legend, *body, _axis(axis, top, y), *bands, *marks, _breaks(axis, top, y, gettext),
    ])  # fmt: skip
    return _el("svg", inside, xmlns="http://www.w3.org/2000/svg", class_="chart timeline",
               viewBox=f"0 0 {WIDTH} {_n(y + 30)}", width=WIDTH, height=y + 30.0, role="img",
               aria_labelledby="timeline-title timeline-desc")  # fmt: skip
