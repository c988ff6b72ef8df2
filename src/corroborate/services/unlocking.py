"""Getting a case's keys: from an unlock session or a passphrase, asked for only when needed.

``Secrets`` is what the edge hands a service: a way to ask for a passphrase
(environment, key file, prompt) and, optionally, the token of an unlock
session. Unlock sessions keep the case's data keys on disk encrypted under a
random session key that exists only in the token (like a password manager's
session), and expire: the expiry is bound into the encryption (an edited
expiry opens nothing), and every use of the session folder deletes the files
of sessions that have expired, so their keys are gone from the disk.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from corroborate.errors import CaseLocked, UserError
from corroborate.store import CaseKeys, DataKey, canonical_location, unlock_keys
from corroborate.store.schema import CaseRow

from .passphrases import check_passphrase

__all__ = [
    "SESSION_MINUTES_MAX",
    "Secrets",
    "case_keys",
    "case_passphrase",
    "check_session_minutes",
    "keys_content",
    "keys_from_content",
    "end_sessions",
    "new_case_passphrase",
    "scan_secret_from_session",
    "start_scan_session",
    "start_session",
    "sweep_sessions",
]

SESSION_MINUTES_MAX = 24 * 60  # the bound of the `session_minutes` setting too
_STALE_TMP_SECONDS = 60  # a session file half-written longer ago than this was abandoned


def _no_passphrase(_case: str) -> str | None:
    return None


@dataclass(frozen=True)
class Secrets:
    """How a service may obtain a case's keys.

    ``opened`` holds keys a caller already opened (the web keeps them sealed in its session, see
    ``services.websessions``), ``scan_keys`` scan secrets likewise; they are used before any session file
    or passphrase.
    """

    passphrase: Callable[[str], str | None] = field(default=_no_passphrase, repr=False)
    session_token: str | None = field(default=None, repr=False)
    session_dir: Path | None = None
    trust_file: Path | None = None  # the user's trust file (pinned signing keys, head seen); None: no checks
    opened: Mapping[str, CaseKeys] = field(default_factory=dict, repr=False)  # case -> keys already opened
    scan_keys: Mapping[str, bytes] = field(default_factory=dict, repr=False)  # case -> scan secret


def keys_content(keys: CaseKeys) -> dict[str, Any]:
    """A case's opened keys as plain data (to be sealed at once: an unlock session, a web session)."""
    return {"current": keys.current, "keys": {str(v): base64.b64encode(k.key).decode() for v, k in keys.keys.items()}}


def keys_from_content(case_ref: str, content: Mapping[str, Any]) -> CaseKeys:
    """The keys ``keys_content`` gave, back (KeyError or ValueError when the data is not such keys)."""
    keys = {int(v): DataKey(int(v), base64.b64decode(k)) for v, k in content["keys"].items()}
    return CaseKeys(case_ref, int(content["current"]), keys)


def _session_dir(secrets: Secrets) -> Path:
    if secrets.session_dir is not None:
        return secrets.session_dir
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "corroborate" if runtime else Path.home() / ".cache" / "corroborate" / "sessions"
    return base


def _session_file(secrets: Secrets, location: str, case_ref: str, kind: str = "keys") -> Path:
    name = f"{canonical_location(location)}|{case_ref}" + ("" if kind == "keys" else f"|{kind}")
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return _session_dir(secrets) / f"{digest}.session"


def _aad(location: str, case_ref: str, expires: int) -> bytes:
    return f"corroborate/session/2|{canonical_location(location)}|{case_ref}|{expires}".encode()


def check_session_minutes(minutes: int) -> None:
    """UserError unless a session would last from one minute to a day."""
    if not 1 <= minutes <= SESSION_MINUTES_MAX:
        raise UserError(f"a session lasts between 1 and {SESSION_MINUTES_MAX} minutes (24 hours), not {minutes}")


def _live(data: object, now: float) -> bool:
    """True for the content of a session file that has not expired."""
    expires = data.get("expires") if isinstance(data, dict) else None
    return isinstance(expires, int) and expires > now


def _expired(path: Path, now: float) -> bool:
    """True when a session file has expired or cannot be a session (so nothing can use it)."""
    try:
        return not _live(json.loads(path.read_text(encoding="utf-8")), now)
    except (OSError, ValueError):
        return True


_SESSION_NAME = re.compile(r"[0-9a-f]{32}\.session")
_HALF_WRITTEN_NAME = re.compile(r"\.[0-9a-f]{32}\.\w+\.tmp")  # as start_session names them


def _stale(path: Path, now: float) -> bool:
    """True for a file of ours that nothing can use any more (the folder may be shared: others are left alone)."""
    if _SESSION_NAME.fullmatch(path.name):
        return _expired(path, now)
    if _HALF_WRITTEN_NAME.fullmatch(path.name):  # left by a process killed while writing a session
        try:
            return now - path.stat().st_mtime > _STALE_TMP_SECONDS
        except OSError:
            return False
    return False


