"""Fuzzy dates: EDTF strings, the phrases reports use, and comparison by overlap.

A fuzzy date is kept as an EDTF (ISO 8601-2) string such as ``2004-09/2004-12``
and compared as the interval of days it may denote. Nothing here ever picks a
single day for an uncertain date.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from corroborate.errors import InvalidFuzzyDate

from .calendarwords import MONTH_PARTS, MONTHS, SEASONS, YEAR_PARTS

__all__ = [
    "DateInterval",
    "date_interval",
    "hull",
    "is_edtf",
    "normalise_fuzzy_date",
    "overlaps",
    "phrase_to_edtf",
]

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{}>\d{{4}})"
# "this year [2006]" / "last year [2006]": the bracketed editorial year wins.
_BRACKET_YEAR = re.compile(r"\b(?:this|last|that|next)\s+year\s*\[(\d{4})\]", re.I)
_APPROXIMATE = re.compile(r"^(?:around|about|approximately|roughly|circa|ca\.|c\.)\s+(?P<rest>.+)$", re.I)


@dataclass(frozen=True)
class DateInterval:
    """The days a fuzzy date may denote; ``None`` is an open end."""

    start: date | None
    end: date | None

    def overlaps(self, other: DateInterval) -> bool:
        """True when the two intervals share at least one day."""
        starts_before_other_ends = self.start is None or other.end is None or self.start <= other.end
        ends_after_other_starts = self.end is None or other.start is None or self.end >= other.start
        return starts_before_other_ends and ends_after_other_starts


_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PLAIN_SHAPE = re.compile(r"(?:\d{4}(?:-\d{2}){0,2}|\.\.)(?:/(?:\d{4}(?:-\d{2}){0,2}|\.\.))?")


def _plain_bounds(text: str) -> tuple[date, date] | None:
    """First and last day of a plain YYYY, YYYY-MM or YYYY-MM-DD; None if not one."""
    m = _PLAIN.fullmatch(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1), date(year, int(month), last)
        exact = date(year, int(month), int(day))
    except (ValueError, calendar.IllegalMonthError):
        return None
    return exact, exact


@functools.lru_cache(maxsize=65536)
def _fast_interval(text: str) -> DateInterval | None:
    """The interval of the common EDTF forms without the (slow) full grammar; None for others."""
    bounds = _plain_bounds(text)
    if bounds is not None:
        return DateInterval(*bounds)
    if text.count("/") != 1:
        return None
    left, right = text.split("/")
    start = None if left == ".." else _plain_bounds(left)
    end = None if right == ".." else _plain_bounds(right)
    if (left != ".." and start is None) or (right != ".." and end is None) or (left == right == ".."):
        return None
    interval = DateInterval(start[0] if start else None, end[1] if end else None)
    if interval.start is not None and interval.end is not None and interval.start > interval.end:
        return None
    return interval


_QUALIFIED = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)([~?%])")
_SEASON = re.compile(r"(\d{4})-(2[1-4])([~?%]?)")


def _widen(bounds: tuple[date, date], precision: int) -> tuple[date, date]:
    """An approximate or uncertain date widened by one unit of the precision it was given in."""
    start, end = bounds
    if precision == 1:  # a year
        return date(start.year - 1, 1, 1), date(end.year + 1, 12, 31)
    if precision == 2:  # a month
        before = date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
        after_month = end.month % 12 + 1
        after_year = end.year + (end.month == 12)
        return before, date(after_year, after_month, calendar.monthrange(after_year, after_month)[1])
    return start - timedelta(days=3), end + timedelta(days=3)


def _season_bounds(year: int, code: int) -> tuple[date, date]:
    """Spring, summer, autumn as their months; winter as December to February, either side of the year named.

    "Winter 2019" may mean January and February 2019 or December 2019 to
    February 2020: both are kept, so the interval runs from December 2018.
    """
    if code == 24:
        return date(year - 1, 12, 1), date(year + 1, 2, calendar.monthrange(year + 1, 2)[1])
    first = {21: 3, 22: 6, 23: 9}[code]
    return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])


def _endpoint(text: str) -> tuple[date, date] | None:
    """Bounds of one end of an interval: plain, qualified (``2019-05~``) or a season (``2019-21``)."""
    plain = _plain_bounds(text)
    if plain is not None:
        return plain
    m = _SEASON.fullmatch(text)
    if m:
        bounds = _season_bounds(int(m.group(1)), int(m.group(2)))
        return _widen(bounds, 2) if m.group(3) else bounds
    m = _QUALIFIED.fullmatch(text)
    if m:
        inner = _plain_bounds(m.group(1))
        return _widen(inner, m.group(1).count("-") + 1) if inner else None
    return None


@functools.lru_cache(maxsize=65536)
def _qualified_interval(text: str) -> DateInterval | None:
    """Seasons and approximate or uncertain dates (alone or as interval ends), widened as documented."""
    if not re.search(r"[~?%]|-2[1-4](?:\b|$)", text):
        return None
    ends = text.split("/")
    if len(ends) == 1:
        bounds = _endpoint(ends[0])
        return DateInterval(*bounds) if bounds else None
    if len(ends) != 2 or ends == ["..", ".."]:
        return None
    left = None if ends[0] == ".." else _endpoint(ends[0])
    right = None if ends[1] == ".." else _endpoint(ends[1])
    if (ends[0] != ".." and left is None) or (ends[1] != ".." and right is None):
        return None
    return DateInterval(left[0] if left else None, right[1] if right else None)


@functools.lru_cache(maxsize=65536)
def is_edtf(text: str) -> bool:
    """True when ``text`` is a valid EDTF string."""
    if _fast_interval(text) is not None or _qualified_interval(text) is not None:
        return True
    if _PLAIN_SHAPE.fullmatch(text):
        return False  # a plain date or interval that is impossible, reversed or open at both ends
    try:
        parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError):
        return False
    return True


def _struct_to_date(value: object) -> date | None:
    if isinstance(value, float):  # edtf uses +/-inf for open ends
        return None
    year, month, day = value.tm_year, value.tm_mon, value.tm_mday  # type: ignore[attr-defined]
    return date(year, month, day)


@functools.lru_cache(maxsize=65536)
def date_interval(text: str) -> DateInterval:
    """The interval of days denoted by an EDTF string.

    A season is its three months (winter: December to February, on either side
    of the year named); an approximate or uncertain date (``~``, ``?``, ``%``)
    is widened by one unit of its precision (a year, a month, three days).
    """
    fast = _fast_interval(text) or _qualified_interval(text)
    if fast is not None:
        return fast
    try:
        parsed = parse_edtf(text)
        return DateInterval(_struct_to_date(parsed.lower_strict()), _struct_to_date(parsed.upper_strict()))
    except (EDTFParseException, ValueError, TypeError, AttributeError) as exc:
        raise InvalidFuzzyDate(text) from exc


def hull(intervals: Iterable[DateInterval]) -> DateInterval:
    """From the earliest known start to the latest known end of intervals told of one thing.

    An open start ("by April 2006") is read as lying within the others when it
    ends on or after their earliest start; otherwise the hull's start is open
    too (nothing says how early it began). Likewise for an open end.
    """
    spans = list(intervals)
    start = min((i.start for i in spans if i.start is not None), default=None)
    end = max((i.end for i in spans if i.end is not None), default=None)
    if start is not None and any(i.start is None and (i.end is None or i.end < start) for i in spans):
        start = None
    if end is not None and any(i.end is None and (i.start is None or i.start > end) for i in spans):
        end = None
    return DateInterval(start, end)


def overlaps(a: str, b: str) -> bool:
    """True when two fuzzy dates (EDTF) may denote a common day."""
    return date_interval(a).overlaps(date_interval(b))


def _month_span(year: int, first: int, last: int) -> str:
    if first == last:
        return f"{year:04d}-{first:02d}"
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"


def _days(year: int, month: int, first: int, last: int | None) -> str:
    end = last or calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{first:02d}/{year:04d}-{month:02d}-{end:02d}"


def _phrase_patterns() -> list[tuple[re.Pattern[str], str]]:
    month = _MONTH.format("month")
    month2 = _MONTH.format("month2")
    year = _YEAR.format("year")
    year2 = r"(?P<year2>\d{2,4})"
    parts = "|".join(re.escape(p) for p in sorted(YEAR_PARTS, key=len, reverse=True))
    mparts = "|".join(MONTH_PARTS)
    raw = [
        (rf"{month}\s+(?P<day>\d{{1,2}}),?\s+{year}", "day"),
        (rf"(?P<day>\d{{1,2}})\s+{month},?\s+{year}", "day"),
        (rf"(?P<mpart>{mparts})[\s-]+{month}\s+{year}", "month_part"),
        (rf"{month}\s+or\s+{month2},?\s+{year}", "month_or_month"),
        (rf"{month}\s*(?:-|to|–)\s*{month2},?\s+{year}", "month_or_month"),
        (rf"{month},?\s+{year}", "month"),
        (rf"winter\s+(?:of\s+)?{year}\s*[-–/]\s*{year2}", "winter"),
        (rf"(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{year}", "season"),
        (rf"(?P<part>{parts})[\s-]+{year}", "part"),
        (rf"{year}", "year"),
    ]
    return [(re.compile(rf"^(?:in\s+|the\s+)*{p}$", re.I), kind) for p, kind in raw]


_PATTERNS = _phrase_patterns()
_PREFIX = re.compile(r"^(?P<prefix>by|before|until|since|after|from)\s+(?P<rest>.+)$", re.I)


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _match_simple(text: str) -> str | None:
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        g = m.groupdict()
        year = int(g["year"])
        if kind == "day":
            try:
                return date(year, _month_number(g["month"]), int(g["day"])).isoformat()
            except ValueError:  # "November 31, 2004" names no day
                return None
        if kind == "month":
            return f"{year:04d}-{_month_number(g['month']):02d}"
        if kind == "month_part":
            first, last = MONTH_PARTS[g["mpart"].lower()]
            return _days(year, _month_number(g["month"]), first, last)
        if kind == "month_or_month":
            return _month_span(year, _month_number(g["month"]), _month_number(g["month2"]))
        if kind == "winter":
            return f"{year:04d}-12/{year + 1:04d}-02"
        if kind == "season":
            return f"{year:04d}-{SEASONS[g['season'].lower()]}"
        if kind == "part":
            first, last = YEAR_PARTS[re.sub(r"\s+", " ", g["part"].lower())]
            return _month_span(year, first, last)
        return f"{year:04d}"
    return None


def phrase_to_edtf(text: str, *, context_year: int | None = None) -> str | None:
    """Translate a date phrase ("late 2004", "by March or April 2006") to EDTF, or None."""
    cleaned = _BRACKET_YEAR.sub(r"\1", text.strip())
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .,;")
    if context_year is not None and not re.search(r"\d{4}", cleaned):
        cleaned = f"{cleaned} {context_year}"
    prefix = None
    m = _PREFIX.match(cleaned)
    if m:
        prefix, cleaned = m.group("prefix").lower(), m.group("rest")
    approximate = _APPROXIMATE.match(cleaned)
    if approximate:
        cleaned = approximate.group("rest")
    simple = _match_simple(cleaned)
    if simple is None:
        return None
    if approximate:  # "around May 2019" is not exactly May 2019: EDTF's approximate qualifier
        simple = "/".join(f"{end}~" for end in simple.split("/"))
        if prefix in ("before", "after"):
            return None  # "before around 2004": no honest edge to step from
    if prefix is None:
        return simple
    if prefix in ("by", "until"):
        return f"../{simple.split('/')[-1]}"
    if prefix in ("since", "from"):
        return f"{simple.split('/')[0]}/.."
    # "before 2004" ends with 2003 and "after 2004" starts with 2005: the
    # named period itself is excluded, at the precision it was given in.
    if prefix == "before":
        return f"../{_step(simple.split('/')[0], -1)}"
    return f"{_step(simple.split('/')[-1], 1)}/.."


def _step(text: str, delta: int) -> str:
    """The year, month or day next to a plain YYYY, YYYY-MM or YYYY-MM-DD (delta is -1 or 1)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + delta:04d}"
    if len(parts) == 2:
        months = parts[0] * 12 + parts[1] - 1 + delta
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    try:
        return (date(*parts) + timedelta(days=delta)).isoformat()
    except OverflowError:  # beyond the years date() knows: text that is_edtf refuses
        return "10000-01-01" if delta > 0 else "0000-00-00"


def normalise_fuzzy_date(text: str | int, *, context_year: int | None = None) -> str:
    """Return the EDTF form of an EDTF string or a known phrase; raise InvalidFuzzyDate otherwise."""
    raw = str(text).strip()
    if is_edtf(raw):
        return raw
    translated = phrase_to_edtf(raw, context_year=context_year)
    if translated is None or not is_edtf(translated):
        raise InvalidFuzzyDate(raw)
    return translated
