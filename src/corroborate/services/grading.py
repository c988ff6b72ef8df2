"""The grades of a whole case for its dashboard, kept between visits.

Grading every proposition reads every claim of the case: about 12 s for a million claims. A dashboard
visited by a team cannot pay that on every visit, so the grades are kept in this process with the audit
log's head they were computed at (every write moves the head), and computed by one thread at a time per
case, whoever asks.

- Grades kept at the current head are returned at once.
- Otherwise one grading starts, unless one is running or the last one ended less than ``COOLDOWN`` times
  its own duration ago (so that a case written to all day is not re-graded back to back).
- When the last grading took less than ``PROMPT`` seconds, the visit waits for the new one: a small case
  is always shown current. Otherwise a visit gets the grades kept at once, marked as not current with the
  time they were computed at; a case not graded yet in this process is waited for up to ``WAIT`` seconds,
  then shown as being graded (``ready`` is false). The grading goes on in the background.

Nothing restricted is kept: grades are read from public rows (see ``store.evidence``), and the role check
runs on every call.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from corroborate.store import open_store
from corroborate.store.auditlog import log_head

from .access import Action, Actor
from .analysis import assess
from .cases import actor_case

__all__ = ["COOLDOWN", "PROMPT", "WAIT", "CaseGrades", "case_grades"]

COOLDOWN = 5.0  # a re-grading starts at least this many times its last duration after the previous one ended
PROMPT = 0.25  # seconds: a case graded faster than this is always graded during the visit
WAIT = 1.0  # seconds a visit waits for a grading that takes longer


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


@dataclass(frozen=True)
class _Kept:
    head: tuple[int, str] | None
    grades: CaseGrades
    ended: float  # monotonic time the grading ended
    took: float


@dataclass
class _Case:
    kept: _Kept | None = None
    running: threading.Event | None = None  # set when the running grading ends


_cases: dict[tuple[str, str], _Case] = {}
_lock = threading.Lock()


def _head(location: str, actor: Actor, case: str | None) -> tuple[str, tuple[int, str] | None]:
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        return row.ref, log_head(session)


def _grade(location: str, actor: Actor, case: str, state: _Case, done: threading.Event) -> None:
    started = time.monotonic()
    try:
        head = _head(location, actor, case)[1]  # read before grading: a write during it leaves them stale
        assessed = assess(location, actor=actor, case=case)
        counted = Counter(a.grade for a in assessed.assessments)
        grades = CaseGrades(
            case=case,
            grades=[(grade, counted[grade]) for grade in assessed.standard.ranking],
            conflicts=[(a.proposition.key, f.name) for a in assessed.assessments for f in a.conflicts],
            computed=datetime.now(UTC),
            current=True,
        )
        with _lock:
            state.kept = _Kept(head, grades, time.monotonic(), time.monotonic() - started)
    finally:  # a failed grading is tried again by the next visit; what was kept stays meanwhile
        with _lock:
            state.running = None
        done.set()


def case_grades(location: str, *, actor: Actor, case: str | None = None) -> CaseGrades:
    """The grades of every proposition of a case, counted; kept between calls (see the module's docstring)."""
    ref, head = _head(location, actor, case)  # checks the role on every call
    for _ in range(3):  # a small case whose grading began before the latest write is graded once more
        with _lock:
            state = _cases.setdefault((location, ref), _Case())
            kept = state.kept
            if kept is not None and kept.head == head:
                return kept.grades
            small = kept is not None and kept.took < PROMPT
            done = state.running
            if done is None and (kept is None or small or time.monotonic() - kept.ended >= COOLDOWN * kept.took):
                done = state.running = threading.Event()
                worker = threading.Thread(target=_grade, args=(location, actor, ref, state, done), daemon=True,
                                          name=f"grading {ref}")  # fmt: skip
                worker.start()
        if done is None or not (kept is None or small):
            break
        done.wait(WAIT if kept is None else None)
        with _lock:
            kept = state.kept
        if kept is not None and kept.head == head:
            return kept.grades
        if kept is None or kept.took >= PROMPT:
            break
    if kept is None:
        return CaseGrades(ref, [], [], None, current=False, ready=False)
    return replace(kept.grades, current=False)
