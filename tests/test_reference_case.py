"""The reference case codes the reference paper faithfully (checked against the paper's own notes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corroborate.domain import Case, Gazetteer, parse_age
from corroborate.ingest import read_casefile

INTERVIEW_NOTE = re.compile(
    r"^(?P<n>\d+) Human Rights Watch interview with (?P<gender>man|woman) from (?P<origin>\w+), "
    r"(?:age (?P<age>\d+)|(?P<band>in (?:his|her) \w+)), China, (?P<date>\w+ \d+, \d{4})\.",
    re.M | re.I,
)
CENTRAL = {
    "policy.crossers.imprisoned",
    "policy.crossers.christian_contact.harsher",
    "detention.food.insufficient",
    "detention.beatings",
    "border_guards.punished_for_aiding",
}


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


def witness_of_note(case: Case, note: int) -> str:
    interviews = {i.id: i.witness for i in case.interviews}
    found = {interviews[e.source] for e in case.excerpts if e.note == note and e.source in interviews}
    assert len(found) == 1, f"note {note} cites {found}"
    return found.pop()


def test_interviewees(case: Case) -> None:
    assert len(case.witnesses) == 12
    north = [w for w in case.witnesses if w.descriptor.nationality == "KP"]
    assert len(north) == 11
    assert len({w.descriptor.origin for w in north}) == 8
    (chinese,) = [w for w in case.witnesses if w.descriptor.nationality == "CN"]
    assert chinese.descriptor.origin is None and chinese.descriptor.role


def test_every_interview_note_matches_its_witness(case: Case, reference_paper: str) -> None:
    notes = list(INTERVIEW_NOTE.finditer(reference_paper))
    assert len(notes) == 14  # plus note 4, the Chinese resident, in another wording
    witnesses = {w.id: w for w in case.witnesses}
    dates = {i.witness: i.date for i in case.interviews}
    gazetteer = Gazetteer.default()
    for m in notes:
        w = witnesses[witness_of_note(case, int(m["n"]))]
        d = w.descriptor
        assert d.gender == {"man": "male", "woman": "female"}[m["gender"].lower()], m.group(0)
        assert d.origin == gazetteer.lookup(m["origin"]).name, m.group(0)
        if m["age"]:
            assert d.age == int(m["age"]), m.group(0)
        else:
            assert d.age_band == parse_age(m["band"]), m.group(0)
        assert dates[w.id] == _iso(m["date"]), m.group(0)


def _iso(text: str) -> str:
    from datetime import datetime

    return datetime.strptime(text, "%B %d, %Y").date().isoformat()


def test_repeated_notes_cite_the_same_witness(case: Case) -> None:
    assert witness_of_note(case, 13) == witness_of_note(case, 30)
    assert witness_of_note(case, 16) == witness_of_note(case, 28)
    assert witness_of_note(case, 24) == witness_of_note(case, 26)
    assert witness_of_note(case, 23) != witness_of_note(case, 27)


def test_interview_dates_span_the_papers_fieldwork(case: Case) -> None:
    dates = sorted(i.date for i in case.interviews)
    assert dates[0] == "2006-11-26" and dates[-1] == "2006-12-02"


def test_coding_covers_the_paper(case: Case) -> None:
    assert len(case.excerpts) >= 30
    keys = {p.key for p in case.propositions}
    assert keys >= CENTRAL
    assert len({c.proposition for c in case.claims}) >= 12
    cited = {e.note for e in case.excerpts if e.note is not None}
    assert cited >= {4, *range(11, 18), *range(23, 31)}  # every interview note has an excerpt
    assert len(case.recommendations) >= 8
    assert {r.addressee for r in case.recommendations} >= {"DPRK", "PRC"}


def test_restricted_details_are_marked_invented(case: Case) -> None:
    restricted = [w.restricted for w in case.witnesses if w.restricted is not None]
    assert len(restricted) >= 5
    assert all(r.invented for r in restricted)
    assert all(r.name and r.name_hangul and r.contacts for r in restricted)


def test_restricted_values_appear_only_in_restricted_sections(case: Case, reference_case_path: Path) -> None:
    public = case.model_dump(mode="json", exclude={"witnesses": {"__all__": {"restricted"}}})
    text = str(public)
    for w in case.witnesses:
        for value in w.restricted.values() if w.restricted else []:
            if len(value) >= 4:
                assert value not in text, f"{w.id}: a restricted value appears outside `restricted`"


def test_background_only_witnesses_are_never_quoted(case: Case) -> None:
    background = {i.id for i in case.interviews if i.consent == "background"}
    assert all(not e.quote for e in case.excerpts if e.source in background)
