"""Reading the audit log back: the newest entries for a listing, one entry's hash for a head check, and the
log's head (which changes with every write, so it tells whether anything changed since it was read)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import AuditRow

__all__ = ["entry_hash_at", "log_head", "newest_entries"]


def newest_entries(
    session: Session, *, case: str | None, entity: str | None, limit: int, before: int | None = None,
    action: str | None = None, actor: str | None = None,
) -> list[AuditRow]:  # fmt: skip
    """The newest ``limit`` entries (of one case, of one kind, action or actor; older than entry ``before``),
    oldest first."""
    query = select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)
    if case is not None:
        query = query.where(AuditRow.case_ref == case)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    if before is not None:
        query = query.where(AuditRow.seq < before)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if actor is not None:
        query = query.where(AuditRow.actor == actor)
    return list(reversed(list(session.scalars(query))))


def log_head(session: Session) -> tuple[int, str] | None:
    """The newest entry's number and hash (None in a store no write has reached)."""
    found = session.execute(select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    return None if found is None else (found.seq, found.entry_hash)


def entry_hash_at(session: Session, seq: int) -> str | None:
    """The hash of entry ``seq``; None when there is no such entry."""
    return session.scalar(select(AuditRow.entry_hash).where(AuditRow.seq == seq))
