"""Field encryption: AES-256-GCM under a per-case data key wrapped by an Argon2id passphrase key.

Envelope encryption: each case has random 256-bit data keys (one per key
version); each is stored wrapped (AES-GCM) under a key-encryption key derived
from the case passphrase with Argon2id, whose parameters are stored with it.
Changing the passphrase re-wraps the data keys; rotating creates a new data
key and re-encrypts every field. Nothing here logs or puts key material or
plaintext into an exception message.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from corroborate.errors import SealedFieldInvalid, WrongPassphrase

__all__ = ["KEY_BYTES", "DataKey", "KdfParams", "derive_key", "new_data_key", "unwrap_key", "wrap_key"]

KEY_BYTES = 32
NONCE_BYTES = 12


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside every wrapped key so it can be unwrapped later."""

    salt: bytes
    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 2

    @classmethod
    def fresh(cls) -> KdfParams:
        """New parameters with a random salt; the cost can be lowered for tests by environment."""
        memory = int(os.environ.get("CORROBORATE_ARGON2_MEMORY_KIB", 64 * 1024))
        time_cost = int(os.environ.get("CORROBORATE_ARGON2_TIME_COST", 3))
        return cls(salt=os.urandom(16), time_cost=time_cost, memory_cost=memory)

    def to_json(self) -> dict[str, Any]:
        return {
            "algorithm": "argon2id",
            "salt": base64.b64encode(self.salt).decode(),
            "time_cost": self.time_cost,
            "memory_cost": self.memory_cost,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        return cls(
            salt=base64.b64decode(data["salt"]),
            time_cost=int(data["time_cost"]),
            memory_cost=int(data["memory_cost"]),
            parallelism=int(data["parallelism"]),
        )


def derive_key(secret: str | bytes, params: KdfParams) -> bytes:
    """A 256-bit key from a passphrase (Argon2id)."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hash_secret_raw(
        raw,
        params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_data_key() -> bytes:
    """A random 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


def wrap_key(kek: bytes, key: bytes, *, aad: bytes) -> bytes:
    """``key`` encrypted under ``kek``: nonce followed by ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, key, aad)


def unwrap_key(kek: bytes, wrapped: bytes, *, aad: bytes) -> bytes:
    """The key inside ``wrapped``; WrongPassphrase when ``kek`` is not the one it was wrapped with."""
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise WrongPassphrase() from exc


@dataclass(frozen=True)
class DataKey:
    """One version of a case's data key, able to seal and open field values."""

    version: int
    key: bytes

    def seal(self, plaintext: bytes, *, aad: bytes) -> bytes:
        """Encrypt with a fresh random nonce; the nonce is prefixed to the result."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, *, aad: bytes) -> bytes:
        """Decrypt and authenticate; SealedFieldInvalid when the data or its context was altered."""
        try:
            return AESGCM(self.key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise SealedFieldInvalid() from exc

    def __repr__(self) -> str:  # never show key material
        return f"DataKey(version={self.version})"
