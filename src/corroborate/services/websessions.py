"""Use cases of signing in from a browser: start a session with a password (and a one-time code where the
user enabled one), find whose a session is, sign out here or everywhere, and slow down password guessing.

The browser keeps a random token in a cookie; the store keeps only its SHA-256, so a copy of the store
opens no session. Roles are read afresh on every request: a role taken away takes effect at once.

What a session holds besides (the user's audit signing key, opened from their password at sign-in, and
the keys of the cases they unlocked) is sealed in its row with AES-GCM under a key derived from the
cookie's token (HKDF-SHA256). Any worker of a server opens it for a request that presents the cookie; the
store alone opens nothing. Unlocked keys carry their own expiry; signing out deletes the row.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

from corroborate.errors import NotAuthenticated, TooManyAttempts, WrongPassphrase
from corroborate.store import CaseKeys, open_store
from corroborate.store.accounts import count_users, find_user, user_roles
from corroborate.store.websessions import (
    WebSessionInfo,
    add_login_failure,
    clear_login_failures,
    create_web_session,
    delete_user_sessions,
    delete_web_session,
    editor_scan_key,
    find_web_session,
    keep_editor_scan_key,
    login_failures_since,
    peek_web_session,
    set_session_language,
    set_session_sealed,
)

from . import keychanges
from .access import Actor, Role
from .sealing import opened_cases, seal, signing_content, signing_key, token_hash, unsealed, with_unlocked
from .users import authenticate

__all__ = [
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "SESSION_IDLE",
    "SESSION_LIFETIME",
    "WebLogin",
    "WebSession",
    "end_everywhere",
    "editors_scan_key",
    "end_session",
    "keep_editors_scan_key",
    "has_accounts",
    "keep_unlocked",
    "open_keys",
    "session_for",
    "set_language",
    "start_session",
]

SESSION_IDLE = timedelta(hours=2)  # a laptop left open in a risky place signs itself out
SESSION_LIFETIME = timedelta(hours=12)  # a working day at most, however busy
# A session's last use is written at most this often: a request within it only reads the session, so requests
# do not queue for the write lock; the idle time then counts from a use at most this much earlier.
SEEN_STEP = timedelta(seconds=30)
MAX_FAILURES = 5  # failed sign-ins allowed per name, and per address, within the window
FAILURE_WINDOW = timedelta(minutes=15)


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


@dataclass(frozen=True)
class WebLogin:
    """A new session: the token for the cookie (shown once, never stored), the CSRF token, the actor."""

    token: str
    csrf: str
    actor: Actor


@dataclass(frozen=True)
class WebSession:
    """Whose a live session is, with their roles as they are now, their signing key (in ``actor``) and the
    keys of the cases unlocked in it that have not expired."""

    actor: Actor
    csrf: str
    language: str | None
    opened: Mapping[str, CaseKeys] = field(default_factory=dict, repr=False)


def has_accounts(location: str) -> bool:
    """True when the store has user accounts (a browser can only sign in to such a store)."""
    with open_store(location) as store, store.transaction() as session:
        return count_users(session) > 0


def _refuse_while_failing(location: str, name: str, address: str, moment: datetime, *, what: str) -> None:
    with open_store(location) as store, store.transaction() as session:
        failures, oldest = login_failures_since(session, name, address, moment - FAILURE_WINDOW)
    if failures >= MAX_FAILURES:
        wait = (datetime.fromisoformat(oldest) + FAILURE_WINDOW - moment) if oldest else FAILURE_WINDOW
        raise TooManyAttempts(max(1, int(wait.total_seconds())), what=what)


def start_session(
    location: str, username: str, password: str, totp: str | None = None, *, address: str,
    now: datetime | None = None,
) -> WebLogin:  # fmt: skip
    """Sign a user in: refused while too many sign-ins failed lately for that name or from that address
    (``TooManyAttempts``); a wrong password or code is counted and refused (``NotAuthenticated``)."""
    moment = _now(now)
    _refuse_while_failing(location, username, address, moment, what="sign-ins")
    try:
        actor = authenticate(location, username, password, totp)
    except NotAuthenticated:
        with open_store(location) as store, store.transaction(write=True) as session:
            add_login_failure(session, username, address, now=moment)
        raise
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with open_store(location) as store, store.transaction(write=True) as session:
        user = find_user(session, username)
        if user is None:  # removed between the two transactions
            raise NotAuthenticated()
        create_web_session(session, user.pk, token_hash(token), csrf, now=moment, lifetime=SESSION_IDLE,
                           sealed=seal(token, signing_content(actor.signing_key)))  # fmt: skip
        clear_login_failures(session, username)
    return WebLogin(token, csrf, actor)


def open_keys(
    location: str, *, actor: Actor, passphrase: str, case: str, address: str, now: datetime | None = None
) -> CaseKeys:
    """A case's keys opened with its passphrase from a browser or an API client, guarded as sign-ins are:
    refused (``TooManyAttempts``) while too many wrong passphrases came lately for this user and case, or
    from this address; a wrong one is counted (``WrongPassphrase``). Argon2 makes each guess slow; this
    bounds how many a stolen session or token can make."""
    moment = _now(now)
    name = "unlock/" + hashlib.sha256(f"{case}\n{actor.name}".encode()).hexdigest()[:48]  # fits the name column
    _refuse_while_failing(location, name, address, moment, what="unlock attempts")
    try:
        keys = keychanges.open_keys(location, actor=actor, passphrase=passphrase, case=case)
    except WrongPassphrase:
        with open_store(location) as store, store.transaction(write=True) as session:
            add_login_failure(session, name, address, now=moment)
        raise
    with open_store(location) as store, store.transaction(write=True) as session:
        clear_login_failures(session, name)
    return keys


def session_for(location: str, token: str | None, *, now: datetime | None = None) -> WebSession | None:
    """The live session a cookie's token names, or None (no token, unknown, expired, idle, user disabled)."""
    if not token:
        return None
    moment, hashed = _now(now), token_hash(token)
    with open_store(location) as store:
        with store.transaction() as session:  # most requests: a read, no write lock taken
            found, settled = peek_web_session(session, hashed, now=moment, idle=SESSION_IDLE, fresh=SEEN_STEP)
            roles = _roles(session, found) if settled else None
        if not settled:  # seen more than SEEN_STEP ago (its expiry slides now), or to be dropped
            with store.transaction(write=True) as session:
                found = find_web_session(session, hashed, now=moment, idle=SESSION_IDLE, lifetime=SESSION_LIFETIME)
                roles = _roles(session, found)
    if found is None or roles is None:
        return None
    content = unsealed(token, found.sealed)
    actor = replace(Actor(found.username, roles), signing_key=signing_key(content))
    return WebSession(actor, found.csrf, found.language, opened_cases(content))


