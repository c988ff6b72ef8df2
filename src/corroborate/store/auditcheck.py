"""Verifying the audit log: the hash chain, the signatures on it, and the rows it covers.

What is checked, in order:

1. the chain: entries numbered 1, 2, 3 … each naming the previous entry's
   hash and hashing to its own (an edit, deletion or reordering breaks it);
2. the signatures: each must verify under its signer's public key (for a
   case, the one the user pinned where there is one, so a key swapped in the
   store and a log rebuilt and signed with it are caught; for a user, the key
   in their user row, which the cases' signatures cover);
3. coverage: every write ends with signatures, and the entries of each write
   must be signed by their case (a store-wide entry, about users and
   store-wide roles, by every case that existed; a new account, which has no
   role yet, by any one case), or a claim by the user who coded it: entries
   appended by someone without a key are unsigned;
4. the head the user saw last (from their trust file) is still in the log,
   unchanged: cutting entries from the end is caught even after new writes;
5. rows: every audited row is as its newest entry says (rows edited, added or
   deleted behind Corroborate's back, a ciphertext put back to an older one),
   and every attachment has the chunks its record says, in number and size
   (their content is checked when read: that needs the case key).

Problems name entries and ids, never a restricted value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .attachments import chunk_problems
from .audit import (
    ENTITIES,
    EVENT_ENTITIES,
    GENESIS,
    UNSIGNED_ENTITIES,
    USER_SIGNED_ENTITIES,
    USER_SIGNER,
    case_signing_keys,
    entity_case,
    entity_rows,
    entry_hash,
    is_new_account,
    row_hash,
    row_values,
    user_signing_keys,
    values_hash,
    verify_head,
)
from .auditlog import entry_hash_at
from .schema import AuditRow, AuditSignatureRow

__all__ = ["AuditProblem", "AuditReport", "verify_audit"]


@dataclass(frozen=True)
class AuditProblem:
    """One finding of a verification, naming the entry (by sequence number) where there is one."""

    seq: int | None
    entity: str
    entity_id: str
    message: str
    case: str | None = None

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "no entry"
        return f"{where} ({self.entity} {self.entity_id}): {self.message}"


@dataclass
class AuditReport:
    """The result of `audit verify`."""

    entries: int = 0
    head: str = GENESIS
    head_seq: int = 0
    problems: list[AuditProblem] = field(default_factory=list)
    keys: dict[str, bytes] = field(default_factory=dict)  # public signing keys found in the store, by case
    signed: int = 0  # the newest entry with a valid signature
    unsigned: int = 0  # entries after it that need none (disclosure checks)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Span:
    """The entries of one write: after the previous signature, up to and including the one that closes it."""

    first: int | None = None
    cases: dict[str, int] = field(default_factory=dict)  # case -> first entry about it
    store_wide: int | None = None
    new_accounts: int | None = None  # new user accounts: any one case may sign them
    users: dict[tuple[str, str | None], int] = field(default_factory=dict)  # (actor, case) of user-signable entries

    def add(self, entry: dict[str, Any]) -> None:
        seq, case = entry["seq"], entry["case_ref"]
        if entry["entity"] in UNSIGNED_ENTITIES:
            return
        self.first = seq if self.first is None else self.first
        if entry["entity"] in USER_SIGNED_ENTITIES:
            self.users.setdefault((entry["actor"], case), seq)
        elif is_new_account(entry):
            self.new_accounts = seq if self.new_accounts is None else self.new_accounts
        elif case is None:
            self.store_wide = seq if self.store_wide is None else self.store_wide
        else:
            self.cases.setdefault(case, seq)


@dataclass
class _Scan:
    latest: dict[tuple[str, str], tuple[int, str | None]] = field(default_factory=dict)
    spans: list[tuple[int | None, _Span]] = field(default_factory=list)  # (closing signature seq or None, span)


def _chain(session: Session, report: AuditReport, signed_seqs: set[int]) -> _Scan:
    scan = _Scan()
    span = _Span()
    expected_seq, prev = 1, GENESIS
    for row in session.execute(select(AuditRow.__table__).order_by(AuditRow.seq)).mappings():
        entry = dict(row)
        name = (entry["entity"], entry["entity_id"])
        case = entry["case_ref"]

        def problem(
            message: str, seq: int = entry["seq"], name: tuple[str, str] = name, case: str | None = case
        ) -> None:
            report.problems.append(AuditProblem(seq, *name, message, case))

        if entry["seq"] != expected_seq:
            problem(f"out of sequence: expected entry #{expected_seq} (an entry was deleted or reordered)")
        elif entry["prev_hash"] != prev:
            problem(
                "does not follow the previous entry (the chain is broken: an entry was edited, deleted or reordered)"
            )
        elif entry_hash(entry) != entry["entry_hash"]:
            problem("was edited after it was written")
        if entry["entity"] not in ENTITIES and entry["entity"] not in UNSIGNED_ENTITIES | EVENT_ENTITIES:
            problem("names no kind of row Corroborate audits")
        elif entity_case(entry["entity"], entry["entity_id"]) != case:
            problem("says it is about another case than the row it names")
        expected_seq, prev = entry["seq"] + 1, entry["entry_hash"]
        if entry["entity"] in ENTITIES:
            scan.latest[name] = (entry["seq"], entry["after_hash"])
        span.add(entry)
        if entry["seq"] in signed_seqs:
            scan.spans.append((entry["seq"], span))
            span = _Span()
        report.entries += 1
        report.head_seq = entry["seq"]
    if span.first is not None:
        scan.spans.append((None, span))
    report.head = prev
    return scan


def _valid_signers(
    session: Session, report: AuditReport, keys: Mapping[str, bytes], entries: set[int]
) -> dict[int, set[str]]:
    hashes = dict(
        session.execute(
            select(AuditRow.seq, AuditRow.entry_hash).where(AuditRow.seq.in_(select(AuditSignatureRow.seq)))
        ).all()
    )
    valid: dict[int, set[str]] = {}
    query = select(AuditSignatureRow.seq, AuditSignatureRow.signer, AuditSignatureRow.signature)
    for seq, signer, signature in session.execute(query.order_by(AuditSignatureRow.seq)):
        public = keys.get(signer)
        case = None if signer.startswith(USER_SIGNER) else signer
        kind = "user" if case is None else "case"
        if seq not in entries:
            report.problems.append(AuditProblem(seq, kind, signer, "signature on an entry that does not exist", case))
        elif public is None:
            report.problems.append(AuditProblem(seq, kind, signer, "signed by someone whose key is unknown", case))
        elif not verify_head(public, signer, seq, hashes[seq], signature):
            message = "signature does not verify (forged, or the entry was changed)"
            report.problems.append(AuditProblem(seq, kind, signer, message, case))
        else:
            valid.setdefault(seq, set()).add(signer)
            report.signed = max(report.signed, seq)
    return valid


def _coverage(report: AuditReport, scan: _Scan, valid: dict[int, set[str]], case_keys: Mapping[str, bytes]) -> None:
    """Each write's entries must be signed by their case (every case, for store-wide ones) or their user."""
    existing: set[str] = set()  # cases that had signed before the write being checked
    for closing, span in scan.spans:
        if span.first is None:
            continue
        signers = valid.get(closing, set()) if closing is not None else set()
        where = f"entries #{span.first}-#{closing}" if closing is not None else f"entries #{span.first} and after"

        def unsigned(case: str | None, first: int, by: str, where: str = where) -> None:
            entity, entity_id = ("case", case) if case is not None else ("user", "*")
            message = f"{where} are not signed by {by} (written without its key, or forged)"
            report.problems.append(AuditProblem(first, entity, entity_id, message, case))

        for case, first in span.cases.items():
            if case not in case_keys:
                message = "has no signing key: its entries are not signed (run `corroborate audit sign`)"
                report.problems.append(AuditProblem(first, "case", case, message, case))
            elif case not in signers:
                unsigned(case, first, f"case {case}")
        if span.store_wide is not None:
            for missing in sorted(existing - signers):
                unsigned(None, span.store_wide, f"case {missing} (users and store-wide roles)")
        if span.new_accounts is not None and existing and not signers - {s for s in signers if s[:1] == USER_SIGNER}:
            unsigned(None, span.new_accounts, "any case (new user accounts)")
        for (actor, about), first in span.users.items():
            if USER_SIGNER + actor not in signers and (about is None or about not in signers):
                unsigned(about, first, f"{actor} or case {about}")
        existing |= {s for s in signers if not s.startswith(USER_SIGNER)}
    report.unsigned = max(0, report.head_seq - report.signed) if scan.spans and scan.spans[-1][0] is None else 0


