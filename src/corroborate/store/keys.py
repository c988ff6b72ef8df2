"""Case keys: set up, unlock, re-wrap (new passphrase) and rotate (new data key) a case's keys.

A case's data keys live in ``case_keys`` wrapped under a key derived from the
case passphrase. States: ``current`` seals new values; during a rotation a
``next`` key exists and rows move to it batch by batch, each batch its own
transaction, so a rotation can be interrupted at any point and resumed. The
rows that move are identities (opened and sealed again), and attachments' and
person lists' own keys (re-wrapped; what is sealed under those keys stays as it is).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corroborate.domain import RestrictedIdentity
from corroborate.errors import SealedFieldInvalid, WrongPassphrase

from .audit import AuditWriter
from .crypto import DataKey, KdfParams, derive_key, new_data_key, unwrap_key, wrap_key
from .personlists import rewrap_list_keys, stale_list_keys
from .schema import AttachmentRow, CaseKeyRow, CaseRow, WitnessIdentityRow, WitnessRow

__all__ = [
    "CaseKeys",
    "begin_rotation",
    "case_has_keys",
    "finish_rotation",
    "next_key_version",
    "rewrap_keys",
    "rotate_batch",
    "setup_keys",
    "unlock_keys",
    "utc_now",
]


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _key_aad(case_ref: str, version: int) -> bytes:
    return f"corroborate/case-key/1|{case_ref}|{version}".encode()


def _identity_aad(case_ref: str, witness_ref: str, version: int, revision: int | None) -> bytes:
    if revision is None:  # sealed before revisions were bound in (schema 0002)
        return f"corroborate/identity/1|{case_ref}|{witness_ref}|{version}".encode()
    return f"corroborate/identity/2|{case_ref}|{witness_ref}|{version}|{revision}".encode()


def _attachment_key_aad(case_ref: str, attachment_ref: str, version: int) -> bytes:
    return f"corroborate/attachment-key/1|{case_ref}|{attachment_ref}|{version}".encode()


@dataclass
class CaseKeys:
    """The unlocked data keys of one case."""

    case_ref: str
    current: int
    keys: dict[int, DataKey] = field(repr=False)

    def seal_identity(
        self, witness_ref: str, identity: RestrictedIdentity, *, revision: int, version: int | None = None
    ) -> bytes:
        """The sealed JSON of a restricted identity under the given (default: current) key.

        ``revision`` is the row's revision after this write; it is bound into the
        additional data, so an older ciphertext put back into the row fails to open.
        """
        key = self.keys[self.current if version is None else version]
        plaintext = json.dumps(identity.model_dump(mode="json"), ensure_ascii=False, sort_keys=True).encode()
        return key.seal(plaintext, aad=_identity_aad(self.case_ref, witness_ref, key.version, revision))

    def open_identity(
        self, witness_ref: str, version: int, sealed: bytes, *, revision: int | None
    ) -> RestrictedIdentity:
        """The restricted identity inside a sealed value."""
        if version not in self.keys:
            raise SealedFieldInvalid()
        key = self.keys[version]
        plaintext = key.open(sealed, aad=_identity_aad(self.case_ref, witness_ref, version, revision))
        return RestrictedIdentity.model_validate_json(plaintext)

    def wrap_attachment_key(self, attachment_ref: str, file_key: bytes, *, version: int | None = None) -> bytes:
        """An attachment's own key sealed under the given (default: current) data key, bound to case and attachment."""
        key = self.keys[self.current if version is None else version]
        return key.seal(file_key, aad=_attachment_key_aad(self.case_ref, attachment_ref, key.version))

    def unwrap_attachment_key(self, attachment_ref: str, version: int, wrapped: bytes) -> bytes:
        """An attachment's own key; SealedFieldInvalid when it was altered or belongs to another attachment."""
        if version not in self.keys:
            raise SealedFieldInvalid()
        return self.keys[version].open(wrapped, aad=_attachment_key_aad(self.case_ref, attachment_ref, version))


