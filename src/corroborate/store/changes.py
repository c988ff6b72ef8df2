"""Changing one record at a time: create, update and delete one row of a case, versioned and audited.

Every write may name the version of the row it read (a merge that overwrites
by id names none); a stale version is refused with the name of whoever changed
the row and when, taken from the audit log. Updates and deletes are also
conditional on the version in SQL (``WHERE row_version = ...``), so two writers
racing on PostgreSQL cannot both win. A row that other rows point to is never
deleted: the refusal names them. Each changed row gets one audit entry (before
and after hashes); a witness's restricted identity is sealed under the case
key and audited as its own entity. Checking that a record makes sense is the
caller's (``records.neighbourhood`` gives what to check it against).

``apply_case`` turns one version of a case into another through these same
writes, so a merge audits exactly the rows it adds, changes or deletes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from corroborate.domain import Case, RestrictedIdentity, Tick
from corroborate.errors import CaseLocked, RecordConflict, RecordExists, RecordInUse, RecordNotFound

from .audit import AuditWriter, row_hash
from .identities import change_identity
from .keys import CaseKeys
from .records import KINDS, find_record, last_change, record_pks, record_ref, record_table, users_of
from .rowvalues import (
    claim_values,
    document_values,
    excerpt_values,
    interview_values,
    proposition_values,
    recommendation_values,
    witness_values,
)
from .schema import CaseRow, WitnessIdentityRow

__all__ = ["CaseChanges", "Change", "apply_case", "delete_record", "touch_record", "write_record"]

# Columns a write never compares or sets from an entity.
_BOOKKEEPING = frozenset({"pk", "case_pk", "position", "row_version"})


@dataclass(frozen=True)
class Change:
    """What a write did to one record: create, update, delete or nothing (unchanged)."""

    kind: str
    ref: str
    action: Literal["create", "update", "delete", "unchanged"]
    version: int | None
    identity: bool = False  # the witness's restricted identity was written or removed


@dataclass
class CaseChanges:
    """The records one change of a case added, changed and deleted."""

    changes: list[Change] = field(default_factory=list)

    @property
    def identities(self) -> bool:
        """True when a restricted identity was written or removed (the leak scan index must follow)."""
        return any(c.identity for c in self.changes)


def _values(session: Session, case: CaseRow, kind: str, item: Any) -> dict[str, Any]:
    """Column values of an entity, its references resolved to primary keys (RecordNotFound when one is missing)."""

    def pk(of: str, ref: str) -> int:
        found = record_pks(session, case, of, [ref]).get(ref)
        if found is None:
            raise RecordNotFound(of, ref, case.ref)
        return found

    if kind == "witness":
        return witness_values(item)
    if kind == "interview":
        return interview_values(item, pk("witness", item.witness))
    if kind == "document":
        return document_values(item)
    if kind == "excerpt":
        interview = record_pks(session, case, "interview", [item.source]).get(item.source)
        document = None if interview is not None else pk("document", item.source)
        return excerpt_values(item, interview, document)
    if kind == "proposition":
        return proposition_values(item)
    if kind == "claim":
        return claim_values(item, pk("excerpt", item.excerpt), pk("proposition", item.proposition))
    return recommendation_values(item)


def _conflict(session: Session, case: CaseRow, kind: str, ref: str, read: int, current: int | None) -> RecordConflict:
    by, at = last_change(session, case, kind, ref)
    return RecordConflict(kind, ref, read=read, current=current, by=by, at=at)


def write_record(
    session: Session, case: CaseRow, kind: str, item: Any, *, audit: AuditWriter, keys: CaseKeys | None = None,
    expected: int | None = None, mode: Literal["create", "update", "upsert"] = "upsert",
) -> Change:  # fmt: skip
    """Create or update one record (checked by the caller), auditing each row it changes.

    ``expected``: the version the caller read; a record changed or deleted since
    is refused (RecordConflict). A witness's ``restricted`` identity is sealed
    with ``keys`` (CaseLocked without them); None leaves the stored one as it is.
    """
    ref = record_ref(kind, item)
    table = record_table(kind)
    existing = find_record(session, case, kind, ref)
    if existing is None:
        if expected is not None:
            raise _conflict(session, case, kind, ref, expected, None)
        if mode == "update":
            raise RecordNotFound(kind, ref, case.ref)
        other = {"interview": "document", "document": "interview"}.get(kind)
        if other is not None and find_record(session, case, other, ref) is not None:
            raise RecordExists(kind, ref, case.ref, as_kind=other)
        return _insert(session, case, kind, item, audit=audit, keys=keys)
    if mode == "create":
        raise RecordExists(kind, ref, case.ref)
    if expected is not None and existing.row_version != expected:
        raise _conflict(session, case, kind, ref, expected, existing.row_version)
    values = _values(session, case, kind, item)
    changed = {k: v for k, v in values.items() if k not in _BOOKKEEPING and getattr(existing, k) != v}
    identity = kind == "witness" and _put_identity(session, case, existing, item.restricted, audit=audit, keys=keys)
    if not changed and not identity:
        return Change(kind, ref, "unchanged", existing.row_version)
    version = existing.row_version + 1
    change = (
        update(table)
        .where(table.c.pk == existing.pk, table.c.row_version == existing.row_version)
        .values(**changed, row_version=version)
    )
    if (
        cast(CursorResult[Any], session.execute(change)).rowcount != 1
    ):  # another writer got there first (PostgreSQL: after its commit)
        raise _conflict(session, case, kind, ref, existing.row_version, None)
    if changed:
        after = session.execute(select(table).where(table.c.pk == existing.pk)).one()
        audit.record(case.ref, kind, f"{case.ref}/{ref}", "update", row_hash(existing), row_hash(after))
    return Change(kind, ref, "update", version, identity=identity)


def _insert(
    session: Session, case: CaseRow, kind: str, item: Any, *, audit: AuditWriter, keys: CaseKeys | None
) -> Change:
    table = record_table(kind)
    if kind == "witness" and item.restricted is not None and keys is None:
        raise CaseLocked(case.ref)
    values = _values(session, case, kind, item)
    last = session.scalar(select(func.max(table.c.position)).where(table.c.case_pk == case.pk))
    inserted = cast(
        CursorResult[Any], session.execute(table.insert().values(case_pk=case.pk, position=(last or 0) + 1, **values))
    )
    pk = inserted.inserted_primary_key
    assert pk is not None
    row = session.execute(select(table).where(table.c.pk == pk[0])).one()
    ref = record_ref(kind, item)
    audit.record(case.ref, kind, f"{case.ref}/{ref}", "create", None, row_hash(row))
    identity = kind == "witness" and _put_identity(session, case, row, item.restricted, audit=audit, keys=keys)
    return Change(kind, ref, "create", row.row_version, identity=identity)


def _put_identity(
    session: Session, case: CaseRow, witness: Any, restricted: RestrictedIdentity | None, *, audit: AuditWriter,
    keys: CaseKeys | None,
) -> bool:  # fmt: skip
    """Seal a witness's identity when it is new or differs from the stored one; True when written."""
    if restricted is None:
        return False
    if keys is None:
        raise CaseLocked(case.ref)
    return change_identity(session, case, witness.ref, lambda _old: restricted, keys=keys, audit=audit)


