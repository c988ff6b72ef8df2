"""Personal API tokens: the queries and writes behind a script's sign-in.

A token is found by the SHA-256 of its value, never the value. Nothing here is audited in a case's log: a
token changes no record (what a script changes through one is audited where it is changed, as its user).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .schema import ApiTokenRow, UserRow

__all__ = [
    "ApiTokenInfo",
    "create_api_token",
    "find_api_token",
    "revoke_api_token",
    "set_api_token_sealed",
    "user_api_tokens",
]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ApiTokenInfo:
    """A token as its user sees it in a listing (never its value), and what a request through it needs."""

    pk: int
    name: str
    username: str
    user_pk: int
    case: str
    role: str
    created_at: str
    expires_at: str
    used_at: str | None
    revoked_at: str | None
    sealed: bytes | None = None


def _info(row: ApiTokenRow, username: str) -> ApiTokenInfo:
    return ApiTokenInfo(row.pk, row.name, username, row.user_pk, row.case_ref, row.role, row.created_at,
                        row.expires_at, row.used_at, row.revoked_at, row.sealed)  # fmt: skip


def create_api_token(
    session: Session, user_pk: int, token_hash: str, *, name: str, case: str, role: str, now: datetime,
    expires: datetime, sealed: bytes | None,
) -> int:  # fmt: skip
    """Keep a new token's hash with its scope; its number (how its user names it to revoke it)."""
    row = ApiTokenRow(token_hash=token_hash, user_pk=user_pk, name=name, case_ref=case, role=role,
                      created_at=_iso(now), expires_at=_iso(expires), sealed=sealed)  # fmt: skip
    session.add(row)
    session.flush()
    return row.pk


def find_api_token(session: Session, token_hash: str, *, now: datetime) -> ApiTokenInfo | None:
    """The live token with this hash (not revoked, not expired, its user not disabled), marked as used now."""
    found = session.execute(
        select(ApiTokenRow, UserRow.username, UserRow.disabled)
        .join(UserRow, ApiTokenRow.user_pk == UserRow.pk)
        .where(ApiTokenRow.token_hash == token_hash)
    ).first()
    if found is None:
        return None
    row, username, disabled = found
    if disabled or row.revoked_at is not None or row.expires_at < _iso(now):
        return None
    if row.used_at is None or row.used_at[:16] != _iso(now)[:16]:  # to the minute: one write a minute at most
        session.execute(update(ApiTokenRow).where(ApiTokenRow.pk == row.pk).values(used_at=_iso(now)))
    return _info(row, username)


def user_api_tokens(session: Session, user_pk: int) -> list[ApiTokenInfo]:
    """A user's tokens, newest first, revoked and expired ones included (without what they keep sealed)."""
    rows = session.execute(
        select(ApiTokenRow, UserRow.username)
        .join(UserRow, ApiTokenRow.user_pk == UserRow.pk)
        .where(ApiTokenRow.user_pk == user_pk)
        .order_by(ApiTokenRow.pk.desc())
    ).all()
    return [_info(row, username) for row, username in rows]


def revoke_api_token(session: Session, user_pk: int, number: int, *, now: datetime) -> bool:
    """Revoke one of a user's tokens and drop what it kept sealed; False when they have no such live token."""
    result = session.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.pk == number, ApiTokenRow.user_pk == user_pk, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=_iso(now), sealed=None)
    )
    return bool(getattr(result, "rowcount", 0))


def set_api_token_sealed(session: Session, token_hash: str, sealed: bytes | None) -> None:
    """Replace what a token keeps sealed (its user's signing key, keys of a case unlocked through it)."""
    session.execute(
        update(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None))
        .values(sealed=sealed)
    )  # fmt: skip
