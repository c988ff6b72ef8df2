"""Event identity: disagreement is reported only between claims about the same occurrence."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.analysis import assess_case, build_timeline, pattern_spans, suggest_occurrences
from corroborate.domain import Case
from corroborate.errors import CasefileInvalid
from corroborate.ingest import parse_casefile, read_casefile

HEAD = """\
version: 1
case: {id: mini, title: Warnings}
witnesses:
  - {id: W-001, descriptor: {gender: female, age: 40, origin: Musan}}
  - {id: W-002, descriptor: {gender: male, age: 30, origin: Hoeryong}}
  - {id: W-003, descriptor: {gender: male, age: 50, origin: Onsong}}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: CN}
  - {id: I-002, witness: W-002, date: 2006-12-02, country: CN}
  - {id: I-003, witness: W-003, date: 2006-12-03, country: CN}
excerpts:
  - {id: E-001, source: I-001, mode: heard_official, text: It was announced in February 2005.}
  - {id: E-002, source: I-002, mode: heard_official, text: It was announced in October 2006.}
  - {id: E-003, source: I-003, mode: heard_official, text: It was announced in March 2005.}
propositions:
  - key: policy.warned
    kind: {kind}
    statement: Crossers were warned that they would be imprisoned.
    attributes:
      announced: {type: date}
      sentence_years: {type: range, unit: years}
      channel: {type: category, values: [meeting, official], of_source: true}
      place: {type: place}
claims:
"""


def mini(kind: str, claims: str) -> Case:
    return parse_casefile(HEAD.replace("{kind}", kind) + claims)


def claim(n: int, excerpt: int, occurrence: str | None = None, **attributes: object) -> str:
    values = ", ".join(f"{k}: {v}" for k, v in attributes.items())
    line = f"  - {{id: C-{n}, excerpt: E-00{excerpt}, proposition: policy.warned, attributes: {{{values}}}"
    return line + (f", occurrence: {occurrence}}}\n" if occurrence else "}\n")


def test_an_events_sources_giving_different_dates_disagree() -> None:
    case = mini("event", claim(1, 1, announced="2005-02") + claim(2, 2, announced="2006-10"))
    entries = build_timeline(case)
    assert [e.disagreement for e in entries] == [True, True]
    assert entries[0].other_dates == ["2006-10"] and entries[0].occurrence is None
    finding = assess_case(case).get("policy.warned").attributes["announced"]
    assert not finding.consistent and finding.disagreeing == {}
    assert pattern_spans(case) == []


def test_distinct_occurrences_of_a_pattern_never_disagree() -> None:
    case = mini("pattern", claim(1, 1, "warning-2005", announced="2005-02", sentence_years=1)
                + claim(2, 2, "warning-2006", announced="2006-10", sentence_years=5))  # fmt: skip
    assert not any(e.disagreement for e in build_timeline(case))
    a = assess_case(case).get("policy.warned")
    assert a.conflicts == [] and a.occurrences == 2
    assert a.attributes["sentence_years"].span == "1..5"  # every value is still listed, with its span
    assert "within each of 2 occurrences" in a.explanation


def test_sources_on_one_occurrence_that_disagree_are_marked_with_the_occurrence() -> None:
    case = mini("pattern", claim(1, 1, "warning-2005", announced="2005-02", sentence_years=1)
                + claim(2, 3, "warning-2005", announced="2005-03", sentence_years=3)
                + claim(3, 2, "warning-2006", announced="2006-10", sentence_years=5))  # fmt: skip
    entries = {e.when: e for e in build_timeline(case)}
    assert entries["2005-02"].disagreement and entries["2005-02"].other_dates == ["2005-03"]
    assert not entries["2006-10"].disagreement  # the other occurrence is not dragged in
    a = assess_case(case).get("policy.warned")
    years = a.attributes["sentence_years"]
    assert not years.consistent and list(years.disagreeing) == ["warning-2005"]
    assert set(years.disagreeing["warning-2005"].values) == {"1", "3"}  # 5 belongs to 2006
    assert "DISAGREES within occurrence warning-2005" in a.explanation
    conflicts = a.to_json()["conflicts"]
    assert {(c["attribute"], c["occurrence"]) for c in conflicts} == {("announced", "warning-2005"),
                                                                      ("sentence_years", "warning-2005")}  # fmt: skip


def test_an_unnamed_claim_of_a_pattern_is_an_occurrence_of_its_own() -> None:
    case = mini("pattern", claim(1, 1, announced="2005-02") + claim(2, 2, announced="2006-10"))
    assert not any(e.disagreement for e in build_timeline(case))
    (span,) = pattern_spans(case)
    assert [o.name for o in span.occurrences] == ["(C-1)", "(C-2)"]
    assert (span.start.isoformat(), span.end.isoformat()) == ("2005-02-01", "2006-10-31")


def test_what_describes_the_source_is_never_compared() -> None:
    case = mini("event", claim(1, 1, channel="meeting") + claim(2, 2, channel="official"))
    finding = assess_case(case).get("policy.warned").attributes["channel"]
    assert finding.consistent and finding.of_source and set(finding.values) == {"meeting", "official"}


def test_an_event_names_no_occurrence() -> None:
    with pytest.raises(CasefileInvalid) as caught:
        mini("event", claim(1, 1, "warning-2005", announced="2005-02"))
    (problem,) = caught.value.problems
    assert problem.path == "claims[0].occurrence"
    assert "describes one event" in problem.message and "kind: pattern" in problem.message


def test_suggestions_from_date_overlap_and_place() -> None:
    case = mini("pattern", claim(1, 1, "warning-2005", announced="2005", place="Musan")
                + claim(2, 3, announced="2005-03")  # overlaps warning-2005
                + claim(3, 2, announced="2006-10", place="Hoeryong")  # overlaps nothing named
                + claim(4, 2, announced="2006", place="Hoeryong")  # overlaps C-3: the same new occurrence
                + claim(5, 2, announced="2005-06", place="Onsong")  # overlaps warning-2005, another place
                + claim(6, 1, sentence_years=3))  # undated: no suggestion  # fmt: skip
    suggested = {s.claim: s for s in suggest_occurrences(case, "policy.warned")}
    assert set(suggested) == {"C-2", "C-3", "C-4", "C-5"}
    assert suggested["C-2"].occurrence == "warning-2005" and not suggested["C-2"].new
    assert suggested["C-3"].occurrence == suggested["C-4"].occurrence == "warned-2006-10" and suggested["C-3"].new
    assert suggested["C-5"].new and suggested["C-5"].occurrence != "warning-2005"
    assert suggest_occurrences(mini("event", claim(1, 1, announced="2005")), "policy.warned") == []


def test_the_reference_timeline_marks_no_disagreement_between_occurrences(reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    assert not any(e.disagreement for e in build_timeline(case))
    spans = {s.proposition: s for s in pattern_spans(case)}
    warnings = spans["policy.crossers.warnings_repeated"]
    assert [o.label for o in warnings.occurrences] == ["late-2004", "decree-2005", "spring-2006", "july-2006",
                                                       "october-2006"]  # fmt: skip
    assert (warnings.start.isoformat(), warnings.end.isoformat()) == ("2004-09-01", "2006-10-31")
    # A real disagreement is still marked: two witnesses give different first-offence sentences for
    # the same period before 2004 ("six months" in Hoeryong, "two to three months" in Saebyol).
    lenient = assess_case(case).get("policy.crossers.lenient_before_2004").attributes["sentence_months"]
    assert not lenient.consistent and set(lenient.values) == {"6", "2..3"}