def _roles(session: Session, found: WebSessionInfo | None) -> dict[str | None, Role] | None:
    """The roles of a session's user as they are now; None without a session."""
    if found is None:
        return None
    return {ref: Role(role) for ref, role in user_roles(session, found.user_pk).items()}


def keep_unlocked(location: str, token: str, keys: CaseKeys, *, minutes: int) -> None:
    """Keep a case's opened keys in the session for ``minutes`` (sealed under the session's token)."""
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_web_session(session, token_hash(token), now=datetime.now(UTC), idle=SESSION_IDLE,
                                 lifetime=SESSION_LIFETIME)  # fmt: skip
        if found is None:
            raise NotAuthenticated("please sign in")
        content = with_unlocked(unsealed(token, found.sealed), keys, minutes=minutes)
        set_session_sealed(session, token_hash(token), seal(token, content))


def set_language(location: str, token: str, language: str | None) -> None:
    """Keep the interface language a user chose for the rest of this session."""
    with open_store(location) as store, store.transaction(write=True) as session:
        set_session_language(session, token_hash(token), language)


def end_session(location: str, token: str) -> None:
    """Sign out of this browser."""
    with open_store(location) as store, store.transaction(write=True) as session:
        delete_web_session(session, token_hash(token))


def end_everywhere(location: str, token: str) -> int:
    """Sign the session's user out of every browser, this one included; how many sessions ended."""
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_web_session(session, token_hash(token), now=datetime.now(UTC), idle=SESSION_IDLE,
                                 lifetime=SESSION_LIFETIME)  # fmt: skip
        if found is None:
            return 0
        return delete_user_sessions(session, found.user_pk)


def _server_box(server_key: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"corroborate/editor-scan-key/1").derive(server_key))  # fmt: skip


def keep_editors_scan_key(
    location: str, case: str, secret: bytes, *, server_key: bytes, minutes: int, opened_by: str
) -> None:
    """Let editors' disclosure checks on ``case`` use its scan key for ``minutes``, on every worker of this
    server: kept in the store, sealed under ``server_key`` (which the server's processes share and the store
    never holds; a restarted server forgets it)."""
    nonce = os.urandom(12)
    sealed = nonce + _server_box(server_key).encrypt(nonce, secret, case.encode())
    with open_store(location) as store, store.transaction(write=True) as session:
        keep_editor_scan_key(session, case, sealed, opened_by=opened_by,
                             expires=datetime.now(UTC) + timedelta(minutes=minutes))  # fmt: skip


def editors_scan_key(location: str, case: str, *, server_key: bytes) -> bytes | None:
    """The scan key opened for a case's editors, while it lasts and if this server sealed it."""
    with open_store(location) as store, store.transaction(write=True) as session:
        sealed = editor_scan_key(session, case, now=datetime.now(UTC))
    if sealed is None:
        return None
    try:
        return _server_box(server_key).decrypt(sealed[:12], sealed[12:], case.encode())
    except InvalidTag:
        return None  # sealed by another server (or before a restart): as good as none