# Columns that migrations added to audited rows, with the value each gave the rows already there. A row
# audited before its migration was hashed without the column: while the row still holds that value, the
# hash without it is the row's hash too (nothing else about the row can differ). Any subset may be missing,
# since stores made at 45f8b79 had a claim's mode at 0003, before 0004 added it with the rest.
ADDED_COLUMNS: dict[str, dict[str, Any]] = {
    "case": {"hit_limit": None},  # 0003
    "identity": {"revision": None},  # 0003
    "user": {"signing_public": None, "signing_kdf": None},  # 0003
    "claim": {"mode": None, "occurrence": None},  # 0004
    "proposition": {"kind": "event"},  # 0004
    "witness": {"origin_as_written": None},  # 0004
    "document": {"in_force": None},  # 0004
    "excerpt": {"article": None, "anchor": None},  # 0004, 0011
    "recommendation": {"addressee_kind": None, "follow_up": None},  # 0004
}


def _row_matches(entity: str, row: Any, after: str) -> bool:
    """True when the row hashes to ``after`` now, or as it was before migrations added columns to it."""
    if row_hash(row) == after:
        return True
    values = row_values(row)
    added = [c for c, default in ADDED_COLUMNS.get(entity, {}).items() if c in values and values[c] == default]
    for n in range(1, len(added) + 1):
        for missing in combinations(added, n):
            if values_hash({k: v for k, v in values.items() if k not in missing}) == after:
                return True
    return False