def case_has_keys(session: Session, case_pk: int) -> bool:
    """True when the case has data keys (it was created with a passphrase)."""
    return bool(session.scalar(select(func.count()).where(CaseKeyRow.case_pk == case_pk)))


def _add_key(
    session: Session,
    case: CaseRow,
    *,
    version: int,
    state: str,
    kek: bytes,
    params: KdfParams,
    audit: AuditWriter,
) -> DataKey:
    key = DataKey(version, new_data_key())
    row = CaseKeyRow(
        case_pk=case.pk,
        version=version,
        wrapped=wrap_key(kek, key.key, aad=_key_aad(case.ref, version)),
        kdf=params.to_json(),
        state=state,
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    audit.record_row(case.ref, "case_key", f"{case.ref}/v{version}", "create", None, row)
    return key


def setup_keys(session: Session, case: CaseRow, passphrase: str, *, audit: AuditWriter) -> CaseKeys:
    """Create the first data key of a new case, wrapped under the passphrase."""
    params = KdfParams.fresh()
    key = _add_key(session, case, version=1, state="current", kek=derive_key(passphrase, params), params=params,
                   audit=audit)  # fmt: skip
    return CaseKeys(case.ref, 1, {1: key})


def _key_rows(session: Session, case_pk: int) -> list[CaseKeyRow]:
    return list(session.scalars(select(CaseKeyRow).where(CaseKeyRow.case_pk == case_pk).order_by(CaseKeyRow.version)))


def unlock_keys(session: Session, case: CaseRow, passphrase: str) -> CaseKeys:
    """Every data key of a case, unwrapped with the passphrase; WrongPassphrase otherwise."""
    keks: dict[str, bytes] = {}
    keys: dict[int, DataKey] = {}
    current = None
    for row in _key_rows(session, case.pk):
        params = KdfParams.from_json(row.kdf)
        cache = json.dumps(row.kdf, sort_keys=True)
        if cache not in keks:
            keks[cache] = derive_key(passphrase, params)
        try:
            keys[row.version] = DataKey(
                row.version, unwrap_key(keks[cache], row.wrapped, aad=_key_aad(case.ref, row.version))
            )
        except WrongPassphrase:
            raise WrongPassphrase(case.ref) from None
        if row.state == "current":
            current = row.version
    if current is None:
        raise WrongPassphrase(case.ref)
    return CaseKeys(case.ref, current, keys)


def rewrap_keys(session: Session, case: CaseRow, keys: CaseKeys, new_passphrase: str, *, audit: AuditWriter) -> None:
    """Wrap every data key under a new passphrase; no field is re-encrypted."""
    params = KdfParams.fresh()
    kek = derive_key(new_passphrase, params)
    for row in _key_rows(session, case.pk):
        before = audit.row_hash(row)
        row.wrapped = wrap_key(kek, keys.keys[row.version].key, aad=_key_aad(case.ref, row.version))
        row.kdf = params.to_json()
        session.flush()
        audit.record_row(case.ref, "case_key", f"{case.ref}/v{row.version}", "rewrap", before, row)


def begin_rotation(session: Session, case: CaseRow, keys: CaseKeys, passphrase: str, *, audit: AuditWriter) -> CaseKeys:
    """Add the ``next`` data key (once); return keys that include it."""
    rows = _key_rows(session, case.pk)
    if any(r.state == "next" for r in rows):
        return keys
    current = next(r for r in rows if r.state == "current")
    params = KdfParams.from_json(current.kdf)
    version = max(r.version for r in rows) + 1
    key = _add_key(session, case, version=version, state="next", kek=derive_key(passphrase, params), params=params,
                   audit=audit)  # fmt: skip
    return CaseKeys(case.ref, keys.current, {**keys.keys, version: key})


def _next_version(session: Session, case_pk: int) -> int | None:
    return session.scalar(select(CaseKeyRow.version).where(CaseKeyRow.case_pk == case_pk, CaseKeyRow.state == "next"))


def next_key_version(session: Session, case: CaseRow) -> int | None:
    """The version of the data key a rotation in progress moves to (None when none is)."""
    return _next_version(session, case.pk)


def _stale(session: Session, case_pk: int, version: int, limit: int) -> Iterator[tuple[WitnessIdentityRow, str]]:
    query = (
        select(WitnessIdentityRow, WitnessRow.ref)
        .join(WitnessRow, WitnessIdentityRow.witness_pk == WitnessRow.pk)
        .where(WitnessRow.case_pk == case_pk, WitnessIdentityRow.key_version != version)
        .order_by(WitnessIdentityRow.witness_pk)
        .limit(limit)
    )
    yield from session.execute(query)


def _stale_attachments(session: Session, case_pk: int, version: int, limit: int) -> list[AttachmentRow]:
    query = select(AttachmentRow).where(AttachmentRow.case_pk == case_pk, AttachmentRow.key_version != version)
    return list(session.scalars(query.order_by(AttachmentRow.pk).limit(limit)))


def _rewrap_attachments(
    session: Session, case: CaseRow, keys: CaseKeys, version: int, *, audit: AuditWriter, limit: int
) -> int:
    """Re-wrap up to ``limit`` attachments' own keys under data key ``version``; their chunks stay as they are."""
    rows = _stale_attachments(session, case.pk, version, limit)
    for row in rows:
        before = audit.row_hash(row)
        file_key = keys.unwrap_attachment_key(row.ref, row.key_version, row.wrapped_key)
        row.wrapped_key = keys.wrap_attachment_key(row.ref, file_key, version=version)
        row.key_version, row.row_version = version, row.row_version + 1
        session.flush()
        audit.record_row(case.ref, "attachment", f"{case.ref}/{row.ref}", "rekey", before, row)
    return len(rows)


def rotate_batch(session: Session, case: CaseRow, keys: CaseKeys, *, audit: AuditWriter, limit: int = 200) -> int:
    """Re-seal up to ``limit`` identities (then attachments' keys) under the ``next`` key; return how many moved."""
    version = _next_version(session, case.pk)
    if version is None:
        return 0
    moved = 0
    for row, witness_ref in list(_stale(session, case.pk, version, limit)):
        before = audit.row_hash(row)
        identity = keys.open_identity(witness_ref, row.key_version, row.sealed, revision=row.revision)
        revision = (row.revision or 0) + 1
        row.sealed = keys.seal_identity(witness_ref, identity, version=version, revision=revision)
        row.key_version, row.revision = version, revision
        session.flush()
        audit.record_row(case.ref, "identity", f"{case.ref}/{witness_ref}", "rekey", before, row)
        moved += 1
    if moved < limit:
        moved += _rewrap_attachments(session, case, keys, version, audit=audit, limit=limit - moved)
    if moved < limit:
        moved += rewrap_list_keys(session, case, keys, version, audit=audit, limit=limit - moved)
    return moved


def finish_rotation(session: Session, case: CaseRow, *, audit: AuditWriter) -> bool:
    """Make ``next`` current and drop the old keys once no row needs them; False if rows remain."""
    version = _next_version(session, case.pk)
    if version is None:
        return True
    if any(True for _ in _stale(session, case.pk, version, 1)) or _stale_attachments(session, case.pk, version, 1):
        return False
    if stale_list_keys(session, case.pk, version):
        return False
    for row in _key_rows(session, case.pk):
        entity_id = f"{case.ref}/v{row.version}"
        if row.version == version:
            before = audit.row_hash(row)
            row.state = "current"
            session.flush()
            audit.record_row(case.ref, "case_key", entity_id, "activate", before, row)
        else:
            audit.record_row(case.ref, "case_key", entity_id, "delete", audit.row_hash(row), None)
            session.delete(row)
    session.flush()
    return True
