"""Calendar and number words: one table, read the same way by every module that reads dates in words."""

from __future__ import annotations

import re

import pytest

from corroborate.domain.calendarwords import (
    MONTH_PATTERN,
    MONTHS,
    SEASON_NAMES,
    SEASONS,
    YEAR_PARTS,
    month_number,
    number_value,
)


@pytest.mark.parametrize(("word", "number"), [("Sept.", 9), ("sep", 9), ("MARCH", 3), ("May", 5), ("Dec", 12)])
def test_month_names(word: str, number: int) -> None:
    assert month_number(word) == number
    assert re.fullmatch(MONTH_PATTERN, word, re.I)


def test_not_a_month() -> None:
    assert month_number("Mayday") is None and not re.fullmatch(MONTH_PATTERN, "Mayday", re.I)
    assert len(MONTHS) == 24  # twelve names, eleven more abbreviations (May is both), and "sept"


def test_seasons_go_both_ways() -> None:
    assert {SEASON_NAMES[code] for code in SEASONS.values()} == {"spring", "summer", "autumn", "winter"}
    assert SEASONS["fall"] == SEASONS["autumn"] == 23
    assert all(1 <= first <= last <= 12 for first, last in YEAR_PARTS.values())


@pytest.mark.parametrize(
    ("text", "value"),
    [("16", 16), ("1,200", 1200), ("sixteen", 16), ("Twenty-one", 21), ("ninety nine", 99), ("forty", 40),
     ("dozens", None), ("", None)],
)  # fmt: skip
def test_number_words(text: str, value: int | None) -> None:
    assert number_value(text) == value