def sweep_sessions(secrets: Secrets) -> int:
    """Delete every expired (or unreadable) session file in the session folder; return how many."""
    now, swept = time.time(), 0
    try:
        paths = list(_session_dir(secrets).iterdir())
    except FileNotFoundError:
        return 0
    for path in paths:
        if _stale(path, now):
            with suppress(FileNotFoundError):
                path.unlink()
                swept += 1
    return swept


def start_session(secrets: Secrets, location: str, keys: CaseKeys, *, minutes: int, token: str | None = None) -> str:
    """Write an unlock session for a case and return its token (reused when one is given)."""
    return _write_session(secrets, location, keys.case_ref, "keys", keys_content(keys), minutes=minutes, token=token)


def start_scan_session(
    secrets: Secrets, location: str, case_ref: str, scan_secret: bytes, *, minutes: int, token: str | None = None
) -> str:
    """Write a session that holds only a case's scan secret (for editors' checks); return its token.

    It opens no identity: with it, a disclosure check queries the case's keyed
    scan index and learns only which blocks hold a restricted value.
    """
    content: dict[str, object] = {"scan": base64.b64encode(scan_secret).decode()}
    return _write_session(secrets, location, case_ref, "scan", content, minutes=minutes, token=token)


def _write_session(
    secrets: Secrets, location: str, case_ref: str, kind: str, content: dict[str, object], *, minutes: int,
    token: str | None,
) -> str:  # fmt: skip
    check_session_minutes(minutes)
    sweep_sessions(secrets)
    secret = base64.urlsafe_b64decode(token) if token else AESGCM.generate_key(bit_length=256)
    expires = int(time.time()) + minutes * 60
    payload = json.dumps(content).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(secret).encrypt(nonce, payload, _aad(location, case_ref, expires))
    path = _session_file(secrets, location, case_ref, kind)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({"expires": expires, "nonce": base64.b64encode(nonce).decode(),
                       "sealed": base64.b64encode(sealed).decode()}, handle)  # fmt: skip
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return base64.urlsafe_b64encode(secret).decode()


def _read_session(secrets: Secrets, location: str, case_ref: str, kind: str) -> dict[str, Any] | None:
    sweep_sessions(secrets)  # an expired session of this case, or of any other, is deleted first
    if not secrets.session_token:
        return None
    path = _session_file(secrets, location, case_ref, kind)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not _live(data, time.time()):  # it expired since the sweep
            path.unlink(missing_ok=True)
            return None
        secret = base64.urlsafe_b64decode(secrets.session_token)
        payload = AESGCM(secret).decrypt(
            base64.b64decode(data["nonce"]),
            base64.b64decode(data["sealed"]),
            _aad(location, case_ref, data["expires"]),
        )
        content = json.loads(payload)
    except (OSError, ValueError, KeyError, TypeError, InvalidTag):
        return None
    return content if isinstance(content, dict) else None


def _keys_from_session(secrets: Secrets, location: str, case_ref: str) -> CaseKeys | None:
    if case_ref in secrets.opened:
        return secrets.opened[case_ref]
    content = _read_session(secrets, location, case_ref, "keys")
    if content is None:
        return None
    return keys_from_content(case_ref, content)


def scan_secret_from_session(secrets: Secrets, location: str, case_ref: str) -> bytes | None:
    """The case's scan secret from a scan-only session, if the shell has a live one (or the caller holds it)."""
    if case_ref in secrets.scan_keys:
        return secrets.scan_keys[case_ref]
    content = _read_session(secrets, location, case_ref, "scan")
    return base64.b64decode(content["scan"]) if content is not None else None


def end_sessions(secrets: Secrets, location: str, case_refs: list[str]) -> int:
    """Delete the unlock sessions of these cases (and every expired session); return how many ended."""
    sweep_sessions(secrets)
    ended = 0
    for ref in case_refs:
        for kind in ("keys", "scan"):
            with suppress(FileNotFoundError):
                _session_file(secrets, location, ref, kind).unlink()
                ended += 1
    return ended


def case_keys(session: Session, case: CaseRow, secrets: Secrets, *, location: str) -> CaseKeys:
    """The unlocked keys of a case, from a live session or else from its passphrase."""
    from_session = _keys_from_session(secrets, location, case.ref)
    if from_session is not None:
        return from_session
    passphrase = secrets.passphrase(case.ref)
    if passphrase is None:
        raise CaseLocked(case.ref)
    return unlock_keys(session, case, passphrase)


def case_passphrase(secrets: Secrets, case_ref: str) -> str:
    """The passphrase of an existing case, to unlock it; CaseLocked when none can be had."""
    passphrase = secrets.passphrase(case_ref)
    if not passphrase:
        raise CaseLocked(case_ref)
    return passphrase


def new_case_passphrase(secrets: Secrets, case_ref: str) -> str:
    """The passphrase a new case will be locked with; it must pass the passphrase policy."""
    passphrase = secrets.passphrase(case_ref)
    if not passphrase:
        raise CaseLocked(case_ref)
    check_passphrase(passphrase, what=f"passphrase for the new case {case_ref!r}", context=[case_ref])
    return passphrase
