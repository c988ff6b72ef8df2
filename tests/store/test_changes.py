"""Writes of one record at a time, and of what differs between two versions of a case: no orphan, ever."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborate import services
from corroborate.errors import RecordInUse
from corroborate.services import LOCAL_OWNER
from corroborate.store import KINDS, AuditWriter, apply_case, delete_record, load_case, open_store, record_ref
from corroborate.store.schema import Base, CaseRow, DocumentRow, RecommendationRow


class _Rollback(Exception):
    """Leaves a test's transaction without committing it."""


def orphans(session: Session) -> list[str]:
    """Every row, of every table, that points to a row that is not there (foreign keys and cited documents)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column
            missing = select(fk.parent).where(fk.parent.is_not(None), fk.parent.not_in(select(target)))
            found += [f"{table.name}.{fk.parent.name} -> {target.table.name}: {v}" for v in session.scalars(missing)]
    documents = set(session.scalars(select(DocumentRow.ref)))
    for ref, steps in session.execute(select(RecommendationRow.ref, RecommendationRow.follow_up)):
        cited = {s for step in steps or [] for s in step.get("sources") or []}
        found += [f"recommendation {ref} cites missing document {d}" for d in sorted(cited - documents)]
    return found


@pytest.fixture
def reference(store_location: str, secrets: Any, reference_case_path: Any) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def test_deleting_every_record_in_any_order_never_leaves_an_orphan(reference: str) -> None:
    """Try to delete every record, in a shuffled order, until all are gone: refusals name users, never orphan."""
    with open_store(reference) as store, pytest.raises(_Rollback), store.transaction(write=True) as session:
        case = session.scalar(select(CaseRow))
        assert case is not None and orphans(session) == []
        loaded = load_case(session, case.ref)
        left = [(kind, record_ref(kind, item)) for kind, (_t, _k, section) in KINDS.items()
                for item in getattr(loaded, section)]  # fmt: skip
        random.Random(7).shuffle(left)
        audit, refused, deleted = AuditWriter(session, "test"), 0, 0
        while left:
            kept = []
            for kind, ref in left:
                try:
                    delete_record(session, case, kind, ref, audit=audit)
                except RecordInUse as exc:
                    assert exc.users and all(exc.users.values())
                    kept.append((kind, ref))
                    refused += 1
                    continue
                deleted += 1
                assert orphans(session) == [], (kind, ref)
            assert len(kept) < len(left), "some record can always be deleted"
            left = kept
        assert refused > 0 and deleted == sum(len(getattr(loaded, s)) for _t, _k, s in KINDS.values())
        assert load_case(session, case.ref).claims == []
        raise _Rollback


def test_applying_a_changed_case_writes_only_what_differs(reference: str) -> None:
    with open_store(reference) as store, pytest.raises(_Rollback), store.transaction(write=True) as session:
        case = session.scalar(select(CaseRow))
        assert case is not None
        before = load_case(session, case.ref)
        claim = before.claims[0]
        excerpt = next(e for e in before.excerpts if e.id == claim.excerpt)
        after = before.model_copy(update={
            "excerpts": [e.model_copy(update={"text": e.text + " (checked)"}) if e.id == excerpt.id else e
                         for e in before.excerpts],
            "claims": [c for c in before.claims if c.id != before.claims[1].id],
            "documents": [*before.documents, before.documents[0].model_copy(update={"id": "D-new"})],
        })  # fmt: skip
        audit = AuditWriter(session, "test")
        done = apply_case(session, case, before, after, audit=audit, keys=None)
        assert [(c.kind, c.ref, c.action) for c in done.changes] == [
            ("document", "D-new", "create"),
            ("excerpt", excerpt.id, "update"),
            ("claim", before.claims[1].id, "delete"),
        ]
        assert len(audit._pending) == 3 and not done.identities
        assert load_case(session, case.ref) == after
        assert orphans(session) == []
        raise _Rollback
