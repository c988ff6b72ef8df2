"""What assessing reads (store.evidence): claims as plain rows with their excerpts' side, and the sources they
cite, the same whether read for the whole case or found by key for one proposition (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import evidence, open_store, resolve_case


def test_claim_rows_and_their_sources(
    store_location: str, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    case = read_casefile(reference_case_path)
    excerpts = {e.id: e for e in case.excerpts}
    with open_store(store_location) as store, store.transaction() as session:
        pk = resolve_case(session, None).pk
        whole = evidence.assessment_sources(session, pk)
        assert [p.key for p in whole.propositions.values()] == [p.key for p in case.propositions]
        assert list(whole.witnesses) == [w.id for w in case.witnesses]
        assert [d.id for _, d in whole.documents] == [d.id for d in case.documents]
        rows = list(evidence.claim_tuples(session, pk))
        assert sorted(r[1] for r in rows) == sorted(c.id for c in case.claims)
        for _, claim, stance, attributes, mode, occurrence, excerpt, excerpt_mode, note, _ in rows:
            expected = next(c for c in case.claims if c.id == claim)
            assert (stance, attributes, mode, occurrence, excerpt) == (
                expected.stance, expected.attributes, expected.mode, expected.occurrence, expected.excerpt
            )  # fmt: skip
            assert (excerpt_mode, note) == (excerpts[excerpt].mode, excerpts[excerpt].note)
        monkeypatch.setattr(evidence, "_KEYS", 2)  # keys named a few at a time: the same sources
        for key, proposition in whole.propositions.items():
            claims = list(evidence.claim_tuples(session, pk, key))
            assert sorted(c[1] for c in claims) == sorted(c.id for c in case.claims if c.proposition == proposition.key)
            one = evidence.cited_sources(session, key, claims)
            assert list(one.propositions) == [key]
            cited = {excerpts[c[6]].source for c in claims}
            interviews = [i for i in case.interviews if i.id in cited]
            assert sorted((w, d) for _, w, d in one.interviews) == sorted((i.witness, i.date) for i in interviews)
            assert list(one.witnesses) == [w.id for w in case.witnesses if w.id in {i.witness for i in interviews}]
            assert [d.id for _, d in one.documents] == [d.id for d in case.documents if d.id in cited]
            for pseudonym in one.witnesses:
                assert (
                    one.witness(pseudonym).descriptor == next(w for w in case.witnesses if w.id == pseudonym).descriptor
                )
