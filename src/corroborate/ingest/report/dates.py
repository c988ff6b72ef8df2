"""Dates and locators inside citations: "November 28, 2006", "3 May 2012", "(1990)", "pp. 152 – 171".

Dates are handed to the domain's ``phrase_to_edtf`` so that a citation's date
means exactly what a casefile date means; nothing here picks a day for an
uncertain date.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from corroborate.domain import is_edtf, phrase_to_edtf
from corroborate.domain.calendarwords import MONTH_PATTERN

__all__ = ["DateHit", "find_dates", "find_locator", "strip_locator"]

_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# The leading look-ahead lets the engine skip, cheaply, positions where no date can start.
_DATE = re.compile(
    rf"(?=[ADFJMNOSadfjmnos\d(])(?:\b(?P<mdy>{MONTH_PATTERN}\s+{_DAY},?\s+{_YEAR})"
    rf"|\b(?P<dmy>{_DAY}\s+{MONTH_PATTERN},?\s+{_YEAR})"
    rf"|\b(?P<my>{MONTH_PATTERN},?\s+{_YEAR})"
    rf"|\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)"
    rf"|\((?P<paren>{_YEAR})\))(?![\d-])",
    re.I,
)
_YEAR_ONLY = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_BEFORE_YEAR = 28  # "September 30th, " is the longest text before a year that a date holds
_AFTER_YEAR = 7  # "-11-28" or ")"
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_DASH = r"\s*[-–—]\s*"
_PAGES = re.compile(
    rf"(?=[pP])\b(?:pp?|pages?)\.?\s*(?P<pages>\d+[a-z]?(?:{_DASH}\d+[a-z]?)?(?:\s*,\s*\d+[a-z]?(?:{_DASH}\d+[a-z]?)?)*)",
    re.I,
)
_ARTICLE = re.compile(
    r"\b(?P<art>(?:arts?|articles?|paras?|paragraphs?)\.?\s*\d+(?:\(\d+\))*(?:\s*,\s*\d+(?:\(\d+\))*)*)"
)


@dataclass(frozen=True)
class DateHit:
    """A date found in a citation: where, as written, and as EDTF."""

    start: int
    end: int
    text: str
    edtf: str


def _to_edtf(match: re.Match[str]) -> str | None:
    if match.group("iso"):
        value = match.group("iso")
        return value if is_edtf(value) else None
    if match.group("paren"):
        return match.group("paren")
    return _phrase_edtf(_ORDINAL.sub(r"\1", match.group(0)))


@functools.lru_cache(maxsize=4096)
def _phrase_edtf(phrase: str) -> str | None:
    """EDTF of a date phrase; cached because a report repeats its dates many times."""
    try:
        edtf = phrase_to_edtf(phrase)
    except (ValueError, KeyError):  # an impossible day such as February 30
        return None
    return edtf if edtf is not None and is_edtf(edtf) else None


def _year_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around each year, the only places a date can be (merged when they touch)."""
    windows: list[tuple[int, int]] = []
    for year in _YEAR_ONLY.finditer(text):
        start, end = max(0, year.start() - _BEFORE_YEAR), min(len(text), year.end() + _AFTER_YEAR)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def find_dates(text: str) -> list[DateHit]:
    """Every full date, month-and-year or parenthesised year in a citation, in order."""
    hits: list[DateHit] = []
    for start, end in _year_windows(text):
        for match in _DATE.finditer(text, start, end):
            edtf = _to_edtf(match)
            if edtf is not None:
                hits.append(DateHit(match.start(), match.end(), match.group(0), edtf))
    return hits


def _normal_range(value: str) -> str:
    return re.sub(r"\s*,\s*", ", ", re.sub(_DASH, "-", value.strip()))


def find_locator(text: str) -> str | None:
    """Pages ("21-22") or an article/paragraph ("art. 12(2)") cited, or None."""
    pages = list(_PAGES.finditer(text))
    if pages:
        return _normal_range(pages[-1].group("pages"))
    articles = list(_ARTICLE.finditer(text))
    if articles:
        return re.sub(r"\s+", " ", articles[-1].group("art")).strip()
    return None


def strip_locator(text: str) -> str:
    """The text without its page references (so that "p. 21" is not read as a title)."""
    return _PAGES.sub("", text)
