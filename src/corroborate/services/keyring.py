"""Getting a case's keys: from an unlock session or a passphrase, asked for only when needed.

``Secrets`` is what the edge hands a service: a way to ask for a passphrase
(environment, key file, prompt) and, optionally, the token of an unlock
session. Unlock sessions keep the case's data keys on disk encrypted under a
random session key that exists only in the token (like a password manager's
session), and expire.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from corroborate.errors import CaseLocked
from corroborate.store import CaseKeys, DataKey, unlock_keys
from corroborate.store.schema import CaseRow

__all__ = ["Secrets", "case_keys", "end_sessions", "new_case_passphrase", "start_session"]


def _no_passphrase(_case: str) -> str | None:
    return None


@dataclass(frozen=True)
class Secrets:
    """How a service may obtain a case's keys."""

    passphrase: Callable[[str], str | None] = field(default=_no_passphrase, repr=False)
    session_token: str | None = field(default=None, repr=False)
    session_dir: Path | None = None
    trust_file: Path | None = None  # the user's trust file (pinned signing keys, head seen); None: no checks


def _session_dir(secrets: Secrets) -> Path:
    if secrets.session_dir is not None:
        return secrets.session_dir
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) / "corroborate" if runtime else Path.home() / ".cache" / "corroborate" / "sessions"
    return base


def _session_file(secrets: Secrets, location: str, case_ref: str) -> Path:
    digest = hashlib.sha256(f"{location}|{case_ref}".encode()).hexdigest()[:32]
    return _session_dir(secrets) / f"{digest}.session"


def _aad(location: str, case_ref: str, expires: float) -> bytes:
    return f"corroborate/session/1|{location}|{case_ref}|{expires}".encode()


def start_session(secrets: Secrets, location: str, keys: CaseKeys, *, minutes: int, token: str | None = None) -> str:
    """Write an unlock session for a case and return its token (reused when one is given)."""
    secret = base64.urlsafe_b64decode(token) if token else AESGCM.generate_key(bit_length=256)
    expires = time.time() + minutes * 60
    payload = json.dumps(
        {
            "current": keys.current,
            "keys": {str(v): base64.b64encode(k.key).decode() for v, k in keys.keys.items()},
        }
    ).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(secret).encrypt(nonce, payload, _aad(location, keys.case_ref, expires))
    path = _session_file(secrets, location, keys.case_ref)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"expires": expires, "nonce": base64.b64encode(nonce).decode(),
                   "sealed": base64.b64encode(sealed).decode()}, handle)  # fmt: skip
    os.replace(tmp, path)
    return base64.urlsafe_b64encode(secret).decode()


def _keys_from_session(secrets: Secrets, location: str, case_ref: str) -> CaseKeys | None:
    if not secrets.session_token:
        return None
    path = _session_file(secrets, location, case_ref)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["expires"] < time.time():
            path.unlink(missing_ok=True)
            return None
        secret = base64.urlsafe_b64decode(secrets.session_token)
        payload = AESGCM(secret).decrypt(
            base64.b64decode(data["nonce"]),
            base64.b64decode(data["sealed"]),
            _aad(location, case_ref, data["expires"]),
        )
    except (OSError, ValueError, KeyError, InvalidTag):
        return None
    content = json.loads(payload)
    keys = {int(v): DataKey(int(v), base64.b64decode(k)) for v, k in content["keys"].items()}
    return CaseKeys(case_ref, int(content["current"]), keys)


def end_sessions(secrets: Secrets, location: str, case_refs: list[str]) -> int:
    """Delete the unlock sessions of these cases; return how many there were."""
    ended = 0
    for ref in case_refs:
        path = _session_file(secrets, location, ref)
        if path.exists():
            path.unlink()
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


def new_case_passphrase(secrets: Secrets, case_ref: str) -> str:
    """The passphrase a new case will be locked with."""
    passphrase = secrets.passphrase(case_ref)
    if not passphrase:
        raise CaseLocked(case_ref)
    return passphrase
