"""Dates in a citation style's words, including seasons and approximate dates."""

from __future__ import annotations

import pytest

from corroborate.publish import load_style
from corroborate.publish.styles import format_date


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("2006-11-28", "November 28, 2006"),
        ("2006-11", "November 2006"),
        ("2019-21", "spring 2019"),
        ("2019-24", "winter 2019"),
        ("2019-05~", "about May 2019"),
        ("2019~", "about 2019"),
        ("2004-09/2004-12", "September 2004 – December 2004"),
    ],
)
def test_dates_read_as_a_person_would_write_them(edtf: str, words: str) -> None:
    assert format_date(edtf, load_style("hrw")) == words
