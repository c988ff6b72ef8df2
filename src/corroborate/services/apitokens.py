"""Use cases of personal API tokens: a user creates one for a script (shown once), lists and revokes theirs,
and a request that presents one acts as its user, on its one case, with its role.

A token is scoped to one case and a role no higher than its user's there (every action the token's role
allows, the user's allows too). Roles are read afresh on every request: a token whose user lost the role it
names acts with no role at all until the user gets it back. The store keeps only the token's SHA-256; the
user's audit signing key (so the script's changes are signed as that user) and the keys of a case unlocked
through the token are sealed under the token (services.sealing), like a browser session's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from corroborate.errors import NotAuthenticated, UserError
from corroborate.store import CaseKeys, open_store
from corroborate.store.accounts import find_user, user_roles
from corroborate.store.apitokens import (
    ApiTokenInfo,
    create_api_token,
    find_api_token,
    revoke_api_token,
    set_api_token_sealed,
    user_api_tokens,
)

from .access import POLICY, Action, Actor, Role
from .cases import actor_case
from .sealing import opened_cases, seal, signing_content, signing_key, token_hash, unsealed, with_unlocked

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "PREFIX",
    "ApiTokenInfo",
    "NewToken",
    "TokenCaller",
    "caller_for",
    "create_token",
    "keep_unlocked",
    "list_tokens",
    "revoke_token",
    "role_within",
]

PREFIX = "cbt_"  # so a token pasted where it should not be is recognisable (and secret scanners can find it)
DEFAULT_DAYS = 90
MAX_DAYS = 366


def role_within(role: Role, limit: Role | None) -> bool:
    """Whether ``role`` is no higher than ``limit``: every action it allows, ``limit`` allows too."""
    if limit is None:
        return False
    return all(limit in allowed for allowed in POLICY.values() if role in allowed)


@dataclass(frozen=True)
class NewToken:
    """A token just made: its value (shown this once, never stored), its number and when it expires."""

    number: int
    token: str = field(repr=False)
    case: str
    role: Role
    expires_at: str


@dataclass(frozen=True)
class TokenCaller:
    """Who a request that presents a token is: its user with the token's role on its case (no role when the
    user no longer has one as high), their signing key, and the keys of the case unlocked through it."""

    actor: Actor
    number: int
    case: str
    opened: dict[str, CaseKeys] = field(default_factory=dict, repr=False)


def _account(session: Session, actor: Actor) -> int:
    user = find_user(session, actor.name)
    if user is None or user.disabled:
        raise UserError("API tokens belong to user accounts: add users to this store (`corroborate user add`) first")
    return user.pk


def create_token(
    location: str, *, actor: Actor, name: str, case: str, role: Role | str, days: int = DEFAULT_DAYS,
    now: datetime | None = None,
) -> NewToken:  # fmt: skip
    """Make a token for the signed-in user, on a case they have a role on, with a role no higher than theirs.

    The token's value is returned once; the store keeps its hash. The user's signing key (from their
    sign-in) is sealed under it, so a script's changes are signed as the user.
    """
    wanted = Role(role) if role in {r.value for r in Role} else None
    if wanted is None:
        raise UserError(f"a token's role is one of {', '.join(r.value for r in Role)}, not {role!r}")
    label = " ".join(name.split())
    if not label or len(label) > 200:
        raise UserError("a token needs a name of 1 to 200 characters (what it is for, e.g. 'intake form')")
    if not 1 <= days <= MAX_DAYS:
        raise UserError(f"a token lasts 1 to {MAX_DAYS} days, not {days}")
    moment = now or datetime.now(UTC)
    token = PREFIX + secrets.token_urlsafe(32)
    with open_store(location) as store, store.transaction(write=True) as session:
        row = actor_case(session, actor, Action.list_cases, case)
        mine = actor.role_for(row.ref)
        if not role_within(wanted, mine):
            raise UserError(f"{actor.name} is {mine or 'no role'} on case {row.ref!r}: a token of theirs cannot be "
                            f"{wanted.value} there")  # fmt: skip
        user_pk = _account(session, actor)
        expires = moment + timedelta(days=days)
        sealed = seal(token, signing_content(actor.signing_key))
        number = create_api_token(session, user_pk, token_hash(token), name=label, case=row.ref, role=wanted.value,
                                  now=moment, expires=expires, sealed=sealed)  # fmt: skip
    return NewToken(number, token, row.ref, wanted, expires.isoformat(timespec="seconds"))


def list_tokens(location: str, *, actor: Actor) -> list[ApiTokenInfo]:
    """The signed-in user's tokens, newest first (never their values; revoked and expired ones too)."""
    with open_store(location) as store, store.transaction() as session:
        user = find_user(session, actor.name)
        if user is None:
            return []
        return [replace(t, sealed=None) for t in user_api_tokens(session, user.pk)]


def revoke_token(location: str, number: int, *, actor: Actor, now: datetime | None = None) -> None:
    """Revoke one of the signed-in user's tokens at once (what it kept sealed goes with it)."""
    with open_store(location) as store, store.transaction(write=True) as session:
        user_pk = _account(session, actor)
        if not revoke_api_token(session, user_pk, number, now=now or datetime.now(UTC)):
            raise UserError(f"{actor.name} has no live token number {number} (`corroborate token list` shows them)")


def caller_for(location: str, token: str | None, *, now: datetime | None = None) -> TokenCaller | None:
    """Who presents this token, or None (no token, unknown, revoked, expired, or its user disabled)."""
    if not token or not token.startswith(PREFIX):
        return None
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_api_token(session, token_hash(token), now=now or datetime.now(UTC))
        if found is None:
            return None
        held = user_roles(session, found.user_pk)
    user_role = held.get(found.case, held.get(None))
    role = Role(found.role)
    roles: dict[str | None, Role] = (
        {found.case: role} if role_within(role, Role(user_role) if user_role else None) else {}
    )
    content = unsealed(token, found.sealed)
    actor = replace(Actor(found.username, roles, by_token=True), signing_key=signing_key(content))
    return TokenCaller(actor, found.pk, found.case, opened_cases(content))


def keep_unlocked(location: str, token: str, keys: CaseKeys, *, minutes: int) -> None:
    """Keep a case's opened keys sealed in the token for ``minutes`` (an unlock through the API)."""
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_api_token(session, token_hash(token), now=datetime.now(UTC))
        if found is None:
            raise NotAuthenticated("the API token is unknown, revoked or expired")
        content = with_unlocked(unsealed(token, found.sealed), keys, minutes=minutes)
        set_api_token_sealed(session, token_hash(token), seal(token, content))
