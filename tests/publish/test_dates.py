"""Dates in a text: every written form of a full day, and nothing that is not one."""

from __future__ import annotations

from datetime import date

import pytest

from corroborate.publish.dates import dates_in
from corroborate.publish.readertext import reader_text

DAY = date(1940, 2, 11)


@pytest.mark.parametrize(
    "written",
    [
        "1940-02-11", "1940/2/11", "1940. 2. 11", "1940.II.11", "1940 Feb 11", "1940-Feb-11",
        "1940年2月11日", "1940년 2월 11일", "19400211", "11021940",
        "11.02.1940", "11/02/1940", "2/11/1940", "11-02-40", "11. 02. 1940",
        "11 February 1940", "11th of February, 1940", "11 Feb. 1940", "11-Feb-1940", "11Feb1940",
        "11 Feb '40", "11 Feb ’40", "11 Feb 40", "11.II.1940", "11 II 1940", "11-ii-40", "11/II/'40",
        "February 11, 1940", "Feb. 11th '40", "Feb 11 1940", "February the 11th, 1940", "Feb-11-1940",
        "FEBRUARY 11, 1940", "１１．０２．１９４０",
    ],
)  # fmt: skip
def test_every_common_form_of_a_day_is_found(written: str) -> None:
    text = reader_text(f"She was born on {written} in Musan.").text
    found = [(text[s:e], day) for s, e, day in dates_in(text)]
    assert (reader_text(written).text, DAY) in found, found


@pytest.mark.parametrize(
    "text",
    [
        "in December 2006 and November 2004",
        "from 1940 to 1950, 11 of them",
        "version 1.2.3 of the report, page 11",
        "March 2007; 5 March; the 11th",
        "between 2006 and 2007 some 1,940 people",
    ],
)
def test_months_years_and_numbers_are_not_days(text: str) -> None:
    assert list(dates_in(text)) == []


def test_an_ambiguous_date_denotes_both_days_and_a_short_year_both_centuries() -> None:
    found = {day for _, _, day in dates_in("3/4/40")}
    assert found == {date(1940, 4, 3), date(1940, 3, 4), date(2040, 4, 3), date(2040, 3, 4)}


def test_spans_cover_the_date_expression() -> None:
    text = "Born Feb. 11th '40, she left."
    [(start, end, _), *_] = list(dates_in(text))
    assert text[start:end] == "Feb. 11th '40"
