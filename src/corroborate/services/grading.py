"""The grades of a whole case for its dashboard and propositions page, kept between visits and shared by a
server's workers.

Grading every proposition reads every claim of the case: about 12 s for a million claims. A dashboard
visited by a team cannot pay that on every visit, so the counted grades are kept in the store (table
``case_grades``) with the audit log's head they were computed at (every write moves the head), and one
worker grades a case at a time, whoever asks (a lease in the same row).

- Grades kept at the current head are returned at once.
- Otherwise a grading starts, unless a worker is grading the case, or the last grading ended less than
  ``COOLDOWN`` times its own duration ago (so that a case written to all day is not re-graded back to back).
- When the last grading took less than ``PROMPT`` seconds, the visit grades the case itself: a small case is
  always shown current. Otherwise the grading runs in the background and the visit gets the grades kept,
  marked as not current with the time they were computed at; a case never graded is waited for up to
  ``WAIT`` seconds, then shown as being graded (``ready`` is false).

Nothing restricted is kept: grades are read from public rows (see ``store.evidence``), and the role check
runs on every call.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from corroborate.store import open_store
from corroborate.store.auditlog import log_head
from corroborate.store.grades import (
    KeptGrades,
    claim_grading,
    forget_grades,
    keep_grades,
    kept_grades,
    release_grading,
)

from .access import Action, Actor
from .analysis import assess
from .cases import actor_case

__all__ = ["COOLDOWN", "LEASE", "PROMPT", "WAIT", "CaseGrades", "GradedProposition", "case_grades"]

COOLDOWN = 5.0  # a re-grading starts at least this many times its last duration after the previous one ended
PROMPT = 0.25  # seconds: a case graded faster than this is graded during the visit
WAIT = 1.0  # seconds a visit waits for the first grading of a case
LEASE = timedelta(minutes=2)  # at least this long before another worker may grade a case a worker is grading


@dataclass(frozen=True)
class GradedProposition:
    """One proposition as the propositions page lists it: its grade, its independent sources (groups), the
    witnesses and documents among them, the groups against, and the attributes its sources disagree on."""

    key: str
    statement: str
    grade: str
    groups: int
    witnesses: int
    documents: int
    against: int
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class CaseGrades:
    """How many propositions have each grade (strongest first) and the conflicts open, computed at
    ``computed`` (UTC); ``current`` when the case has not changed since; ``ready`` false when the case is
    still being graded for the first time (then there is nothing else)."""

    case: str
    grades: list[tuple[str, int]]
    conflicts: list[tuple[str, str]]
    computed: datetime | None
    current: bool
    ready: bool = True
    propositions: tuple[GradedProposition, ...] = ()  # in the case's order


_running: dict[tuple[str, int], threading.Event] = {}  # gradings this process runs, by store and case
_lock = threading.Lock()


def _usable(location: str, kept: KeptGrades | None, case_pk: int) -> KeptGrades | None:
    """Kept grades as this code reads them: those kept by an earlier version, without the propositions' rows,
    are dropped from the store, as if never graded (so they are graded again)."""
    if kept is not None and kept.grades is not None and "propositions" not in kept.grades:
        with open_store(location) as store, store.transaction(write=True) as session:
            forget_grades(session, case_pk)
        return replace(kept, grades=None, head=None)
    return kept


def _shown(case: str, kept: KeptGrades | None, *, current: bool) -> CaseGrades:
    if kept is None or kept.grades is None:
        return CaseGrades(case, [], [], None, current=False, ready=False)
    computed = datetime.fromisoformat(kept.computed_at) if kept.computed_at else None
    rows = tuple(GradedProposition(key, statement, grade, int(groups), int(witnesses), int(documents), int(against),
                                   tuple(conflicts))
                 for key, statement, grade, groups, witnesses, documents, against, conflicts
                 in kept.grades["propositions"])  # fmt: skip
    return CaseGrades(case, [(g, int(n)) for g, n in kept.grades["grades"]],
                      [(k, f) for k, f in kept.grades["conflicts"]], computed, current=current,
                      propositions=rows)  # fmt: skip


def _grade(location: str, actor: Actor, case: str, case_pk: int) -> None:
    """Grade the case and keep the counts (the lease is this process's); the lease ends either way."""
    started = time.monotonic()
    try:
        with open_store(location) as store, store.transaction() as session:
            head = log_head(session)  # read before grading: a write during it leaves the grades stale
        assessed = assess(location, actor=actor, case=case)
        counted = Counter(a.grade for a in assessed.assessments)
        grades: dict[str, Any] = {
            "grades": [[grade, counted[grade]] for grade in assessed.standard.ranking],
            "conflicts": [[a.proposition.key, f.name] for a in assessed.assessments for f in a.conflicts],
            "propositions": [[a.proposition.key, a.proposition.statement, a.grade, len(a.support.groups),
                              len(a.support.witnesses), len(a.support.documents), len(a.against.groups),
                              [f.name for f in a.conflicts]] for a in assessed.assessments],
        }  # fmt: skip
        with open_store(location) as store, store.transaction(write=True) as session:
            keep_grades(session, case_pk, head=head, grades=grades, computed_at=datetime.now(UTC),
                        took=time.monotonic() - started)  # fmt: skip
    except BaseException:
        with open_store(location) as store, store.transaction(write=True) as session:
            release_grading(session, case_pk)
        raise


def _in_background(location: str, actor: Actor, case: str, case_pk: int) -> threading.Event:
    done = threading.Event()
    with _lock:
        _running[location, case_pk] = done

    def run() -> None:
        try:
            _grade(location, actor, case, case_pk)
        except Exception:  # the lease is released; the next visit tries again
            pass
        finally:
            with _lock:
                _running.pop((location, case_pk), None)
            done.set()

    threading.Thread(target=run, name=f"grading {case}", daemon=True).start()
    return done


def _small(kept: KeptGrades | None) -> bool:
    """Whether the case's last grading was quick enough to grade during the visit (and without a cooldown)."""
    return kept is not None and kept.took is not None and kept.took < PROMPT


def _due(kept: KeptGrades | None, now: datetime) -> bool:
    """Whether a new grading may start (the cooldown after the last one has passed)."""
    if kept is None or kept.grades is None or kept.computed_at is None or kept.took is None or _small(kept):
        return True
    return (now - datetime.fromisoformat(kept.computed_at)).total_seconds() >= COOLDOWN * kept.took


def case_grades(location: str, *, actor: Actor, case: str | None = None) -> CaseGrades:
    """The grades of every proposition of a case, counted; kept between calls (see the module's docstring)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)  # the role, checked on every call
        ref, case_pk, head = row.ref, row.pk, log_head(session)
        kept = kept_grades(session, case_pk)
    kept = _usable(location, kept, case_pk)
    if kept is not None and kept.grades is not None and kept.head == head:
        return _shown(ref, kept, current=True)
    now = datetime.now(UTC)
    mine = False
    if _due(kept, now):
        lease = max(LEASE, timedelta(seconds=10 * (kept.took or 0) if kept else 0))
        with open_store(location) as store, store.transaction(write=True) as session:
            mine = claim_grading(session, case_pk, head=head, now=now, lease=lease)
    if mine and _small(kept):
        _grade(location, actor, ref, case_pk)
    elif mine:
        done = _in_background(location, actor, ref, case_pk)
        if kept is None or kept.grades is None:
            done.wait(WAIT)
    elif kept is None or kept.grades is None:  # being graded by another visit of this process, or another worker
        with _lock:
            running = _running.get((location, case_pk))
        if running is not None:
            running.wait(WAIT)
    else:
        return _shown(ref, kept, current=False)
    with open_store(location) as store, store.transaction() as session:
        now_kept = kept_grades(session, case_pk)
    return _shown(ref, now_kept, current=now_kept is not None and now_kept.head == head)
