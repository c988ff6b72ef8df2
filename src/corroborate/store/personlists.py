"""Organisations' person lists of a case (issue 14): added sealed and audited, listed, read back, carried.

Each list has a random key of its own, stored sealed under the case's data key and bound to the list's
custody record (the case, the list's name, the source file's SHA-256, the record count, who added it and
when), so none of these can be changed without the key failing to open; rotating or replacing the data key
re-wraps that one key and re-encrypts no record. Each record is the JSON of the record as given (name,
birth year or age, sex, origin, dates …), sealed with AES-256-GCM under the list's key and bound to the
case, the list and the record's id, so a record copied onto another row, list or case does not open.
A record's id is plain: outputs and the audit log name records by it. Every list row and every record row
is audited, one entry each.

Plaintext records exist only in memory, between reading a file and sealing, and between opening and
linking; nothing here logs a record or puts any of its values into a message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from corroborate.errors import RecordExists, RecordNotFound, SealedFieldInvalid

from .audit import AuditWriter, row_hash, row_hashes
from .bulk import insert_rows
from .crypto import DataKey, new_data_key
from .listschema import PersonListRow, PersonRecordRow
from .schema import CaseRow

if TYPE_CHECKING:  # keys imports this module (key rotation re-wraps lists' keys)
    from .keys import CaseKeys

__all__ = [
    "CarriedList",
    "ListInfo",
    "add_person_list",
    "delete_person_lists",
    "detach_person_lists",
    "list_person_lists",
    "open_person_lists",
    "reattach_person_lists",
    "rewrap_list_keys",
    "stale_list_keys",
]

_RECORDS = cast(Table, PersonRecordRow.__table__)
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)  # a record's columns keep their order


@dataclass(frozen=True)
class ListInfo:
    """A stored list as anyone who may list a case's lists sees it: its custody record, no record."""

    name: str
    case: str
    records: int
    sha256: str  # of the file it was read from
    added_by: str
    added_at: str


@dataclass(frozen=True)
class CarriedList:
    """A list lifted off a case being replaced, to be put back on the new case row."""

    pk: int
    name: str
    before: str  # its row hash before the replacement, for the audit entry that carries it
    list_key: bytes = field(repr=False)


def _key_aad(case_ref: str, row: PersonListRow, version: int) -> bytes:
    """The list's custody record and the data key's version, bound into the seal of the list's key."""
    custody = [case_ref, row.name, row.sha256, row.record_count, row.added_by, row.added_at, version]
    return b"corroborate/person-list-key/1|" + _JSON.encode(custody).encode()


def _record_aad(case_ref: str, list_name: str, record_id: str) -> bytes:
    return b"corroborate/person-record/1|" + _JSON.encode([case_ref, list_name, record_id]).encode()


def _wrap(keys: CaseKeys, case_ref: str, row: PersonListRow, list_key: bytes, version: int | None = None) -> None:
    version = keys.current if version is None else version
    row.wrapped_key = keys.keys[version].seal(list_key, aad=_key_aad(case_ref, row, version))
    row.key_version = version


def _unwrap(keys: CaseKeys, case_ref: str, row: PersonListRow) -> bytes:
    """The list's own key; SealedFieldInvalid when it or the custody record it is bound to was altered."""
    if row.key_version not in keys.keys:
        raise SealedFieldInvalid()
    return keys.keys[row.key_version].open(row.wrapped_key, aad=_key_aad(case_ref, row, row.key_version))


def _entity(case_ref: str, list_name: str) -> str:
    return f"{case_ref}/{list_name}"


def _info(case: CaseRow, row: PersonListRow) -> ListInfo:
    return ListInfo(name=row.name, case=case.ref, records=row.record_count, sha256=row.sha256,
                    added_by=row.added_by, added_at=row.added_at)  # fmt: skip


def _find(session: Session, case: CaseRow, name: str) -> PersonListRow | None:
    return session.scalar(select(PersonListRow).where(PersonListRow.case_pk == case.pk, PersonListRow.name == name))


def add_person_list(
    session: Session, case: CaseRow, keys: CaseKeys, name: str, records: Sequence[Mapping[str, Any]], *,
    sha256: str, added_by: str, audit: AuditWriter, replace: bool = False, tick: Callable[[int], None] | None = None,
) -> ListInfo:  # fmt: skip
    """Store a list's records sealed under a new key of its own, auditing the list and each record.

    Each record must have a ``record_id``, unique in the list. A list of that name already in the case is
    RecordExists, unless ``replace``: then its records are deleted (audited) and the new ones take their place.
    """
    from .keys import utc_now  # keys imports this module

    existing = _find(session, case, name)
    if existing is not None:
        if not replace:
            raise RecordExists("person list", name, case.ref)
        _delete(session, case.ref, existing, audit)
    list_key = new_data_key()
    sealer = DataKey(0, list_key)
    row = PersonListRow(case_pk=case.pk, name=name, sha256=sha256, record_count=len(records), added_by=added_by,
                        added_at=utc_now(), key_version=keys.current, wrapped_key=b"", row_version=1)  # fmt: skip
    _wrap(keys, case.ref, row, list_key)
    session.add(row)
    session.flush()
    prefix = _entity(case.ref, name)
    audit.record_row(case.ref, "person_list", prefix, "create", None, row)
    rows = []
    for position, record in enumerate(records):
        record_id = str(record["record_id"])
        sealed = sealer.seal(_JSON.encode(dict(record)).encode(), aad=_record_aad(case.ref, name, record_id))
        rows.append({"list_pk": row.pk, "position": position, "record_id": record_id, "sealed": sealed})
    insert_rows(session, _RECORDS, rows, tick=tick)
    for stored, after in row_hashes(session.execute(_records_of(row.pk))):
        audit.record(case.ref, "person_record", f"{prefix}/{stored.record_id}", "create", None, after)
    return _info(case, row)


