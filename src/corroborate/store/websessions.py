"""Browser sessions and failed sign-ins: the queries and writes behind the web's sign-in.

A session is found by the SHA-256 of its token, never the token itself. Nothing here is audited: a session
changes no record of a case (what a signed-in user changes is audited where it is changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from .schema import EditorScanKeyRow, LoginFailureRow, UserRow, WebSessionRow

__all__ = [
    "WebSessionInfo",
    "add_login_failure",
    "clear_login_failures",
    "create_web_session",
    "delete_user_sessions",
    "delete_web_session",
    "editor_scan_key",
    "keep_editor_scan_key",
    "find_web_session",
    "peek_web_session",
    "login_failures_since",
    "set_session_language",
    "set_session_sealed",
]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class WebSessionInfo:
    """A live session: whose it is and the token forms must carry back."""

    username: str
    user_pk: int
    csrf: str
    language: str | None
    expires_at: str
    sealed: bytes | None = None


def create_web_session(
    session: Session, user_pk: int, token_hash: str, csrf: str, *, now: datetime, lifetime: timedelta,
    sealed: bytes | None = None,
) -> None:  # fmt: skip
    """Start a session for a user; expired sessions of every user are dropped on the way."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < _iso(now)))
    session.add(WebSessionRow(token_hash=token_hash, user_pk=user_pk, csrf=csrf, created_at=_iso(now),
                              seen_at=_iso(now), expires_at=_iso(now + lifetime), sealed=sealed))  # fmt: skip
    session.flush()


def _session_row(session: Session, token_hash: str) -> Any:
    """The session with this token hash, with its user's name and whether they are disabled; None if none."""
    return session.execute(
        select(WebSessionRow, UserRow.username, UserRow.disabled)
        .join(UserRow, WebSessionRow.user_pk == UserRow.pk)
        .where(WebSessionRow.token_hash == token_hash)
    ).first()


def find_web_session(
    session: Session, token_hash: str, *, now: datetime, idle: timedelta, lifetime: timedelta
) -> WebSessionInfo | None:
    """The live session with this token hash (not expired, not idle too long, its user not disabled), its
    expiry slid forward by use but never past ``lifetime`` from its start; None otherwise."""
    found = _session_row(session, token_hash)
    if found is None:
        return None
    row, username, disabled = found
    if disabled or row.expires_at < _iso(now) or row.seen_at < _iso(now - idle):
        session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))
        return None
    latest = min(datetime.fromisoformat(row.created_at) + lifetime, now + idle)
    session.execute(
        update(WebSessionRow)
        .where(WebSessionRow.token_hash == token_hash)
        .values(seen_at=_iso(now), expires_at=max(row.expires_at, _iso(latest)))
    )
    return WebSessionInfo(username, row.user_pk, row.csrf, row.language, row.expires_at, row.sealed)


def peek_web_session(
    session: Session, token_hash: str, *, now: datetime, idle: timedelta, fresh: timedelta
) -> tuple[WebSessionInfo | None, bool]:  # fmt: skip
    """The session with this token hash read without writing, and whether that answer stands: it does when no
    session has the hash, or when it is live and was last seen within ``fresh`` (its expiry slid then); else
    ``find_web_session`` must run in a write transaction, to slide the expiry or drop the session."""
    found = _session_row(session, token_hash)
    if found is None:
        return None, True
    row, username, disabled = found
    if disabled or row.expires_at < _iso(now) or row.seen_at < _iso(now - min(fresh, idle)):
        return None, False
    return WebSessionInfo(username, row.user_pk, row.csrf, row.language, row.expires_at, row.sealed), True


def set_session_sealed(session: Session, token_hash: str, sealed: bytes | None) -> None:
    """Replace what a session keeps sealed (its signing key, the keys of the cases it unlocked)."""
    session.execute(update(WebSessionRow).where(WebSessionRow.token_hash == token_hash).values(sealed=sealed))


def set_session_language(session: Session, token_hash: str, language: str | None) -> None:
    """Remember the interface language a user chose in this session."""
    session.execute(update(WebSessionRow).where(WebSessionRow.token_hash == token_hash).values(language=language))


def delete_web_session(session: Session, token_hash: str) -> None:
    """End one session (signing out)."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))


def delete_user_sessions(session: Session, user_pk: int) -> int:
    """End every session of a user (signing out everywhere); how many there were."""
    result = session.execute(delete(WebSessionRow).where(WebSessionRow.user_pk == user_pk))
    return int(getattr(result, "rowcount", 0) or 0)


def add_login_failure(session: Session, username: str, address: str, *, now: datetime) -> None:
    """Count one failed sign-in; failures older than a day are dropped on the way."""
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < _iso(now - timedelta(days=1))))
    session.add(LoginFailureRow(username=username[:64], address=address[:64], at=_iso(now)))
    session.flush()


def login_failures_since(session: Session, username: str, address: str, since: datetime) -> tuple[int, str | None]:
    """How many sign-ins failed since ``since`` for this name or from this address, and when the oldest did."""
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailureRow.at)).where(
            LoginFailureRow.at >= _iso(since),
            or_(LoginFailureRow.username == username[:64], LoginFailureRow.address == address[:64]),
        )
    ).one()
    return int(count or 0), oldest


def clear_login_failures(session: Session, username: str) -> None:
    """Forget a name's failed sign-ins once its owner signed in."""
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username[:64]))


def keep_editor_scan_key(session: Session, case_ref: str, sealed: bytes, *, opened_by: str, expires: datetime) -> None:
    """Keep a case's sealed scan key for the editors' checks until ``expires`` (replacing one kept before)."""
    session.execute(delete(EditorScanKeyRow).where(EditorScanKeyRow.case_ref == case_ref))
    session.add(EditorScanKeyRow(case_ref=case_ref, sealed=sealed, opened_by=opened_by[:64], expires_at=_iso(expires)))
    session.flush()


def editor_scan_key(session: Session, case_ref: str, *, now: datetime) -> bytes | None:
    """The sealed scan key kept for a case's editors, while it lasts (an expired one is deleted)."""
    row = session.get(EditorScanKeyRow, case_ref)
    if row is None:
        return None
    if row.expires_at <= _iso(now):
        session.delete(row)
        return None
    return row.sealed
