"""The user's trust file: which signing key each case of a store has, and the newest audit entry they saw.

Like SSH's known hosts, it lives outside the store (beside the user's
configuration), so someone who can rewrite the database cannot rewrite it too.
A case's public key is pinned when the user creates the case or first
verifies it (and can be pinned from a fingerprint kept on paper); the newest
entry seen is updated after each verification and each write the user makes,
so entries cut from the end of the log are noticed even after later writes.

The file holds public keys, sequence numbers and hashes: nothing secret.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from corroborate.errors import UserError
from corroborate.store import store_url, utc_now

__all__ = ["TrustFile", "default_trust_file", "store_key"]


def default_trust_file() -> Path:
    """``$XDG_CONFIG_HOME/corroborate/trust.json``, else ``~/.config/corroborate/trust.json``."""
    base = os.environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base else Path.home() / ".config"
    return root / "corroborate" / "trust.json"


def store_key(location: str) -> str:
    """One name per store, however its location was written: absolute path, or URL without password."""
    url = store_url(location)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@dataclass(frozen=True)
class TrustFile:
    """A user's pinned signing keys and seen heads, kept in one JSON file."""

    path: Path

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": 1, "stores": {}}
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot read the trust file {self.path}: {type(exc).__name__}") from None
        if not isinstance(data, dict) or not isinstance(data.get("stores"), dict):
            raise UserError(f"the trust file {self.path} is not one Corroborate wrote")
        return data

    def _write(self, data: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise UserError(f"cannot write the trust file {self.path}: {exc.strerror or type(exc).__name__}") from None

    def _store(self, data: dict[str, Any], location: str) -> dict[str, Any]:
        entry: dict[str, Any] = data["stores"].setdefault(store_key(location), {})
        entry.setdefault("cases", {})
        return entry

    def pinned(self, location: str) -> dict[str, bytes]:
        """The public keys pinned for the cases of a store."""
        cases = self._read()["stores"].get(store_key(location), {}).get("cases", {})
        return {ref: base64.b64decode(item["public_key"]) for ref, item in cases.items()}

    def seen(self, location: str) -> tuple[int, str] | None:
        """The (sequence number, hash) of the newest entry this user saw in a store."""
        head = self._read()["stores"].get(store_key(location), {}).get("seen")
        return (int(head["seq"]), str(head["entry_hash"])) if head else None

    def pin(self, location: str, keys: dict[str, bytes]) -> None:
        """Pin public keys for cases of a store (replacing what was pinned for those cases)."""
        if not keys:
            return
        data = self._read()
        cases = self._store(data, location)["cases"]
        for ref, public in keys.items():
            cases[ref] = {"public_key": base64.b64encode(public).decode(), "pinned_at": utc_now()}
        self._write(data)

    def see(self, location: str, seq: int, entry_hash: str) -> None:
        """Remember the newest entry seen in a store."""
        data = self._read()
        self._store(data, location)["seen"] = {"seq": seq, "entry_hash": entry_hash, "at": utc_now()}
        self._write(data)

    def forget(self, location: str) -> bool:
        """Drop everything known about a store; True when there was something."""
        data = self._read()
        found = data["stores"].pop(store_key(location), None) is not None
        if found:
            self._write(data)
        return found
