"""Merging into a stored case: records added and updated by id, deleted only when listed, each audited once.

`corroborate import CASEFILE --merge` and `import-report --case` both come
here: the stored case is read, the change is applied to it in memory, the
result is checked as a whole (every problem at once, nothing written when
there is one), and only the records that differ are written, one audit entry
per row. A merge casefile may hold a single new interview with its excerpts
and claims: references to records the case already holds are resolved
against the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from corroborate.domain import ID_FIELDS, Case, Progress, case_problems, normalise_case
from corroborate.errors import CasefileInvalid, CorroborateError, Problem, StoreNotFound, UserError
from corroborate.ingest import MergeFile, parse_merge_casefile
from corroborate.ingest.casefile import read_casefile_text
from corroborate.store import (
    KINDS,
    SECTION_KINDS,
    CaseChanges,
    CaseCounts,
    apply_case,
    case_counts,
    find_case,
    load_case,
    open_store,
)

from .access import Action, Actor
from .casefiles import case_redactor, casefile_redactor, read_casefile, redact_error
from .cases import CaseWrite, case_write, import_case, ticker
from .scanning import rebuild_scan_index
from .unlocking import Secrets

__all__ = ["MergeResult", "merge_casefile", "merged_case", "update_case", "write_changes"]

_SECTIONS = tuple(SECTION_KINDS)


@dataclass(frozen=True)
class MergeResult:
    """What a merge did, by casefile section: records added, changed and deleted."""

    case: str
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    counts: CaseCounts | None = None
    created: bool = False  # the case was new to the store: the file was imported whole

    @classmethod
    def of(cls, case: str, changes: CaseChanges, counts: CaseCounts) -> MergeResult:
        counted: Counter[tuple[str, str]] = Counter(
            (c.action, KINDS[c.kind][2]) for c in changes.changes if c.kind in KINDS
        )

        def tally(action: str) -> dict[str, int]:
            return {s: counted[action, s] for s in _SECTIONS if counted[action, s]}

        return cls(case, tally("create"), tally("update"), tally("delete"), counts)


def write_changes(w: CaseWrite, before: Case, after: Case, *, progress: Progress | None = None) -> CaseChanges:
    """Write what differs between two versions of a case, and key the leak scan index again if identities moved."""
    total = sum(len(getattr(after, s)) for s in _SECTIONS)
    changes = apply_case(w.session, w.row, before, after, audit=w.audit, keys=w.keys, tick=ticker(total, progress))
    if changes.identities:
        rebuild_scan_index(w.session, w.row, w.keys, w.audit)
    if progress is not None:
        progress(total, total)
    return changes


def merged_case(before: Case, file: Case, deletions: dict[str, list[str]]) -> tuple[Case, list[tuple[str, str]]]:
    """``before`` with the file's records put in by id (new ones after the others) and the listed ids removed.

    A witness the file gives without `restricted` keeps the identity it has.
    Returns the merged case and the deletions (section, id) that name no record.
    """
    update: dict[str, Any] = {}
    unknown: list[tuple[str, str]] = []
    for section in _SECTIONS:
        key = ID_FIELDS[section]
        items = {getattr(item, key): item for item in getattr(before, section)}
        for item in getattr(file, section):
            old = items.get(getattr(item, key))
            if section == "witnesses" and item.restricted is None and old is not None:
                item = item.model_copy(update={"restricted": old.restricted})
            items[getattr(item, key)] = item
        for ref in deletions.get(section, []):
            if items.pop(ref, None) is None:
                unknown.append((section, ref))
        update[section] = list(items.values())
    return before.model_copy(update=update), unknown


def _problems(merged: Case, file: MergeFile, deleted: set[str]) -> list[Problem]:
    """Every problem of the merged case, placed in the file where its record was written (else named as stored)."""
    written = {s: {getattr(item, ID_FIELDS[s]): i for i, item in enumerate(getattr(file.case, s))} for s in _SECTIONS}
    problems = []
    for problem in case_problems(merged, today=date.today()):
        section, position, *rest = problem.path
        assert isinstance(section, str) and isinstance(position, int)
        ref = getattr(getattr(merged, section)[position], ID_FIELDS[section])
        message = problem.message + (" (this file deletes it)" if problem.missing in deleted else "")
        if ref in written[section]:
            index = written[section][ref]
            dotted = f"{section}[{index}]" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)
            problems.append(Problem(file.filename, file.line(section, index, *rest), dotted, message))
        else:
            where = f"{SECTION_KINDS[section]} {ref} (in the store)" + "".join(f".{p}" for p in rest)
            problems.append(Problem(file.filename, None, where, message))
    return problems


def _case_exists(location: str, ref: str) -> bool:
    try:
        with open_store(location) as store, store.transaction() as session:
            return find_case(session, ref) is not None
    except StoreNotFound:
        return False


def merge_casefile(
    location: str, path: str | Path, *, actor: Actor, secrets: Secrets, progress: Progress | None = None
) -> MergeResult:
    """Merge a casefile into the stored case it names (a case new to the store is imported whole).

    Nothing is written when any problem exists; every problem is listed, and
    none quotes a restricted value.
    """
    text = read_casefile_text(path)
    failure: CorroborateError | None = None
    try:
        file = parse_merge_casefile(text, filename=str(path))
    except CasefileInvalid as exc:
        failure = exc
    if failure is not None:
        raise redact_error(failure, casefile_redactor(text))
    ref = file.case.case.id
    if not _case_exists(location, ref):
        result = import_case(location, read_casefile(path), actor=actor, secrets=secrets, progress=progress)
        counts = result.counts
        added = {s: getattr(counts, s) for s in _SECTIONS if getattr(counts, s, 0)}
        return MergeResult(ref, added=added, counts=counts, created=True)
    deleted = {ref_ for ids in file.deletions.values() for ref_ in ids}
    with case_write(location, actor=actor, action=Action.import_case, secrets=secrets, case=ref) as w:
        before = load_case(w.session, ref, keys=w.keys)
        after, unknown = merged_case(before, file.case, file.deletions)
        problems = [
            Problem(file.filename, file.line("delete", s), f"delete.{s}", f"no {SECTION_KINDS[s]} {gone!r} to delete")
            for s, gone in unknown
        ]
        problems += _problems(after, file, deleted)
        if problems:
            failure = redact_error(CasefileInvalid(problems), case_redactor(before))
        if failure is not None:
            raise failure
        changes = write_changes(w, before, normalise_case(after), progress=progress)
        counts = case_counts(w.session, ref)
    return MergeResult.of(ref, changes, counts)


def update_case(
    location: str, change: Callable[[Case], Case], *, actor: Actor, secrets: Secrets, case: str | None = None,
    progress: Progress | None = None,
) -> tuple[Case, Case, MergeResult]:  # fmt: skip
    """Read a case, change it and write back only what differs — in one write transaction, so no write is lost.

    Returns the case before and after the change, and what was written. An error
    the change raises is redacted against the case's restricted values.
    """
    with case_write(location, actor=actor, action=Action.import_case, secrets=secrets, case=case) as w:
        before = load_case(w.session, w.row.ref, keys=w.keys)
        failure: CorroborateError | None = None
        try:
            after = change(before)
        except CorroborateError as exc:
            failure = redact_error(exc, case_redactor(before))
        if failure is not None:
            raise failure
        if after.case.id != w.row.ref:
            raise UserError("a change may not rename the case")
        changes = write_changes(w, before, after, progress=progress)
        counts = case_counts(w.session, w.row.ref)
    return before, after, MergeResult.of(w.row.ref, changes, counts)