def touch_record(session: Session, case: CaseRow, kind: str, ref: str) -> None:
    """Count a record's version up for a change made elsewhere (a witness's identity set on its own)."""
    table = record_table(kind)
    key = table.c[KINDS[kind][1]]
    session.execute(
        update(table).where(table.c.case_pk == case.pk, key == ref).values(row_version=table.c.row_version + 1)
    )


def delete_record(
    session: Session, case: CaseRow, kind: str, ref: str, *, audit: AuditWriter, expected: int | None = None
) -> Change:
    """Delete one record nothing points to (RecordInUse names what does), with its identity if a witness."""
    table = record_table(kind)
    existing = find_record(session, case, kind, ref)
    if existing is None:
        if expected is not None:
            raise _conflict(session, case, kind, ref, expected, None)
        by, at = last_change(session, case, kind, ref)
        raise RecordNotFound(kind, ref, case.ref, by=by, at=at)
    if expected is not None and existing.row_version != expected:
        raise _conflict(session, case, kind, ref, expected, existing.row_version)
    users = users_of(session, case, kind, ref)
    if users:
        raise RecordInUse(kind, ref, users)
    identity = False
    if kind == "witness":
        stored = session.get(WitnessIdentityRow, existing.pk)
        if stored is not None:
            audit.record(case.ref, "identity", f"{case.ref}/{ref}", "delete", row_hash(stored), None)
            session.delete(stored)
            session.flush()
            identity = True
    gone = delete(table).where(table.c.pk == existing.pk, table.c.row_version == existing.row_version)
    if cast(CursorResult[Any], session.execute(gone)).rowcount != 1:
        raise _conflict(session, case, kind, ref, existing.row_version, None)
    audit.record(case.ref, kind, f"{case.ref}/{ref}", "delete", row_hash(existing), None)
    return Change(kind, ref, "delete", None, identity=identity)


def apply_case(
    session: Session, case: CaseRow, before: Case, after: Case, *, audit: AuditWriter, keys: CaseKeys | None,
    tick: Tick | None = None,
) -> CaseChanges:  # fmt: skip
    """Write what differs between two versions of a case, record by record.

    Creates and updates go first, in an order where what a record points to
    exists before it; deletions follow, dependants first, so a claim moved to
    another excerpt no longer holds the one being deleted. A witness whose
    ``restricted`` is None keeps the identity the store holds.
    """
    done = CaseChanges()
    tick = tick or (lambda _n: None)
    if after.case != before.case:  # the case's own row: its title, organisation, description, language
        before_hash = row_hash(case)
        for name in ("title", "organisation", "description", "language"):
            setattr(case, name, getattr(after.case, name))
        session.flush()
        audit.record_row(case.ref, "case", case.ref, "update", before_hash, case)
        done.changes.append(Change("case", case.ref, "update", None))
    for kind in KINDS:
        section = KINDS[kind][2]
        old = {record_ref(kind, item): item for item in getattr(before, section)}
        for item in getattr(after, section):
            if old.get(record_ref(kind, item)) != item:
                change = write_record(session, case, kind, item, audit=audit, keys=keys)
                if change.action != "unchanged":
                    done.changes.append(change)
            tick(1)
    for kind in reversed(KINDS):
        section = KINDS[kind][2]
        kept = {record_ref(kind, item) for item in getattr(after, section)}
        for item in getattr(before, section):
            ref = record_ref(kind, item)
            if ref not in kept:
                done.changes.append(delete_record(session, case, kind, ref, audit=audit))
    return done