def _rows(session: Session, report: AuditReport, scan: _Scan) -> None:
    seen: set[tuple[str, str]] = set()
    latest = scan.latest
    for entity in ENTITIES:
        for entity_id, row in entity_rows(session, entity):
            key = (entity, entity_id)
            case = entity_case(entity, entity_id)
            seen.add(key)
            if key not in latest:
                report.problems.append(
                    AuditProblem(None, *key, "row was never audited (written outside Corroborate)", case)
                )
                continue
            seq, after = latest[key]
            if after is None:
                report.problems.append(AuditProblem(seq, *key, "row exists but its newest entry deleted it", case))
            elif not _row_matches(entity, row, after):
                report.problems.append(
                    AuditProblem(seq, *key, "row differs from its newest entry (edited outside Corroborate)", case)
                )
    for key, (seq, after) in latest.items():
        if after is not None and key not in seen:
            report.problems.append(
                AuditProblem(seq, *key, "row is missing (deleted outside Corroborate)", entity_case(*key))
            )
    for case, entity_id, message in chunk_problems(session):
        entry = latest.get(("attachment", entity_id))
        report.problems.append(AuditProblem(entry and entry[0], "attachment", entity_id, message, case))


def verify_audit(
    session: Session, *, pinned: Mapping[str, bytes] | None = None, seen: tuple[int, str] | None = None
) -> AuditReport:
    """Check the chain, its signatures and what each covers, the head seen last, then every audited row.

    ``pinned`` holds the public keys the user trusts, by case (they win over the
    keys stored in the database); ``seen`` the (sequence number, hash) of the
    newest entry the user saw before.
    """
    report = AuditReport()
    signed_seqs = set(session.scalars(select(AuditSignatureRow.seq)))
    scan = _chain(session, report, signed_seqs)
    if report.problems:
        return report  # signatures, coverage and row states are meaningless on a broken chain
    report.keys = case_signing_keys(session)
    case_keys = dict(report.keys)
    for case, public in (pinned or {}).items():
        if case in case_keys and case_keys[case] != public:
            message = (
                "its signing key in the store is not the key you pinned (the log may have been rebuilt and re-signed)"
            )
            report.problems.append(AuditProblem(None, "case", case, message, case))
        case_keys[case] = public
    valid = _valid_signers(
        session, report, {**user_signing_keys(session), **case_keys}, set(range(1, report.head_seq + 1))
    )
    if seen is not None:
        seq, head = seen
        found = entry_hash_at(session, seq)
        if found != head:
            state = "is missing" if found is None else "was changed"
            message = f"the entry you saw last {state}: entries were removed from the end or rewritten since"
            report.problems.append(AuditProblem(seq, "audit_log", "head", message))
    _coverage(report, scan, valid, case_keys)
    _rows(session, report, scan)
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report
