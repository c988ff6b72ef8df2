"""What a browser session or an API token carries besides its own value, sealed under a key derived from it.

The store keeps only the SHA-256 of a session's cookie token or of an API token; the user's audit signing key
and the keys of the cases unlocked through it are sealed with AES-GCM under HKDF-SHA256(token), bound to the
token's hash. Any worker of a server opens them for a request that presents the token; a copy of the store
opens nothing. Unlocked keys carry their own expiry.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from corroborate.store import CaseKeys

from .unlocking import keys_content, keys_from_content

__all__ = ["opened_cases", "seal", "signing_content", "signing_key", "token_hash", "unsealed", "with_unlocked"]

_INFO = b"corroborate/web-session/1"  # the label sessions were sealed under since migration 0012; tokens share it


def token_hash(token: str) -> str:
    """How the store finds a session or token: the SHA-256 of its value."""
    return hashlib.sha256(token.encode()).hexdigest()


def _box(token: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(token.encode())
    return AESGCM(key)


def seal(token: str, content: Mapping[str, Any]) -> bytes:
    """``content`` sealed under the token (a fresh nonce each time)."""
    nonce = os.urandom(12)
    return nonce + _box(token).encrypt(nonce, json.dumps(content).encode(), token_hash(token).encode())


def unsealed(token: str, sealed: bytes | None) -> dict[str, Any]:
    """What a token keeps sealed, opened with it; empty when there is nothing or it does not open."""
    if not sealed:
        return {}
    try:
        content = json.loads(_box(token).decrypt(sealed[:12], sealed[12:], token_hash(token).encode()))
    except (InvalidTag, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def signing_content(key: Ed25519PrivateKey | None) -> dict[str, Any]:
    """A user's signing key as sealed content (nothing without one)."""
    if key is None:
        return {}
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return {"signing_key": base64.b64encode(raw).decode()}


def signing_key(content: Mapping[str, Any]) -> Ed25519PrivateKey | None:
    """The signing key sealed content holds, if any."""
    if "signing_key" not in content:
        return None
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(content["signing_key"]))


def opened_cases(content: Mapping[str, Any], now: float | None = None) -> dict[str, CaseKeys]:
    """The keys of the cases unlocked through a token whose unlock has not expired."""
    moment = time.time() if now is None else now
    cases = content.get("cases") if isinstance(content.get("cases"), dict) else {}
    opened = {}
    for ref, kept in (cases or {}).items():
        try:
            if float(kept["expires"]) > moment:
                opened[ref] = keys_from_content(ref, kept)
        except (KeyError, TypeError, ValueError):
            continue
    return opened


def with_unlocked(content: Mapping[str, Any], keys: CaseKeys, *, minutes: int) -> dict[str, Any]:
    """Sealed content with a case's keys added for ``minutes`` (unlocks that expired are dropped)."""
    now = time.time()
    cases = {ref: kept for ref, kept in (content.get("cases") or {}).items()
             if isinstance(kept, dict) and float(kept.get("expires", 0)) > now}  # fmt: skip
    cases[keys.case_ref] = {"expires": now + minutes * 60, **keys_content(keys)}
    return {**content, "cases": cases}