def _records_of(list_pk: int) -> Any:
    return select(_RECORDS).where(_RECORDS.c.list_pk == list_pk).order_by(_RECORDS.c.position)


def _delete(session: Session, case_ref: str, row: PersonListRow, audit: AuditWriter) -> None:
    """Delete a list and its records, one audit entry each."""
    prefix = _entity(case_ref, row.name)
    for stored, before in row_hashes(session.execute(_records_of(row.pk))):
        audit.record(case_ref, "person_record", f"{prefix}/{stored.record_id}", "delete", before, None)
    audit.record(case_ref, "person_list", prefix, "delete", row_hash(row), None)
    session.execute(delete(PersonRecordRow).where(PersonRecordRow.list_pk == row.pk))
    session.delete(row)
    session.flush()


def delete_person_lists(session: Session, case: CaseRow, *, audit: AuditWriter) -> None:
    """Delete every list of a case with its records (the case is being deleted), auditing each row."""
    for row in session.scalars(select(PersonListRow).where(PersonListRow.case_pk == case.pk)).all():
        _delete(session, case.ref, row, audit)


def list_person_lists(session: Session, case: CaseRow) -> list[ListInfo]:
    """The lists of a case by name, with their custody records; reads no record and needs no key."""
    query = select(PersonListRow).where(PersonListRow.case_pk == case.pk).order_by(PersonListRow.name)
    return [_info(case, row) for row in session.scalars(query)]


def open_person_lists(
    session: Session, case: CaseRow, keys: CaseKeys, *, names: Sequence[str] | None = None
) -> list[tuple[ListInfo, list[dict[str, Any]]]]:
    """The lists named (default: all, by name), each with its records opened, in the order they were given.

    RecordNotFound for a name the case has no list of; SealedFieldInvalid when a list's key, custody record
    or any record was altered, moved, or its records removed or added outside Corroborate.
    """
    query = select(PersonListRow).where(PersonListRow.case_pk == case.pk).order_by(PersonListRow.name)
    found = {row.name: row for row in session.scalars(query)}
    chosen = list(found) if names is None else list(dict.fromkeys(names))
    for name in chosen:
        if name not in found:
            raise RecordNotFound("person list", name, case.ref)
    opened = []
    for name in chosen:
        row = found[name]
        sealer = DataKey(0, _unwrap(keys, case.ref, row))
        records = []
        for stored in session.execute(_records_of(row.pk)):
            plaintext = sealer.open(stored.sealed, aad=_record_aad(case.ref, name, stored.record_id))
            records.append(json.loads(plaintext))
        if len(records) != row.record_count:
            raise SealedFieldInvalid()
        opened.append((_info(case, row), records))
    return opened


def detach_person_lists(session: Session, case: CaseRow, keys: CaseKeys) -> list[CarriedList]:
    """Lift a case's lists off it before it is replaced; each keeps its records, sealed as they are, until
    ``reattach_person_lists`` puts it on the new case row (same transaction)."""
    carried = []
    for row in session.scalars(select(PersonListRow).where(PersonListRow.case_pk == case.pk)).all():
        carried.append(CarriedList(row.pk, row.name, row_hash(row), _unwrap(keys, case.ref, row)))
        row.case_pk = None
    session.flush()
    return carried


def reattach_person_lists(
    session: Session, case: CaseRow, keys: CaseKeys, carried: Collection[CarriedList], *, audit: AuditWriter
) -> None:
    """Put carried lists on the new case row, their keys wrapped under its data key; one audit entry each
    (their records, bound to the case's id, which a replacement keeps, stay as they are)."""
    for item in carried:
        row = session.get_one(PersonListRow, item.pk)
        row.case_pk = case.pk
        _wrap(keys, case.ref, row, item.list_key)
        row.row_version += 1
        session.flush()
        audit.record_row(case.ref, "person_list", _entity(case.ref, row.name), "carry", item.before, row)


def _stale(session: Session, case_pk: int, version: int, limit: int) -> list[PersonListRow]:
    query = select(PersonListRow).where(PersonListRow.case_pk == case_pk, PersonListRow.key_version != version)
    return list(session.scalars(query.order_by(PersonListRow.pk).limit(limit)))


def stale_list_keys(session: Session, case_pk: int, version: int) -> bool:
    """True while a list of the case has its key wrapped under another data key than ``version``."""
    return bool(_stale(session, case_pk, version, 1))


def rewrap_list_keys(
    session: Session, case: CaseRow, keys: CaseKeys, version: int, *, audit: AuditWriter, limit: int
) -> int:
    """Re-wrap up to ``limit`` lists' own keys under data key ``version``; their records stay as they are."""
    rows = _stale(session, case.pk, version, limit)
    for row in rows:
        before = row_hash(row)
        list_key = _unwrap(keys, case.ref, row)
        _wrap(keys, case.ref, row, list_key, version)
        row.row_version += 1
        session.flush()
        audit.record_row(case.ref, "person_list", _entity(case.ref, row.name), "rekey", before, row)
    return len(rows)
