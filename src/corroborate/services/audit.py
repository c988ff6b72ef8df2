"""Use cases on the audit log: verify the chain and the rows it covers, list entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from corroborate.store import AuditReport, open_store, verify_audit
from corroborate.store.schema import AuditRow

from .access import Action, Actor, authorize

__all__ = ["AuditEntry", "audit_entries", "verify"]


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    case: str | None
    entity: str
    entity_id: str
    action: str
    before_hash: str | None
    after_hash: str | None
    entry_hash: str


def verify(location: str, *, actor: Actor, expect_head: str | None = None) -> AuditReport:
    """Check the hash chain and that every audited row matches its newest entry."""
    authorize(actor, Action.audit_verify)
    with open_store(location) as store, store.transaction() as session:
        return verify_audit(session, expect_head=expect_head)


def audit_entries(
    location: str, *, actor: Actor, case: str | None = None, limit: int = 100, entity: str | None = None
) -> list[AuditEntry]:
    """The newest entries (ids and hashes only; an entry never holds a restricted value)."""
    authorize(actor, Action.audit_log, case=case)
    with open_store(location) as store, store.transaction() as session:
        query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)
        if case is not None:
            query = query.where(AuditRow.case_ref == case)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        rows = list(session.scalars(query))
    return [
        AuditEntry(
            r.seq,
            r.at,
            r.actor,
            r.case_ref,
            r.entity,
            r.entity_id,
            r.action,
            r.before_hash,
            r.after_hash,
            r.entry_hash,
        )  # fmt: skip
        for r in reversed(rows)
    ]
