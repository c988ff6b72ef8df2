"""Storing a case's leak scan index: sealed under the case's scan secret and bound to the identities it covers.

The index itself (a keyed table of the forms restricted values take) is
built by ``publish``; here it is only sealed, stored and read back. The seal's
additional data carries a digest of the identity rows the index was built
from, so an index that no longer matches them (an identity changed since, or
an older index put back) fails to open: a scan never runs on a stale index.
Nothing here sees a restricted value.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborate.errors import ScanIndexUnusable

from .audit import AuditWriter
from .keys import utc_now
from .schema import CaseRow, ScanIndexRow, WitnessIdentityRow, WitnessRow

__all__ = ["identities_digest", "read_scan_index", "scan_subkey", "write_scan_index"]

_NONCE = 12


def scan_subkey(secret: bytes, purpose: str) -> bytes:
    """A key for one purpose (``forms``: keying the table; ``seal``: sealing it) from the case's scan secret."""
    return hashlib.blake2b(purpose.encode(), key=secret, digest_size=32, person=b"corroborate-scan").digest()


def identities_digest(session: Session, case_pk: int) -> str:
    """A fingerprint of a case's identity rows as they are: pseudonym, key version, revision, ciphertext."""
    digest = hashlib.sha256(b"corroborate/identities/1\n")
    query = (
        select(WitnessRow.ref, WitnessIdentityRow.key_version, WitnessIdentityRow.revision, WitnessIdentityRow.sealed)
        .join(WitnessRow, WitnessIdentityRow.witness_pk == WitnessRow.pk)
        .where(WitnessRow.case_pk == case_pk)
        .order_by(WitnessRow.ref)
    )
    for ref, version, revision, sealed in session.execute(query):
        digest.update(f"{ref}|{version}|{revision}|{hashlib.sha256(bytes(sealed)).hexdigest()}\n".encode())
    return digest.hexdigest()


def _aad(case_ref: str, digest: str) -> bytes:
    return f"corroborate/scan-index/1|{case_ref}|{digest}".encode()


def write_scan_index(session: Session, case: CaseRow, table: bytes, secret: bytes, *, audit: AuditWriter) -> None:
    """Seal and store the index of a case's current identities (replacing the one before)."""
    session.flush()
    digest = identities_digest(session, case.pk)
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(scan_subkey(secret, "seal")).encrypt(nonce, table, _aad(case.ref, digest))
    row = session.get(ScanIndexRow, case.pk)
    if row is None:
        row = ScanIndexRow(case_pk=case.pk, digest=digest, sealed=sealed, built_at=utc_now())
        session.add(row)
        before, action = None, "create"
    else:
        before, action = audit.row_hash(row), "update"
        row.digest, row.sealed, row.built_at = digest, sealed, utc_now()
    session.flush()
    audit.record_row(case.ref, "scan_index", f"{case.ref}/index", action, before, row)


def read_scan_index(session: Session, case: CaseRow, secret: bytes) -> bytes:
    """The stored index of a case; ScanIndexUnusable when there is none, or it does not match the identities."""
    row = session.get(ScanIndexRow, case.pk)
    if row is None:
        raise ScanIndexUnusable(case.ref, "the case has no scan index yet")
    digest = identities_digest(session, case.pk)
    if digest != row.digest:
        raise ScanIndexUnusable(case.ref, "identities changed since the scan index was built")
    sealed = bytes(row.sealed)
    try:
        return AESGCM(scan_subkey(secret, "seal")).decrypt(sealed[:_NONCE], sealed[_NONCE:], _aad(case.ref, digest))
    except InvalidTag:
        raise ScanIndexUnusable(case.ref, "the scan index does not open with the case's scan key") from None
