"""Use cases of recommendations: what a briefing asked of whom, and what became of it."""

from __future__ import annotations

from corroborate.domain import Recommendation
from corroborate.errors import UserError
from corroborate.store import load_recommendations, open_store

from .access import Action, Actor
from .cases import actor_case
from .vocabulary import RECOMMENDATION_STATUSES

__all__ = ["STATUSES", "recommendations"]

# A recommendation's current status, or none when its follow-up records nothing yet.
STATUSES = (*RECOMMENDATION_STATUSES, "none")


def recommendations(
    location: str, *, actor: Actor, case: str | None = None, addressee: str | None = None, status: str | None = None
) -> list[Recommendation]:
    """A case's recommendations with their follow-up, optionally those to one addressee or at one current status
    (``none``: nothing recorded yet). Read from the store without loading the rest of the case."""
    if status is not None and status not in STATUSES:
        raise UserError(f"no status {status!r}; choose one of {', '.join(STATUSES)}")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_recommendations, case)
        found = load_recommendations(session, row.pk)
    if addressee is not None:
        found = [r for r in found if r.addressee.casefold() == addressee.casefold()]
    if status is not None:
        found = [r for r in found if (r.current.status if r.current else "none") == status]
    return found
