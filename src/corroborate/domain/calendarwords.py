"""Calendar and number words, in one place: month names, seasons, parts of a year and of a month, small numbers.

Everything that reads or writes dates in words (``fuzzydate``, the report
parser, the coding assistant, citation styles) takes its words from here, so
"Sept." or "fall" means the same everywhere.
"""

from __future__ import annotations

import calendar
import re

__all__ = [
    "MONTHS",
    "MONTH_PARTS",
    "MONTH_PATTERN",
    "NUMBER_WORDS",
    "ROMAN_MONTHS",
    "SEASONS",
    "SEASON_NAMES",
    "TENS",
    "YEAR_PARTS",
    "month_number",
    "number_value",
]

# Month names and abbreviations (lower case), with "sept", as their number.
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# Any month name or abbreviation, longest first, with an optional full stop (match it case-insensitively).
MONTH_PATTERN = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Roman month numbers, as some date styles write them (15.III.1974).
ROMAN_MONTHS = {r: n for n, r in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), 1)}

# Seasons as EDTF codes (northern hemisphere: spring is March to May), and back.
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
SEASON_NAMES = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}

# Parts of a year, as (first month, last month).
YEAR_PARTS = {
    "early": (1, 4),
    "mid": (5, 8),
    "middle of": (5, 8),
    "late": (9, 12),
    "end of": (10, 12),
    "beginning of": (1, 3),
    "first half of": (1, 6),
    "second half of": (7, 12),
    "first quarter of": (1, 3),
    "second quarter of": (4, 6),
    "third quarter of": (7, 9),
    "fourth quarter of": (10, 12),
}
# Parts of a month, as (first day, last day or None for the month's end).
MONTH_PARTS: dict[str, tuple[int, int | None]] = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}

# Number words up to nineteen, and the tens.
NUMBER_WORDS = {
    word: i
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def month_number(word: str) -> int | None:
    """The number of a month name or abbreviation ("Sept.", "march"); None for anything else."""
    return MONTHS.get(word.lower().rstrip("."))


def number_value(text: str) -> int | None:
    """The value of a numeral or a number word up to ninety-nine ("16", "sixteen", "twenty-one")."""
    cleaned = text.strip().lower().replace(",", "")
    if cleaned.isdigit():
        return int(cleaned)
    if cleaned in NUMBER_WORDS:
        return NUMBER_WORDS[cleaned]
    parts = re.split(r"[- ]", cleaned)
    if parts[0] in TENS:
        return TENS[parts[0]] + (NUMBER_WORDS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None
