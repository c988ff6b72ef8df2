"""Features of a list record besides its name: the place of origin in any spelling, the birth years a birth
year or an age at a date allows, the sex as lists write it; and, over a generated population, the records
of one person agree with the truth."""

from __future__ import annotations

import pytest

from corroborate.domain import Gazetteer
from corroborate.stats.linkage import simulate
from corroborate.stats.linkage.features import (
    birth_years,
    person_features,
    place_features,
    sex_code,
    years_apart,
)


@pytest.mark.parametrize("written", ["Chongjin", "Chungjin", "청진", "Chongjin-si", " chŏngjin "])
def test_a_place_in_any_spelling_is_the_same_place(written: str) -> None:
    found = place_features(written)
    assert (found.place, found.province) == ("Chongjin", "North Hamgyong")


def test_places_of_one_province_share_it_and_unknown_places_keep_what_was_written() -> None:
    assert place_features("Musan").province == place_features("Hoeryong").province == "North Hamgyong"
    assert place_features("North Hamgyong").province == "North Hamgyong"  # a province is its own
    unknown = place_features("Nowhere-ri")
    assert (unknown.place, unknown.province) == (None, None) and unknown.written == "nowhere"
    assert place_features("") == place_features(None) == place_features("  ")
    assert place_features("").written is None


def test_birth_years_from_a_year_or_from_an_age_at_a_date() -> None:
    assert birth_years(birth_year=1971) == birth_years(birth_year=" 1971 ") == (1971, 1971)
    assert birth_years(age=35, at="2006-05-12") == birth_years(age="35", at="2006") == (1970, 1971)
    assert birth_years(birth_year=1971, age=3, at="2006") == (1971, 1971)  # the year written wins
    for unknown in ({}, {"age": 35}, {"at": "2006"}, {"birth_year": "about 1970"}, {"age": "x", "at": "2006"}):
        assert birth_years(**unknown) is None  # type: ignore[arg-type]
    assert years_apart((1970, 1971), (1971, 1971)) == 0
    assert years_apart((1970, 1971), (1973, 1973)) == years_apart((1973, 1973), (1970, 1971)) == 2
    assert years_apart(None, (1970, 1970)) is None


def test_sex_as_lists_write_it() -> None:
    assert [sex_code(s) for s in ("M", "male", "남", "남자", "F", "Female", "여", "여성")] == ["m"] * 4 + ["f"] * 4
    assert sex_code("?") is None and sex_code(None) is None


def test_the_records_of_one_person_agree_with_the_truth() -> None:
    gazetteer = Gazetteer.default()
    population = simulate(3000, lists=4, seed=11)
    truth = {p.person_id: p for p in population.people}
    checked = agreed = 0
    for record in population.records:
        person = truth[record.person_id]
        found = person_features(record.as_row(), gazetteer=gazetteer)
        assert found.sex == ("m" if person.sex.upper().startswith("M") else "f")
        assert found.born is not None and years_apart(found.born, (person.birth_year, person.birth_year)) <= 2
        if "year_off" not in record.noise:
            assert years_apart(found.born, (person.birth_year, person.birth_year)) == 0
        place = gazetteer.get(person.origin)
        checked += 1
        agreed += found.origin.place == place.name and found.origin.province == place.province
    assert agreed / checked > 0.98, (agreed, checked)  # every spelling the generator writes is the gazetteer's


def test_an_event_date_allows_the_days_of_its_precision() -> None:
    from datetime import date

    from corroborate.stats.linkage import event_days

    day = date(2004, 2, 11).toordinal()
    assert event_days("2004-02-11") == (day, day)
    assert event_days("2004-02") == (date(2004, 2, 1).toordinal(), date(2004, 2, 29).toordinal())
    assert event_days("2004-12") == (date(2004, 12, 1).toordinal(), date(2004, 12, 31).toordinal())
    assert event_days("2004") == (date(2004, 1, 1).toordinal(), date(2004, 12, 31).toordinal())
    for unknown in (None, "", "  ", "2004-13", "2004-02-30", "Feb 2004", "04"):
        assert event_days(unknown) is None, unknown
    found = person_features({"name": "Kim Young-chol", "crossing": "2003-07", "arrest": ""})
    assert found.crossing == (date(2003, 7, 1).toordinal(), date(2003, 7, 31).toordinal()) and found.arrest is None
