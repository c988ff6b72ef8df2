"""The audit log: an append-only, hash-chained record of every write, and its verification.

Each entry says who did what to which entity and when, with the SHA-256 of the
row before and after; it never holds a restricted value (an identity's hash
is the hash of its ciphertext). Each entry's hash covers the previous
entry's hash, so editing, deleting or reordering entries breaks the chain;
comparing the newest entry of every entity with the row as it is now finds
rows edited, added or deleted behind Corroborate's back.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from .schema import (
    AuditRow,
    CaseKeyRow,
    CaseRow,
    ClaimRow,
    DocumentRow,
    ExcerptRow,
    InterviewRow,
    MembershipRow,
    PropositionRow,
    RecommendationRow,
    UserRow,
    WitnessIdentityRow,
    WitnessRow,
)

__all__ = ["GENESIS", "AuditProblem", "AuditReport", "AuditWriter", "entity_rows", "row_hash", "verify_audit"]

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    return value


def row_values(row: Any) -> dict[str, Any]:
    """Column values of an ORM object or a Core row."""
    if hasattr(row, "__table__"):
        return {c.key: getattr(row, c.key) for c in row.__table__.columns}
    return dict(row._mapping)


def row_hash(row: Any) -> str:
    """SHA-256 of a row's canonical JSON (all columns, bytes as base64)."""
    values = {k: _plain(v) for k, v in row_values(row).items()}
    canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entry_hash(e: Mapping[str, Any]) -> str:
    fields = [e["seq"], e["at"], e["actor"], e["case_ref"], e["entity"], e["entity_id"], e["action"],
              e["before_hash"], e["after_hash"], e["prev_hash"]]  # fmt: skip
    return hashlib.sha256(json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


class AuditWriter:
    """Appends entries for one session's writes; they are written just before it commits."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self._pending: list[dict[str, Any]] = []
        event.listen(session, "before_commit", self._before_commit)

    row_hash = staticmethod(row_hash)

    def record(
        self,
        case_ref: str | None,
        entity: str,
        entity_id: str,
        action: str,
        before: str | None,
        after: str | None,
    ) -> None:
        """Note one write; ``before``/``after`` are row hashes (None when the row did not/does not exist)."""
        self._pending.append(
            {
                "case_ref": case_ref,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "before_hash": before,
                "after_hash": after,
            }  # fmt: skip
        )

    def record_row(
        self, case_ref: str | None, entity: str, entity_id: str, action: str, before: str | None, row: Any
    ) -> None:
        """Note a write whose resulting row is ``row`` (None for a deletion)."""
        self.record(case_ref, entity, entity_id, action, before, None if row is None else row_hash(row))

    def _before_commit(self, session: Session) -> None:
        self.flush()

    def flush(self) -> None:
        """Chain and insert the pending entries (under a table lock on PostgreSQL)."""
        if not self._pending:
            return
        session = self.session
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
        last = session.execute(select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)).first()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        rows = []
        for entry in self._pending:
            seq += 1
            entry = {**entry, "seq": seq, "at": at, "actor": self.actor, "prev_hash": prev}
            entry["entry_hash"] = prev = _entry_hash(entry)
            rows.append(entry)
        for start in range(0, len(rows), 1000):
            session.execute(insert(AuditRow), rows[start : start + 1000])
        self._pending.clear()


def _lookup(session: Session) -> dict[str, dict[int, str]]:
    cases = dict(session.execute(select(CaseRow.pk, CaseRow.ref)).all())
    witness_case = dict(session.execute(select(WitnessRow.pk, WitnessRow.case_pk)).all())
    witness_ref = dict(session.execute(select(WitnessRow.pk, WitnessRow.ref)).all())
    users = dict(session.execute(select(UserRow.pk, UserRow.username)).all())
    return {
        "case": {k: str(v) for k, v in cases.items()},
        "identity": {pk: f"{cases[witness_case[pk]]}/{ref}" for pk, ref in witness_ref.items()},
        "user": {k: str(v) for k, v in users.items()},
    }


# Every audited table: entity name -> (table, how to name a row).
_ENTITIES: dict[str, tuple[Any, Any]] = {
    "case": (CaseRow, lambda r, m: r.ref),
    "witness": (WitnessRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "identity": (WitnessIdentityRow, lambda r, m: m["identity"][r.witness_pk]),
    "interview": (InterviewRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "document": (DocumentRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "excerpt": (ExcerptRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "proposition": (PropositionRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.key}"),
    "claim": (ClaimRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "recommendation": (RecommendationRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "case_key": (CaseKeyRow, lambda r, m: f"{m['case'][r.case_pk]}/v{r.version}"),
    "user": (UserRow, lambda r, m: r.username),
    "membership": (MembershipRow, lambda r, m: f"{m['user'][r.user_pk]}@{m['case'].get(r.case_pk, '*')}"),
}


def entity_rows(session: Session, entity: str, *, case_pk: int | None = None) -> Iterable[tuple[str, Any]]:
    """(entity id, row) for every row of an audited entity, optionally of one case only."""
    table, name = _ENTITIES[entity]
    names = _lookup(session)
    query = select(table.__table__)
    if case_pk is not None:
        if entity == "identity":
            query = query.join(WitnessRow.__table__).where(WitnessRow.case_pk == case_pk)
        elif "case_pk" in table.__table__.c and entity != "membership":
            query = query.where(table.__table__.c.case_pk == case_pk)
        elif entity == "case":
            query = query.where(table.__table__.c.pk == case_pk)
    for row in session.execute(query):
        yield name(row, names), row


@dataclass(frozen=True)
class AuditProblem:
    """One finding of a verification, naming the entry (by sequence number) where there is one."""

    seq: int | None
    entity: str
    entity_id: str
    message: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "no entry"
        return f"{where} ({self.entity} {self.entity_id}): {self.message}"


@dataclass
class AuditReport:
    """The result of `audit verify`."""

    entries: int = 0
    head: str = GENESIS
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_audit(session: Session, *, expect_head: str | None = None) -> AuditReport:
    """Check the chain, then that every audited row is as its newest entry says."""
    report = AuditReport()
    latest: dict[tuple[str, str], tuple[int, str | None]] = {}
    expected_seq, prev = 1, GENESIS
    for row in session.execute(select(AuditRow.__table__).order_by(AuditRow.seq)).mappings():
        entry = dict(row)
        name = (entry["entity"], entry["entity_id"])
        if entry["seq"] != expected_seq:
            report.problems.append(AuditProblem(entry["seq"], *name, f"out of sequence: expected entry #{expected_seq} "
                                                "(an entry was deleted or reordered)"))  # fmt: skip
        elif entry["prev_hash"] != prev:
            message = (
                "does not follow the previous entry (the chain is broken: an entry was edited, deleted or reordered)"
            )
            report.problems.append(AuditProblem(entry["seq"], *name, message))
        elif _entry_hash(entry) != entry["entry_hash"]:
            report.problems.append(AuditProblem(entry["seq"], *name, "was edited after it was written"))
        expected_seq, prev = entry["seq"] + 1, entry["entry_hash"]
        latest[name] = (entry["seq"], entry["after_hash"])
        report.entries += 1
    report.head = prev
    if expect_head is not None and expect_head != prev:
        report.problems.append(AuditProblem(None, "audit_log", "head", "the newest entry is not the expected head "
                                            "(entries were removed from the end)"))  # fmt: skip
    if report.problems:
        return report  # the state check is meaningless on a broken chain

    seen: set[tuple[str, str]] = set()
    for entity in _ENTITIES:
        for entity_id, row in entity_rows(session, entity):
            key = (entity, entity_id)
            seen.add(key)
            if key not in latest:
                report.problems.append(AuditProblem(None, *key, "row was never audited (written outside Corroborate)"))
                continue
            seq, after = latest[key]
            if after is None:
                report.problems.append(AuditProblem(seq, *key, "row exists but its newest entry deleted it"))
            elif row_hash(row) != after:
                report.problems.append(
                    AuditProblem(seq, *key, "row differs from its newest entry (edited outside Corroborate)")
                )
    for key, (seq, after) in latest.items():
        if after is not None and key not in seen:
            report.problems.append(AuditProblem(seq, *key, "row is missing (deleted outside Corroborate)"))
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report
