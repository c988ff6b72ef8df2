"""Field encryption: AES-256-GCM under a per-case data key wrapped by an Argon2id passphrase key.

Envelope encryption: each case has random 256-bit data keys (one per key
version); each is stored wrapped (AES-GCM) under a key-encryption key derived
from the case passphrase with Argon2id, whose parameters are stored with it.
Changing the passphrase re-wraps the data keys; rotating creates a new data
key and re-encrypts every field. Nothing here logs or puts key material or
plaintext into an exception message.

No key is ever derived with Argon2id parameters below OWASP's minimum, whether
it is being made or read back from a store or a backup: ``argon2_policy``
holds the floor and the cost of new keys. Nothing reads it from the
environment, so no setting can weaken a key; tests swap the attribute in
their own process only.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from corroborate.errors import SealedFieldInvalid, UserError, WrongPassphrase

__all__ = [
    "KEY_BYTES",
    "OWASP_ARGON2ID_MINIMUMS",
    "SAFE_ARGON2",
    "Argon2Cost",
    "Argon2Policy",
    "DataKey",
    "KdfParams",
    "argon2_policy",
    "derive_key",
    "new_data_key",
    "unwrap_key",
    "wrap_key",
]

KEY_BYTES = 32
NONCE_BYTES = 12
# Beyond these a stored (or planted) parameter would hang the machine or exhaust its memory.
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_TIME_COST = 64
_MAX_PARALLELISM = 64


@dataclass(frozen=True)
class Argon2Cost:
    """What one Argon2id derivation costs: memory in KiB, passes over it, lanes."""

    memory_cost: int
    time_cost: int
    parallelism: int = 1

    def __str__(self) -> str:
        memory = f"{self.memory_cost // 1024} MiB" if self.memory_cost % 1024 == 0 else f"{self.memory_cost} KiB"
        passes = "pass" if self.time_cost == 1 else "passes"
        return f"{memory} with {self.time_cost} {passes}"

    def meets(self, minimum: Argon2Cost) -> bool:
        return self.memory_cost >= minimum.memory_cost and self.time_cost >= minimum.time_cost


# OWASP Password Storage Cheat Sheet, Argon2id: equivalent minimum configurations (any one suffices).
OWASP_ARGON2ID_MINIMUMS = (
    Argon2Cost(47104, 1),
    Argon2Cost(19456, 2),
    Argon2Cost(12288, 3),
    Argon2Cost(9216, 4),
    Argon2Cost(7168, 5),
)


@dataclass(frozen=True)
class Argon2Policy:
    """The cost of new keys, and the minimums below which no key is derived."""

    new_keys: Argon2Cost
    minimums: tuple[Argon2Cost, ...]

    def refusal(self, cost: Argon2Cost) -> str | None:
        """Why a key must not be derived at this cost, or None when it may."""
        if not (1 <= cost.parallelism <= _MAX_PARALLELISM and 1 <= cost.time_cost <= _MAX_TIME_COST
                and 8 * cost.parallelism <= cost.memory_cost <= _MAX_MEMORY_KIB):  # fmt: skip
            return f"Argon2id parameters out of range ({cost} and {cost.parallelism} lanes)"
        if any(cost.meets(minimum) for minimum in self.minimums):
            return None
        floor = " or ".join(str(m) for m in self.minimums)
        return (f"its Argon2id parameters ({cost}) are below the safe minimum ({floor}); it was made "
                "by an older version or with test settings, or was altered")  # fmt: skip


SAFE_ARGON2 = Argon2Policy(new_keys=Argon2Cost(64 * 1024, 3, 2), minimums=OWASP_ARGON2ID_MINIMUMS)
# The policy in force. Only code can change it (tests/conftest.py, for speed, in its own process).
argon2_policy = SAFE_ARGON2


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside every wrapped key so it can be unwrapped later."""

    salt: bytes
    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 2

    @classmethod
    def fresh(cls) -> KdfParams:
        """New parameters with a random salt, at the cost the policy gives new keys."""
        cost = argon2_policy.new_keys
        return cls(salt=os.urandom(16), time_cost=cost.time_cost, memory_cost=cost.memory_cost,
                   parallelism=cost.parallelism)  # fmt: skip

    @property
    def cost(self) -> Argon2Cost:
        return Argon2Cost(self.memory_cost, self.time_cost, self.parallelism)

    def refusal(self) -> str | None:
        """Why no key may be derived with these parameters (below the floor, out of range), or None."""
        return argon2_policy.refusal(self.cost)

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
    """A 256-bit key from a passphrase (Argon2id); UserError when the parameters are below the floor."""
    refusal = params.refusal()
    if refusal is not None:
        raise UserError(f"refusing to derive a key: {refusal}")
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
