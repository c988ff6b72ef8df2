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
