"""Claim listings choose their page among the claims alone: every filter and page gives what slicing the
case's own list gives (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from corroborate import services
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import Page, list_claims, open_store


def test_filtered_pages_are_slices_of_the_filtered_list(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    case = read_casefile(reference_case_path)
    excerpt_mode = {e.id: e.mode for e in case.excerpts}
    with open_store(store_location) as store, store.transaction() as session:
        for proposition in (None, "policy.crossers.imprisoned", "detention.beatings"):
            for stance in (None, "supports", "contradicts"):
                for mode in (None, "unstated"):
                    every = [
                        c.id for c in case.claims
                        if proposition in (None, c.proposition) and stance in (None, c.stance)
                        and mode in (None, c.mode or excerpt_mode[c.excerpt])
                    ]  # fmt: skip
                    chosen = {"proposition": proposition, "stance": stance, "mode": mode}
                    assert [c.id for c in list_claims(session, **chosen)] == every, chosen
                    for limit, offset in ((3, 0), (3, 2), (5, max(0, len(every) - 2)), (10, len(every) + 1)):
                        page = list_claims(session, **chosen, page=Page(limit, offset))
                        assert [c.id for c in page] == every[offset : offset + limit], (chosen, limit, offset)
        assert list_claims(session, proposition="no.such.proposition") == []


def test_a_named_witness_source_proposition_or_excerpt_keeps_the_listing_in_its_case(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    """Such filters start from the record named and leave the case's own condition out: the record's case
    must then be the listing's, even when another case of the store uses the same ids."""
    from corroborate.store import WitnessFilter, list_excerpts

    case = read_casefile(reference_case_path)
    other = case.model_copy(update={"case": case.case.model_copy(update={"id": "other"}),
                                    "claims": case.claims[::2]})  # fmt: skip
    services.import_case(store_location, case, actor=LOCAL_OWNER, secrets=secrets)
    services.import_case(store_location, other, actor=LOCAL_OWNER, secrets=secrets)
    witness_of = {i.id: i.witness for i in case.interviews}
    source_of = {e.id: e.source for e in case.excerpts}
    told_by = [witness_of[source_of[c.excerpt]] for c in case.claims[::2] if source_of[c.excerpt] in witness_of]
    witness = max(set(told_by), key=told_by.count)  # the witness whose claims both cases hold most of
    dropped = [source_of[c.excerpt] for c in case.claims[1::2]]  # sources of claims the other case lacks
    sources = [next(s for s in dropped if s in witness_of), next(s for s in dropped if s not in witness_of)]
    proposition = "policy.crossers.imprisoned"
    with open_store(store_location) as store, store.transaction() as session:
        for held in (case, other):
            ref = held.case.id
            claims = [(c.id, source_of[c.excerpt]) for c in held.claims]
            by_witness = [c for c, s in claims if witness_of.get(s) == witness]
            assert by_witness and [c.id for c in list_claims(session, ref, who=WitnessFilter(pseudonym=witness))] \
                == by_witness  # fmt: skip
            on_excerpt = [c.id for c in held.claims if c.excerpt == held.claims[0].excerpt]
            assert [c.id for c in list_claims(session, ref, excerpt=held.claims[0].excerpt)] == on_excerpt
            coded = {c.excerpt for c in held.claims if c.proposition == proposition}
            expected = [e.id for e in held.excerpts if e.id in coded]
            assert expected and [e.id for e in list_excerpts(session, ref, proposition=proposition)] == expected
            for source in sources:  # an interview and a document
                told = [e.id for e in held.excerpts if e.source == source]
                assert [e.id for e in list_excerpts(session, ref, source=source)] == told
                counts = {e.id: sum(c.excerpt == e.id for c in held.claims) for e in held.excerpts}
                assert all(e.claims == counts[e.id] for e in list_excerpts(session, ref, source=source))
            listed = list_excerpts(session, ref, who=WitnessFilter(pseudonym=witness), page=Page(limit=2))
            assert [e.id for e in listed] == [e.id for e in held.excerpts if witness_of.get(e.source) == witness][:2]
        assert list_excerpts(session, "other", source="no-such-source") == []
        assert list_claims(session, "other", who=WitnessFilter(pseudonym="no-such-witness")) == []
