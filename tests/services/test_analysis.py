"""Coding claims through the services: an accepted suggestion identical to an existing claim is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.errors import RecordNotFound, UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets, analysis


def test_the_same_claim_twice_is_refused(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    existing = read_casefile(reference_case_path).claims[0]
    again = existing.model_copy(update={"id": "C-again"})
    with pytest.raises(UserError, match=f"claim {existing.id} already codes {existing.excerpt} the same way"):
        analysis.add_claim(location, again, actor=LOCAL_OWNER, secrets=secrets)
    other = Claim(id="C-other", excerpt=existing.excerpt, proposition=existing.proposition, stance="contradicts")
    analysis.add_claim(location, other, actor=LOCAL_OWNER, secrets=secrets)  # a different coding is fine


def test_occurrences_are_stored_and_suggested(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    span, suggestions = analysis.occurrences(location, "policy.crossers.imprisoned", actor=LOCAL_OWNER)
    assert [o.label for o in span.occurrences if o.label] == ["late-2004", "decree-2005", "spring-2006",
                                                               "october-2006"]  # fmt: skip
    assert suggestions == []  # every dated claim of the reference case names its occurrence
    # A new dated claim that names none is offered the occurrence whose dates it shares.
    new = Claim(id="C-new", excerpt="X-n12-one-to-five-years", proposition="policy.crossers.imprisoned",
                attributes={"announced": "2006-10-15"})  # fmt: skip
    analysis.add_claim(location, new, actor=LOCAL_OWNER, secrets=secrets)
    _, suggestions = analysis.occurrences(location, "policy.crossers.imprisoned", actor=LOCAL_OWNER)
    assert [(s.claim, s.occurrence, s.new) for s in suggestions] == [("C-new", "october-2006", False)]
    named = new.model_copy(update={"id": "C-named", "occurrence": "october-2006", "attributes": {}})
    analysis.add_claim(location, named, actor=LOCAL_OWNER, secrets=secrets)
    loaded = analysis.load_public_case(location, actor=LOCAL_OWNER)
    assert next(c for c in loaded.claims if c.id == "C-named").occurrence == "october-2006"
    assert next(p for p in loaded.propositions if p.key == "policy.crossers.imprisoned").kind == "pattern"
    with pytest.raises(UserError, match="describes one event"):
        analysis.occurrences(location, "event.rok_airlift_2004", actor=LOCAL_OWNER)
    on_event = Claim(id="C-event", excerpt="X-n02-kcna-statement", proposition="event.rok_airlift_2004",
                     occurrence="july-2004")  # fmt: skip
    with pytest.raises(UserError, match="describes one event"):
        analysis.add_claim(location, on_event, actor=LOCAL_OWNER, secrets=secrets)


def test_one_proposition_assessed_from_the_store_as_from_the_whole_case(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    whole = analysis.assess(store_location, actor=LOCAL_OWNER)
    for expected in whole.assessments:
        key = expected.proposition.key
        alone = analysis.assess(store_location, actor=LOCAL_OWNER, proposition=key)
        assert [a.proposition.key for a in alone.assessments] == [key]
        assert alone.get(key).to_json() == expected.to_json(), key  # grade, sources, conflicts and the working
    # Only the rows that proposition rests on are read: one witness for the beatings, none of the others.
    loaded = analysis.load_one_proposition(store_location, "detention.beatings", actor=LOCAL_OWNER)
    assert [w.id for w in loaded.witnesses] == ["W-010"] and loaded.documents == []
    assert {c.proposition for c in loaded.claims} == {"detention.beatings"} and loaded.recommendations == []
    assert all(w.restricted is None for w in loaded.witnesses)
    with pytest.raises(UserError, match="did you mean policy.crossers.imprisoned"):
        analysis.assess(store_location, actor=LOCAL_OWNER, proposition="imprisoned")


def test_the_store_is_assessed_from_its_rows_as_the_loaded_case_is(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    """Claims read as plain rows (store.evidence) give what assessing the whole loaded case gives."""
    from corroborate.analysis import assess_case, load_standard

    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    coi = Path(__file__).resolve().parents[2] / "src/corroborate/analysis/data/standards/coi-reasonable-grounds.yaml"
    for standard in (None, coi):
        loaded = assess_case(analysis.load_public_case(store_location, actor=LOCAL_OWNER), load_standard(standard))
        from_rows = analysis.assess(store_location, actor=LOCAL_OWNER, standard=standard)
        assert from_rows.standard == loaded.standard
        assert [a.to_json() for a in from_rows.assessments] == [a.to_json() for a in loaded.assessments]


def test_coding_suggestions_read_from_the_store_match_those_of_the_whole_case(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    from corroborate.analysis import Thesaurus, suggest

    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    case = read_casefile(reference_case_path)
    dates = {i.id: i.date for i in case.interviews}
    offered = 0
    for excerpt in case.excerpts:
        found, suggestions = analysis.code_suggestions(location, excerpt.id, actor=LOCAL_OWNER)
        year = int(dates[excerpt.source][:4]) if excerpt.source in dates else None
        expected = suggest(excerpt, propositions=case.propositions, thesaurus=Thesaurus.default(), context_year=year)
        assert found == excerpt and suggestions == expected, excerpt.id
        offered += len(suggestions)
    assert offered > len(case.excerpts) // 2  # the comparison is not of empty lists


def test_coding_suggestions_for_an_unknown_excerpt_name_close_ones(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordNotFound, match=r"no excerpt 'N01-LENIENCY' in case .*; did you mean X-n01-leniency"):
        analysis.code_suggestions(location, "N01-LENIENCY", actor=LOCAL_OWNER)
    with pytest.raises(RecordNotFound, match=r"no excerpt '%_' in case '[^']+'$"):  # LIKE's wildcards match nothing
        analysis.code_suggestions(location, "%_", actor=LOCAL_OWNER)
