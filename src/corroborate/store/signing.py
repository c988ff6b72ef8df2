"""Case secrets and audit signatures: the key that signs a case's audit head, and how heads are signed.

Each case has an Ed25519 signing key. Its private half is sealed under the
case's data key (so only someone who can unlock the case can sign); its
public half is stored beside it and pinned by users outside the store (see
``services.trust``). After every write about a case, the new head of the
audit log is signed: the signature covers the entry's hash, and through the
hash chain every entry before it. Someone who can write the database but not
unlock the case can recompute hashes, but not signatures.

The same table holds the case's scan secret (the key of its leak scan
index). Nothing here logs or puts key material into a message.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborate.errors import AuditTampered

from .audit import AuditWriter, public_bytes
from .keys import CaseKeys, utc_now
from .schema import CaseRow, CaseSecretRow

__all__ = [
    "SCAN",
    "SIGNING",
    "create_secret",
    "fingerprint",
    "open_secret",
    "open_signing_key",
    "reseal_secrets",
]

SIGNING = "signing"
SCAN = "scan"


def _aad(case_ref: str, name: str, version: int) -> bytes:
    return f"corroborate/case-secret/1|{case_ref}|{name}|{version}".encode()


def fingerprint(public: bytes) -> str:
    """A public key's fingerprint, short enough to copy onto paper: 10 groups of 4 hex digits."""
    digest = hashlib.sha256(b"corroborate/signing-key/1|" + public).hexdigest()[:40].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 40, 4))


def _row(session: Session, case_pk: int, name: str) -> CaseSecretRow | None:
    return session.scalar(select(CaseSecretRow).where(CaseSecretRow.case_pk == case_pk, CaseSecretRow.name == name))


def create_secret(
    session: Session, case: CaseRow, keys: CaseKeys, name: str, *, audit: AuditWriter, value: bytes | None = None
) -> bytes:
    """Seal a new case secret (random, or ``value`` when carried over from a replaced case); return it.

    For ``signing`` the secret is an Ed25519 private key's 32 raw bytes and the
    public half is stored beside it.
    """
    secret = value if value is not None else os.urandom(32)
    public = public_bytes(Ed25519PrivateKey.from_private_bytes(secret)) if name == SIGNING else None
    key = keys.keys[keys.current]
    row = CaseSecretRow(case_pk=case.pk, name=name, key_version=key.version, public=public, created_at=utc_now(),
                        sealed=key.seal(secret, aad=_aad(case.ref, name, key.version)))  # fmt: skip
    session.add(row)
    session.flush()
    audit.record_row(case.ref, "case_secret", f"{case.ref}/{name}", "create", None, row)
    return secret


def open_secret(session: Session, case: CaseRow, keys: CaseKeys, name: str) -> bytes | None:
    """A case secret, opened with the case keys; None when the case has none of that name."""
    row = _row(session, case.pk, name)
    if row is None:
        return None
    if row.key_version not in keys.keys:
        raise AuditTampered(f"the {name} secret of case {case.ref} is sealed under an unknown key version")
    return keys.keys[row.key_version].open(row.sealed, aad=_aad(case.ref, name, row.key_version))


def open_signing_key(session: Session, case: CaseRow, keys: CaseKeys) -> Ed25519PrivateKey | None:
    """The case's signing key; AuditTampered when its stored public half is not its own."""
    secret = open_secret(session, case, keys, SIGNING)
    if secret is None:
        return None
    key = Ed25519PrivateKey.from_private_bytes(secret)
    row = _row(session, case.pk, SIGNING)
    assert row is not None
    if row.public != public_bytes(key):
        raise AuditTampered(f"the stored public signing key of case {case.ref} was replaced")
    return key


def reseal_secrets(session: Session, case: CaseRow, keys: CaseKeys, *, version: int, audit: AuditWriter) -> None:
    """Seal every secret of a case under data key ``version`` (the end of a key rotation)."""
    key = keys.keys[version]
    for row in session.scalars(select(CaseSecretRow).where(CaseSecretRow.case_pk == case.pk)):
        if row.key_version == version:
            continue
        before = audit.row_hash(row)
        secret = keys.keys[row.key_version].open(row.sealed, aad=_aad(case.ref, row.name, row.key_version))
        row.sealed, row.key_version = key.seal(secret, aad=_aad(case.ref, row.name, version)), version
        session.flush()
        audit.record_row(case.ref, "case_secret", f"{case.ref}/{row.name}", "rekey", before, row)
