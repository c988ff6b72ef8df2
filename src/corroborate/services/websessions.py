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

import base64
import hashlib
import json
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from corroborate.errors import NotAuthenticated, TooManyAttempts
from corroborate.store import CaseKeys, open_store
from corroborate.store.accounts import count_users, find_user, user_roles
from corroborate.store.websessions import (
    add_login_failure,
    clear_login_failures,
    create_web_session,
    delete_user_sessions,
    delete_web_session,
    find_web_session,
    login_failures_since,
    set_session_language,
    set_session_sealed,
)

from .access import Actor, Role
from .unlocking import keys_content, keys_from_content
from .users import authenticate

__all__ = [
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "SESSION_IDLE",
    "SESSION_LIFETIME",
    "WebLogin",
    "WebSession",
    "end_everywhere",
    "end_session",
    "has_accounts",
    "keep_unlocked",
    "session_for",
    "set_language",
    "start_session",
]

SESSION_IDLE = timedelta(hours=2)  # a laptop left open in a risky place signs itself out
SESSION_LIFETIME = timedelta(hours=12)  # a working day at most, however busy
MAX_FAILURES = 5  # failed sign-ins allowed per name, and per address, within the window
FAILURE_WINDOW = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


_INFO = b"corroborate/web-session/1"


def _box(token: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(token.encode())
    return AESGCM(key)


def _seal(token: str, content: Mapping[str, Any]) -> bytes:
    nonce = os.urandom(12)
    return nonce + _box(token).encrypt(nonce, json.dumps(content).encode(), _hash(token).encode())


def _open(token: str, sealed: bytes | None) -> dict[str, Any]:
    """What a session keeps sealed, opened with its token; empty when there is nothing or it does not open."""
    if not sealed:
        return {}
    try:
        content = json.loads(_box(token).decrypt(sealed[:12], sealed[12:], _hash(token).encode()))
    except (InvalidTag, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def _signing_content(key: Ed25519PrivateKey | None) -> dict[str, Any]:
    if key is None:
        return {}
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return {"signing_key": base64.b64encode(raw).decode()}


def _opened_cases(content: Mapping[str, Any], now: float) -> dict[str, CaseKeys]:
    cases = content.get("cases") if isinstance(content.get("cases"), dict) else {}
    opened = {}
    for ref, kept in (cases or {}).items():
        try:
            if float(kept["expires"]) > now:
                opened[ref] = keys_from_content(ref, kept)
        except (KeyError, TypeError, ValueError):
            continue
    return opened


def has_accounts(location: str) -> bool:
    """True when the store has user accounts (a browser can only sign in to such a store)."""
    with open_store(location) as store, store.transaction() as session:
        return count_users(session) > 0


def start_session(
    location: str, username: str, password: str, totp: str | None = None, *, address: str,
    now: datetime | None = None,
) -> WebLogin:  # fmt: skip
    """Sign a user in: refused while too many sign-ins failed lately for that name or from that address
    (``TooManyAttempts``); a wrong password or code is counted and refused (``NotAuthenticated``)."""
    moment = _now(now)
    with open_store(location) as store, store.transaction() as session:
        failures, oldest = login_failures_since(session, username, address, moment - FAILURE_WINDOW)
    if failures >= MAX_FAILURES:
        wait = (datetime.fromisoformat(oldest) + FAILURE_WINDOW - moment) if oldest else FAILURE_WINDOW
        raise TooManyAttempts(max(1, int(wait.total_seconds())))
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
        create_web_session(session, user.pk, _hash(token), csrf, now=moment, lifetime=SESSION_IDLE,
                           sealed=_seal(token, _signing_content(actor.signing_key)))  # fmt: skip
        clear_login_failures(session, username)
    return WebLogin(token, csrf, actor)


def session_for(location: str, token: str | None, *, now: datetime | None = None) -> WebSession | None:
    """The live session a cookie's token names, or None (no token, unknown, expired, idle, user disabled)."""
    if not token:
        return None
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_web_session(session, _hash(token), now=_now(now), idle=SESSION_IDLE, lifetime=SESSION_LIFETIME)
        if found is None:
            return None
        roles = {ref: Role(role) for ref, role in user_roles(session, found.user_pk).items()}
    content = _open(token, found.sealed)
    signing = Ed25519PrivateKey.from_private_bytes(base64.b64decode(content["signing_key"])) if (
        "signing_key" in content) else None  # fmt: skip
    actor = replace(Actor(found.username, roles), signing_key=signing)
    return WebSession(actor, found.csrf, found.language, _opened_cases(content, time.time()))


def keep_unlocked(location: str, token: str, keys: CaseKeys, *, minutes: int) -> None:
    """Keep a case's opened keys in the session for ``minutes`` (sealed under the session's token)."""
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_web_session(session, _hash(token), now=datetime.now(UTC), idle=SESSION_IDLE,
                                 lifetime=SESSION_LIFETIME)  # fmt: skip
        if found is None:
            raise NotAuthenticated("please sign in")
        content = _open(token, found.sealed)
        now = time.time()
        cases = {ref: kept for ref, kept in (content.get("cases") or {}).items()
                 if isinstance(kept, dict) and float(kept.get("expires", 0)) > now}  # fmt: skip
        cases[keys.case_ref] = {"expires": now + minutes * 60, **keys_content(keys)}
        set_session_sealed(session, _hash(token), _seal(token, {**content, "cases": cases}))


def set_language(location: str, token: str, language: str | None) -> None:
    """Keep the interface language a user chose for the rest of this session."""
    with open_store(location) as store, store.transaction(write=True) as session:
        set_session_language(session, _hash(token), language)


def end_session(location: str, token: str) -> None:
    """Sign out of this browser."""
    with open_store(location) as store, store.transaction(write=True) as session:
        delete_web_session(session, _hash(token))


def end_everywhere(location: str, token: str) -> int:
    """Sign the session's user out of every browser, this one included; how many sessions ended."""
    with open_store(location) as store, store.transaction(write=True) as session:
        found = find_web_session(session, _hash(token), now=datetime.now(UTC), idle=SESSION_IDLE,
                                 lifetime=SESSION_LIFETIME)  # fmt: skip
        if found is None:
            return 0
        return delete_user_sessions(session, found.user_pk)
