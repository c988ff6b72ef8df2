from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.domain import DateInterval, date_interval, hull, is_edtf, normalise_fuzzy_date, overlaps
from corroborate.errors import InvalidFuzzyDate


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        ("late 2004", "2004-09/2004-12"),
        ("first half of 2006", "2006-01/2006-06"),
        ("the first half of 2006", "2006-01/2006-06"),
        ("early 2006", "2006-01/2006-04"),
        ("mid-2006", "2006-05/2006-08"),
        ("summer of 2004", "2004-22"),
        ("spring 2019", "2019-21"),
        ("in the autumn of 2005", "2005-23"),
        ("fall 2005", "2005-23"),
        ("winter 2019", "2019-24"),
        ("around May 2019", "2019-05~"),
        ("about late 2004", "2004-09~/2004-12~"),
        ("c. 1998", "1998~"),
        ("winter of 2006-07", "2006-12/2007-02"),
        ("by March or April 2006", "../2006-04"),
        ("March or April 2006", "2006-03/2006-04"),
        ("since late 2004", "2004-09/.."),
        ("by late 2005", "../2005-12"),
        ("October this year [2006]", "2006-10"),
        ("last year [2006]", "2006"),
        ("February 2005", "2005-02"),
        ("November 27, 2004", "2004-11-27"),
        ("27 November 2004", "2004-11-27"),
        ("in 2005", "2005"),
        ("mid-July 2006", "2006-07-11/2006-07-20"),
        ("early December 2006", "2006-12-01/2006-12-10"),
        ("2006-11-28", "2006-11-28"),
        ("2004-09/2004-12", "2004-09/2004-12"),
    ],
)
def test_phrases_become_edtf(phrase: str, edtf: str) -> None:
    assert normalise_fuzzy_date(phrase) == edtf
    assert is_edtf(edtf)


def test_context_year_completes_a_phrase_without_one() -> None:
    assert normalise_fuzzy_date("late November", context_year=2006) == "2006-11-21/2006-11-30"


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        ("before 2004", "../2003"),
        ("Before 2004", "../2003"),
        ("before February 2005", "../2005-01"),
        ("before January 2005", "../2004-12"),
        ("before November 27, 2004", "../2004-11-26"),
        ("before late 2004", "../2004-08"),
        ("after 2004", "2005/.."),
        ("after December 2004", "2005-01/.."),
        ("after 31 December 2004", "2005-01-01/.."),
        ("since 2000", "2000/.."),
        ("until about November 2004", "../2004-11~"),
    ],
)
def test_before_and_after_exclude_the_named_period(phrase: str, edtf: str) -> None:
    # "by" and "since" include the period they name; "before" and "after" do not.
    assert normalise_fuzzy_date(phrase) == edtf


@pytest.mark.parametrize(
    "text", ["November 31, 2004", "30 February 2005", "after 31 December 9999", "before 1 January 0001"]
)
def test_a_day_that_does_not_exist_is_no_date(text: str) -> None:
    with pytest.raises(InvalidFuzzyDate):
        normalise_fuzzy_date(text)


@pytest.mark.parametrize("text", ["", "soon", "the day after", "2006-13", "Smarch 2006"])
def test_unreadable_dates_raise(text: str) -> None:
    with pytest.raises(InvalidFuzzyDate):
        normalise_fuzzy_date(text)


def test_intervals_keep_uncertainty() -> None:
    assert date_interval("2004-09/2004-12") == DateInterval(date(2004, 9, 1), date(2004, 12, 31))
    assert date_interval("../2006-04") == DateInterval(None, date(2006, 4, 30))
    assert date_interval("2006") == DateInterval(date(2006, 1, 1), date(2006, 12, 31))


def test_overlap_by_interval() -> None:
    assert overlaps("2004-09/2004-12", "2004-11-27")  # late 2004 contains the instruction
    assert not overlaps("2004-09/2004-12", "2006-10")  # late 2004 vs October 2006
    assert overlaps("../2006-04", "2005-02")  # open start
    assert not overlaps("../2006-04", "2006-10")
    assert overlaps("2004-09/..", "2030")


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days, days, days, days)
def test_overlap_is_symmetric_and_matches_day_sets(a: date, b: date, c: date, d: date) -> None:
    x = f"{min(a, b).isoformat()}/{max(a, b).isoformat()}"
    y = f"{min(c, d).isoformat()}/{max(c, d).isoformat()}"
    expected = max(min(a, b), min(c, d)) <= min(max(a, b), max(c, d))
    assert overlaps(x, y) == overlaps(y, x) == expected


@settings(deadline=None)  # the edtf grammar itself takes ~100 ms a parse on a loaded machine
@given(days, days)
def test_the_fast_path_agrees_with_the_edtf_grammar(a: date, b: date) -> None:
    from edtf import parse_edtf

    from corroborate.domain.fuzzydate import _struct_to_date

    lo, hi = min(a, b), max(a, b)
    low, high = lo.isoformat(), hi.isoformat()
    for text in (low, low[:7], low[:4], f"{low}/{high}", f"{low[:7]}/{high[:7]}", f"../{high}", f"{low[:4]}/.."):
        parsed = parse_edtf(text)
        expected = DateInterval(_struct_to_date(parsed.lower_strict()), _struct_to_date(parsed.upper_strict()))
        assert date_interval(text) == expected, text


@pytest.mark.parametrize("text", ["2006-02-30", "2006-13", "2006-05/2006-01", "../..", "2006/2007/2008"])
def test_the_fast_path_rejects_what_the_grammar_rejects(text: str) -> None:
    assert not is_edtf(text)


@pytest.mark.parametrize(
    ("edtf", "first", "last"),
    [
        ("2019-21", date(2019, 3, 1), date(2019, 5, 31)),
        ("2019-23", date(2019, 9, 1), date(2019, 11, 30)),
        ("2019-24", date(2018, 12, 1), date(2020, 2, 29)),  # January 2019 or December 2019: both kept
        ("2019-05~", date(2019, 4, 1), date(2019, 6, 30)),
        ("2019~", date(2018, 1, 1), date(2020, 12, 31)),
        ("2019-05-03?", date(2019, 4, 30), date(2019, 5, 6)),
        ("../2004-11~", None, date(2004, 12, 31)),
    ],
)
def test_seasons_and_approximate_dates_are_honest_intervals(edtf: str, first: date | None, last: date) -> None:
    """ "Around May 2019" may be April or June: it overlaps them, where exactly May 2019 would not."""
    assert is_edtf(edtf)
    assert date_interval(edtf) == DateInterval(first, last)


def test_around_a_month_overlaps_its_neighbours_and_exactly_does_not() -> None:
    assert overlaps(normalise_fuzzy_date("around May 2019"), "2019-06-10")
    assert not overlaps(normalise_fuzzy_date("May 2019"), "2019-06-10")


def test_hull_reads_an_open_end_within_the_others_when_it_can() -> None:
    spans = [date_interval(d) for d in ("2004-09/2004-12", "../2006-04", "2006-10")]
    assert hull(spans) == DateInterval(date(2004, 9, 1), date(2006, 10, 31))  # "by April 2006" lies within
    early = [date_interval(d) for d in ("../2002-11", "2006-12-21/..")]  # each open end lies outside the other
    assert hull(early) == DateInterval(None, None)
    assert hull([]) == DateInterval(None, None)
