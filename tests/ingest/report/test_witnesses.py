"""Witness resolution: same details one witness, conflicting details two, partial details with a warning."""

from __future__ import annotations

from corroborate.ingest.report.interviews import InterviewCitation
from corroborate.ingest.report.witnesses import resolve_witnesses, witness_records


def citation(**fields: object) -> InterviewCitation:
    base: dict[str, object] = {"text": "", "organisation": "HRW", "country": "CN"}
    base.update(fields)
    return InterviewCitation(**base)  # type: ignore[arg-type]


WOMAN = {"gender": "female", "origin": "Musan", "age": 33, "date": "2006-11-26"}


def test_identical_citations_are_one_witness_and_one_interview() -> None:
    resolution = resolve_witnesses([(24, [citation(**WOMAN)]), (26, [citation(**WOMAN)])])
    assert len(resolution.groups) == 1 and len(resolution.interviews) == 1
    assert resolution.interviews[0].notes == [24, 26]
    assert resolution.cited[(24, 0)] == resolution.cited[(26, 0)] == ("W-001", "I-001")


def test_conflicting_age_or_date_makes_two_witnesses() -> None:
    other_age = dict(WOMAN, age=38)
    other_day = dict(WOMAN, date="2006-11-27")
    resolution = resolve_witnesses(
        [(1, [citation(**WOMAN)]), (2, [citation(**other_age)]), (3, [citation(**other_day)])]
    )
    assert [g.id for g in resolution.groups] == ["W-001", "W-002", "W-003"]


def test_an_age_band_containing_the_age_is_the_same_witness_described_less_precisely() -> None:
    band = dict(WOMAN, age=None, age_band="30-39")
    resolution = resolve_witnesses([(1, [citation(**WOMAN)]), (2, [citation(**band)])])
    assert len(resolution.groups) == 1
    assert resolution.warnings == ["note 2: taken to cite W-001, whose details it repeats in part"]
    outside = dict(WOMAN, age=None, age_band="40-49")
    assert len(resolve_witnesses([(1, [citation(**WOMAN)]), (2, [citation(**outside)])]).groups) == 2


def test_two_descriptions_each_saying_something_the_other_does_not_are_two_witnesses() -> None:
    with_role = citation(gender="female", role="a resident", date="2006-11-28")
    with_origin = citation(gender="female", origin="Pyongyang", age_band="50-59", date="2006-11-28")
    assert len(resolve_witnesses([(4, [with_role]), (15, [with_origin])]).groups) == 2


def test_a_citation_repeating_part_of_the_details_joins_with_a_warning() -> None:
    partial = {"gender": "female", "origin": "Musan", "date": "2006-11-26"}
    resolution = resolve_witnesses([(1, [citation(**WOMAN)]), (2, [citation(**partial)])])
    assert len(resolution.groups) == 1
    assert resolution.warnings == ["note 2: taken to cite W-001, whose details it repeats in part"]


def test_a_name_identifies_a_witness_across_interview_dates() -> None:
    first = citation(label="Kim", age=45, origin="Chongjin", date="2013-06")
    second = citation(label="Kim", date="2013-07-02")
    resolution = resolve_witnesses([(5, [first]), (9, [second])])
    assert len(resolution.groups) == 1 and len(resolution.interviews) == 2
    (record,) = witness_records(resolution)
    assert record.interview_dates == ["2013-06", "2013-07-02"] and record.notes == [5, 9]


def test_the_same_name_with_conflicting_details_is_two_witnesses() -> None:
    resolution = resolve_witnesses([(1, [citation(label="Kim", age=45)]), (2, [citation(label="Kim", age=60)])])
    assert len(resolution.groups) == 2


def test_a_missing_country_is_taken_from_the_other_interviews_with_a_warning() -> None:
    resolution = resolve_witnesses([(1, [citation(**WOMAN)]), (4, [citation(role="a resident", country=None)])])
    assert {i.country for i in resolution.interviews} == {"CN"}
    assert "note 4: no place of interview given; assumed CN like the other interviews" in resolution.warnings


def test_records_hold_the_public_descriptor() -> None:
    (record,) = witness_records(resolve_witnesses([(1, [citation(**WOMAN, origin_text="Musan")])]))
    assert (record.gender, record.origin, record.age, record.nationality) == ("female", "Musan", 33, "KP")
    assert (record.interview_country, record.interview_dates) == ("CN", ["2006-11-26"])
