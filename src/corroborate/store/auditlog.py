"""Reading the audit log back: the newest entries for a listing, one entry's hash for a head check."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import AuditRow

__all__ = ["entry_hash_at", "newest_entries"]


def newest_entries(session: Session, *, case: str | None, entity: str | None, limit: int) -> list[AuditRow]:
    """The newest ``limit`` entries (of one case, of one kind), oldest first."""
    query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)
    if case is not None:
        query = query.where(AuditRow.case_ref == case)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    return list(reversed(list(session.scalars(query))))


def entry_hash_at(session: Session, seq: int) -> str | None:
    """The hash of entry ``seq``; None when there is no such entry."""
    return session.scalar(select(AuditRow.entry_hash).where(AuditRow.seq == seq))
