"""Disclosure checks by users who may not see identities: audited hits, a daily limit, suspensions and alerts.

A disclosure check tells such a user only which blocks of their briefing hold
a restricted value. That is still one bit per block, so every hit is written
to the audit log under the user's name; once a user's checks on a case hit
the case's daily limit (``DEFAULT_HIT_LIMIT`` unless an owner sets another),
their checks are suspended until an owner lifts it, and owners see an alert.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from corroborate.errors import DisclosureSuspended, UserError
from corroborate.store import AuditWriter, case_refs, open_store, resolve_case
from corroborate.store.hits import hit_state, users_with_hits
from corroborate.store.schema import CaseRow

from .access import Action, Actor, allowed
from .cases import actor_case, case_write
from .unlocking import Secrets

__all__ = [
    "DEFAULT_HIT_LIMIT",
    "DisclosureAlert",
    "disclosure_alerts",
    "hit_limit",
    "lift_suspension",
    "record_hits",
    "refuse_if_suspended",
    "set_hit_limit",
]

DEFAULT_HIT_LIMIT = 10


@dataclass(frozen=True)
class DisclosureAlert:
    """A user whose disclosure checks on a case found restricted values: hits in the last day, suspended or not."""

    case: str
    user: str
    hits: int
    suspended: bool
    limit: int

    def __str__(self) -> str:
        state = "SUSPENDED" if self.suspended else "not suspended"
        return (f"{self.user}'s disclosure checks on case {self.case} found {self.hits} restricted value(s) in the "
                f"last 24 hours (limit {self.limit}): {state}")  # fmt: skip


def hit_limit(row: CaseRow) -> int:
    """How many hits in a day suspend a user's checks on this case."""
    return row.hit_limit or DEFAULT_HIT_LIMIT


def refuse_if_suspended(session: Session, row: CaseRow, actor: Actor) -> None:
    """DisclosureSuspended when the user's checks on the case are suspended."""
    state = hit_state(session, row.ref, actor.name, limit=hit_limit(row))
    if state.suspended:
        raise DisclosureSuspended(actor.name, row.ref, state.hits)


def record_hits(session: Session, row: CaseRow, actor: Actor, places: list[str]) -> bool:
    """Write one audit entry per block a check found a restricted value in; True when this suspends the user.

    The entries need no signature (the user cannot unlock the case); they say
    only who, which case and when, never where or what.
    """
    if not places:
        return False
    audit = AuditWriter(session, actor.name)
    entity_id = f"{row.ref}/{actor.name}"
    for _ in places:
        audit.record(row.ref, "disclosure", entity_id, "hit", None, None)
    audit.flush()
    state = hit_state(session, row.ref, actor.name, limit=hit_limit(row))
    if state.hits >= hit_limit(row):
        audit.record(row.ref, "disclosure", entity_id, "suspend", None, None)
        audit.flush()
        return True
    return False


def lift_suspension(location: str, user: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> None:
    """End a user's suspension on a case and start their daily count again (owners; signed with the case key)."""
    with case_write(location, actor=actor, action=Action.manage_users, secrets=secrets, case=case) as w:
        if user not in users_with_hits(w.session, w.row.ref):
            raise UserError(f"{user}'s disclosure checks on case {w.row.ref!r} never found a restricted value")
        w.audit.record(w.row.ref, "disclosure_lift", f"{w.row.ref}/{user}", "lift", None, None)


def set_hit_limit(location: str, limit: int, *, actor: Actor, secrets: Secrets, case: str | None = None) -> None:
    """Set how many hits in a day suspend a user's disclosure checks on a case (owners; signed)."""
    if not 1 <= limit <= 1000:
        raise UserError(f"the daily limit of disclosure-check hits is between 1 and 1000, not {limit}")
    with case_write(location, actor=actor, action=Action.manage_users, secrets=secrets, case=case) as w:
        before = w.audit.row_hash(w.row)
        w.row.hit_limit = limit
        w.session.flush()
        w.audit.record_row(w.row.ref, "case", w.row.ref, "update", before, w.row)


def disclosure_alerts(location: str, *, actor: Actor, case: str | None = None) -> list[DisclosureAlert]:
    """Users whose checks found restricted values on a case the actor owns (by case with ``case``)."""
    with open_store(location) as store, store.transaction() as session:
        if case is not None:
            rows = [actor_case(session, actor, Action.manage_users, case)]
        else:
            owned = [ref for ref in case_refs(session) if allowed(actor, Action.manage_users, case=ref)]
            rows = [resolve_case(session, ref) for ref in owned]
        alerts = []
        for row in rows:
            for user in users_with_hits(session, row.ref):
                state = hit_state(session, row.ref, user, limit=hit_limit(row))
                if state.hits or state.suspended:
                    alerts.append(DisclosureAlert(row.ref, user, state.hits, state.suspended, hit_limit(row)))
        return alerts
