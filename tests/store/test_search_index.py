"""The search index's ways to a case's first matches give the rows a full search gives (SQLite and PostgreSQL):
the index driving in key order, a scan stopped early, a place found through its witnesses."""

from __future__ import annotations

from pathlib import Path

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.search import _terms
from corroborate.store import open_store, resolve_case
from corroborate.store.search import KINDS, search_text


def test_the_first_matches_are_the_first_of_all_matches(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    queries = ("Chungjin", "청진", "Hoeryong", "kyohwaso", "kyohwaso years", '"regular prison"', "UN", "man")
    with open_store(store_location) as store, store.transaction() as session:
        case = resolve_case(session, None).pk
        for query in queries:
            every = search_text(session, case, _terms(query))
            assert every, query
            for first in (1, 3, 1000):
                found = search_text(session, case, _terms(query), first=first)
                for kind in KINDS:
                    of_kind = [m for m in every if m.kind == kind]
                    # the first ones in key order, which for an imported case is the case's order
                    assert [m for m in found if m.kind == kind] == of_kind[:first], (query, first, kind)
