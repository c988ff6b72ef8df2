"""The grades of a whole case for its dashboard, kept between visits.

Grading every proposition reads every claim of the case: about 12 s for a million claims. A dashboard
visited by a team cannot pay that on every visit, so the grades are kept in this process with the audit
log's head they were computed at (every write moves the head). A visit after a write gets the grades kept
(marked as not current, with the time they were computed at) and starts one re-grading in the background,
unless grading took less than ``PROMPT`` seconds last time: then it is done during the visit, as it is
for a case never graded in this process; re-grading starts again no sooner than ``COOLDOWN`` times its own
last duration after the previous one, so that a case written to all day is not re-graded back to back.
Nothing restricted is kept: grades are read from public rows (see ``store.evidence``), and the role check
runs on every call.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from corroborate.store import open_store
from corroborate.store.auditlog import log_head

from .access import Action, Actor
from .analysis import assess
from .cases import actor_case

__all__ = ["COOLDOWN", "PROMPT", "CaseGrades", "case_grades"]

COOLDOWN = 5.0  # a re-grading starts at least this many times its last duration after the previous one
PROMPT = 0.25  # seconds: a case graded faster than this is graded again during the visit


@dataclass(frozen=True)
class CaseGrades:
    """How many propositions have each grade (strongest first), the conflicts open, and whether the case
    changed since they were computed (``current``) at ``computed`` (UTC)."""

    case: str
    grades: list[tuple[str, int]]
    conflicts: list[tuple[str, str]]
    computed: datetime
    current: bool


@dataclass
class _Kept:
    head: tuple[int, str] | None
    grades: CaseGrades
    started: float  # monotonic time the computation started
    took: float
    refreshing: bool = False


_kept: dict[tuple[str, str], _Kept] = {}
_lock = threading.Lock()


def _head(location: str, actor: Actor, case: str | None) -> tuple[str, tuple[int, str] | None]:
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        return row.ref, log_head(session)


def _compute(location: str, actor: Actor, case: str) -> _Kept:
    started = time.monotonic()
    head = _head(location, actor, case)[1]  # read before grading: a write during it leaves the grades stale
    assessed = assess(location, actor=actor, case=case)
    counted = Counter(a.grade for a in assessed.assessments)
    grades = CaseGrades(
        case=case,
        grades=[(grade, counted[grade]) for grade in assessed.standard.ranking],
        conflicts=[(a.proposition.key, f.name) for a in assessed.assessments for f in a.conflicts],
        computed=datetime.now(UTC),
        current=True,
    )
    return _Kept(head, grades, started, time.monotonic() - started)


def _keep(key: tuple[str, str], computed: _Kept) -> None:
    """Keep grades unless newer ones (started later) are kept already."""
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept.started <= computed.started:
            _kept[key] = computed


def _refresh(location: str, actor: Actor, case: str) -> None:
    key = (location, case)
    try:
        _keep(key, _compute(location, actor, case))
    except Exception:  # the next visit tries again; the kept grades stay meanwhile
        with _lock:
            if key in _kept:
                _kept[key].refreshing = False


def case_grades(location: str, *, actor: Actor, case: str | None = None, fresh: bool = False) -> CaseGrades:
    """The grades of every proposition of a case, counted; kept between calls (see the module's docstring).

    With ``fresh``, grades kept from before the latest write are computed again before returning, however
    long that takes.
    """
    ref, head = _head(location, actor, case)  # checks the role on every call
    key = (location, ref)
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept.head == head:
            return kept.grades
        now = kept is None or fresh or kept.took < PROMPT
        start = (
            not now
            and kept is not None
            and not kept.refreshing
            and time.monotonic() - kept.started >= COOLDOWN * kept.took
        )
        if start and kept is not None:
            kept.refreshing = True
    if now or kept is None:
        computed = _compute(location, actor, ref)
        _keep(key, computed)
        return computed.grades
    if start:
        threading.Thread(target=_refresh, args=(location, actor, ref), name=f"grading {ref}", daemon=True).start()
    stale = kept.grades
    return CaseGrades(stale.case, stale.grades, stale.conflicts, stale.computed, current=False)
