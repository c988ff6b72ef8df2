"""Disclosure-check hits in the audit log: how many restricted values a user's checks found, and suspensions.

An editor's check that finds restricted values writes one ``disclosure`` entry
per block it found them in (action ``hit``), and ``suspend`` once the case's
daily limit is reached; an owner's signed ``disclosure_lift`` entry ends a
suspension. These queries read that state back; they name users and cases only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .schema import AuditRow

__all__ = ["HitState", "hit_state", "users_with_hits"]


@dataclass(frozen=True)
class HitState:
    """One user's disclosure-check hits on one case: in the last day (since the last lift), and suspension."""

    user: str
    hits: int
    suspended: bool


def _since(hours: int) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="microseconds")


def hit_state(session: Session, case_ref: str, user: str, *, limit: int) -> HitState:
    """Hits in the last 24 hours after the newest lift, and whether checks are suspended (limit reached)."""
    entity_id = f"{case_ref}/{user}"
    lifted = session.scalar(
        select(func.max(AuditRow.seq)).where(AuditRow.entity == "disclosure_lift", AuditRow.entity_id == entity_id)
    )
    mine = (AuditRow.entity == "disclosure", AuditRow.entity_id == entity_id, AuditRow.seq > (lifted or 0))
    hits = session.scalar(select(func.count()).where(*mine, AuditRow.action == "hit", AuditRow.at >= _since(24))) or 0
    flagged = session.scalar(select(func.count()).where(*mine, AuditRow.action == "suspend")) or 0
    return HitState(user, int(hits), bool(flagged) or hits >= limit)


def users_with_hits(session: Session, case_ref: str) -> list[str]:
    """Users whose disclosure checks on a case ever found a restricted value."""
    query = (
        select(AuditRow.actor)
        .where(AuditRow.entity == "disclosure", AuditRow.case_ref == case_ref)
        .distinct()
        .order_by(AuditRow.actor)
    )
    return list(session.scalars(query))
