"""A parsed report as a new case, or merged into an existing case with ids that never collide."""

from __future__ import annotations

from pathlib import Path

from corroborate.domain import case_problems
from corroborate.ingest import read_casefile
from corroborate.ingest.report import ParsedReport, merge_report, report_case_id, report_content, report_to_case


def test_the_seed_as_a_new_case(seed: ParsedReport) -> None:
    case = report_to_case(seed)
    assert case.case.id == "north-korea-harsher-policies-against-border-crossers"
    assert case.case.organisation == "Human Rights Watch"
    assert (len(case.witnesses), len(case.interviews), len(case.documents), len(case.excerpts)) == (12, 12, 15, 33)
    assert case_problems(case) == []
    nationalities = sorted(w.descriptor.nationality for w in case.witnesses)
    assert nationalities.count("KP") == 11 and nationalities.count("CN") == 1
    assert len({w.descriptor.origin for w in case.witnesses if w.descriptor.origin}) == 8


def test_excerpts_link_to_the_witness_interview(seed: ParsedReport) -> None:
    case = report_to_case(seed, case_id="seed", title="Seed")
    assert (case.case.id, case.case.title) == ("seed", "Seed")
    interviews = {i.id: i for i in case.interviews}
    witnesses = {w.id: w for w in case.witnesses}
    by_note = {e.note: e for e in case.excerpts}
    first, second = interviews[by_note[13].source], interviews[by_note[30].source]
    assert first.id == second.id
    descriptor = witnesses[first.witness].descriptor
    assert (descriptor.origin, descriptor.age, descriptor.gender) == ("Hoeryong", 38, "male")
    assert by_note[13].mode == "heard_official" and by_note[30].mode == "experienced"
    assert by_note[10].pages == "21-22" and by_note[10].mode == "document"
    assert 6 not in by_note  # a note citing nothing has no source to hold its passage
    assert first.consent == "quote"


def test_unknown_dates_and_countries_are_recorded_as_unknown(amnesty_style: ParsedReport) -> None:
    case = report_to_case(amnesty_style)
    caller = next(i for i in case.interviews if i.date == "2012-05-10")
    assert caller.country == "ZZ"
    kim = next(w for w in case.witnesses if w.restricted is not None)
    assert kim.restricted is not None and kim.restricted.aliases == ["Kim"]
    assert kim.descriptor.role == "a former trader"
    tongsin = next(w for w in case.witnesses if w.descriptor.age == 58)
    assert tongsin.descriptor.origin is None and tongsin.descriptor.role == "from Tongsin-ri"


def test_merging_continues_every_numbering(seed: ParsedReport, reference_case_path: Path) -> None:
    reference = read_casefile(reference_case_path)
    # Interviewed on other days, the report's witnesses are other people: all of them are added.
    existing = reference.model_copy(
        update={"interviews": [i.model_copy(update={"date": "2005-01-01"}) for i in reference.interviews]}
    )
    merged = merge_report(existing, seed)
    assert case_problems(merged) == []
    new_witnesses = [w.id for w in merged.witnesses[len(existing.witnesses) :]]
    assert new_witnesses[0] == "W-013" and new_witnesses[-1] == "W-024"
    assert merged.claims == existing.claims and merged.propositions == existing.propositions
    ids = [i.id for i in merged.interviews] + [d.id for d in merged.documents]
    assert len(ids) == len(set(ids))
    assert len({e.id for e in merged.excerpts}) == len(merged.excerpts)


def test_merging_reuses_documents_the_case_already_holds(seed: ParsedReport, reference_case_path: Path) -> None:
    existing = read_casefile(reference_case_path)
    merged = merge_report(existing, seed)
    added = merged.documents[len(existing.documents) :]
    assert len(added) < len(seed.documents)
    hrw_2002 = [e for e in merged.excerpts[len(existing.excerpts) :] if e.note in (1, 9, 10)]
    assert {e.source for e in hrw_2002} == {"D-hrw-2002"}  # same address as the coded document


def test_merging_twice_adds_nothing_the_second_time(seed: ParsedReport, reference_case_path: Path) -> None:
    reference = read_casefile(reference_case_path)
    once = merge_report(reference, seed)
    # The paper's interviewees are the reference case's: matched by descriptor, interview date and
    # country, never added twice; the paper's sentences are new excerpts of the same interviews.
    assert once.witnesses == reference.witnesses and once.interviews == reference.interviews
    assert len(once.excerpts) > len(reference.excerpts)
    content = report_content(seed, once)
    assert (content.witnesses, content.interviews, content.documents, content.excerpts) == ([], [], [], [])
    assert content.matched["witnesses"] == 12 and content.matched["excerpts"] == len(once.excerpts) - len(
        reference.excerpts
    )
    twice = merge_report(once, seed)
    assert case_problems(twice) == [] and twice == once


def test_case_ids_from_titles() -> None:
    assert report_case_id("North Korea: Harsher Policies against Border-Crossers") == (
        "north-korea-harsher-policies-against-border-crossers"
    )
    assert report_case_id(None) == "report"
    assert report_case_id("!!!") == "report"
    assert len(report_case_id("word " * 40)) <= 64
