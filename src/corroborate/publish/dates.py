"""Calendar dates written in a text, in the forms people write them.

``dates_in(text)`` finds every expression that denotes a full calendar day
and yields its span with every day it may denote (03/04/1974 is either the
third of April or the fourth of March; '40 is 1940 or 2040): ISO and
year-first forms (1974-03-15, 1974/3/15, 1974年3月15日, 1974년 3월 15일,
19740315), day-first and month-first numbers (15.03.1974, 3/15/74), month
names and abbreviations (15 March 1974, 15th of Mar. 1974, March 15, 1974,
Feb. 11th '40, 11-Feb-1940), and Roman-numeral months (11.II.1940).

The text is expected in reader form (``readertext``): digits of every script
are ASCII, curly apostrophes straight. Pure functions; nothing is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from corroborate.domain.calendarwords import MONTHS, ROMAN_MONTHS

__all__ = ["dates_in"]

_MONTH_NAME = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ROMAN = r"xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i"
_MONTH_WORD = rf"(?:{_MONTH_NAME})(?![a-z])\.?|(?:{_ROMAN})(?![a-z])"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"\d{4}|'\d{2}|\d{2}"
_SEP = r"\s?[-/.]\s?"
_DATE = re.compile(
    # year first: 1974-03-15, 1974. 3. 15, 1974年3月15日, 1974-Mar-15, 1974.III.15, 1974 March 15
    rf"(?<![\d'])(?P<iy>\d{{4}})(?:{_SEP}|\s?[\u5e74\ub144]\s?|\s)"
    rf"(?P<im>\d{{1,2}}|{_MONTH_WORD})(?:{_SEP}|\s?[\u6708\uc6d4]\s?|\s)(?P<id>\d{{1,2}})(?!\d)(?:\s?[\u65e5\uc77c])?"
    # numbers, day or month first: 15.03.1974, 3/15/74
    rf"|(?<![\d.])(?P<na>\d{{1,2}})(?P<sep>{_SEP})(?P<nb>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR})(?![\d])"
    # day, month word, year: 15 March 1974, 15th of Mar. 1974, 11-Feb-1940, 11.II.1940, 11 Feb '40
    rf"|(?<!\d)(?P<dd>\d{{1,2}}){_ORDINAL}(?:\s?(?:of\s)?|[-/.]\s?)(?P<dm>{_MONTH_WORD})"
    rf"(?:,?\s?|[-/.]\s?)(?P<dy>{_YEAR})(?!\d)"
    # month word, day, year: March 15, 1974; Feb. 11th '40; Feb-11-1940; February the 11th, 1940
    rf"|(?<![a-z])(?P<mm>{_MONTH_NAME})(?![a-z])\.?(?:\s?(?:the\s)?|[-/]\s?)(?P<md>\d{{1,2}}){_ORDINAL}"
    rf"(?:,\s?|\s|[-/.]\s?)(?P<my>{_YEAR})(?!\d)"
    # eight digits: 19740315 (or 15031974, 03151974)
    r"|(?<!\d)(?P<compact>\d{8})(?!\d)",
    re.IGNORECASE,
)


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word.isdigit():
        return int(word)
    return ROMAN_MONTHS.get(word) or MONTHS.get(word[:3])


def _years(text: str) -> list[int]:
    digits = text.lstrip("'")
    if len(digits) == 4:
        return [int(digits)]
    return [1900 + int(digits), 2000 + int(digits)]


def _triples(g: dict[str, str | None]) -> list[tuple[int, int | None, int]]:
    if g["iy"]:
        return [(int(g["iy"]), _month(g["im"] or ""), int(g["id"] or 0))]
    if g["na"]:
        a, b = int(g["na"]), int(g["nb"] or 0)
        return [t for y in _years(g["ny"] or "") for t in ((y, b, a), (y, a, b))]
    if g["dd"]:
        return [(y, _month(g["dm"] or ""), int(g["dd"])) for y in _years(g["dy"] or "")]
    if g["mm"]:
        return [(y, _month(g["mm"]), int(g["md"] or 0)) for y in _years(g["my"] or "")]
    d = g["compact"] or ""
    return [(int(d[:4]), int(d[4:6]), int(d[6:])), (int(d[4:]), int(d[2:4]), int(d[:2])),
            (int(d[4:]), int(d[:2]), int(d[2:4]))]  # fmt: skip


_DIGITS = re.compile(r"\d+")
_REACH = 32  # a date expression reaches at most this far from a digit of it


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of the text around its digits: every date has one, and most of a text has none."""
    low = high = -1
    for run in _DIGITS.finditer(text):
        if run.start() - _REACH > high:
            if high >= 0:
                yield low, high
            low = max(0, run.start() - _REACH)
        high = run.end() + _REACH
        # A look-ahead cannot see past the end of a window: end it after a word.
        while high < len(text) and text[high].isalnum():
            high += 1
        high = min(high, len(text))
    if high >= 0:
        yield low, high


def dates_in(text: str) -> Iterator[tuple[int, int, date]]:
    """(start, end, day) for every day a date expression in ``text`` may denote."""
    for low, high in _windows(text):
        yield from _dates_between(text, low, high)


def _dates_between(text: str, low: int, high: int) -> Iterator[tuple[int, int, date]]:
    for match in _DATE.finditer(text, low, high):
        seen: set[date] = set()
        for year, month, day in _triples(match.groupdict()):
            if month is None:
                continue
            try:
                found = date(year, month, day)
            except ValueError:
                continue
            if found not in seen:
                seen.add(found)
                yield match.start(), match.end(), found
