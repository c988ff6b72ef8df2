"""The counted grades of a case kept for its dashboard (table ``case_grades``), and the lease one worker
takes to grade a case while the others wait for its result. A cache derived from public rows: never
audited, never restricted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .schema import CaseGradesRow

__all__ = ["KeptGrades", "claim_grading", "forget_grades", "keep_grades", "kept_grades", "release_grading"]


@dataclass(frozen=True)
class KeptGrades:
    """What is kept for a case: the grades (None until a grading ended), the head they were computed at,
    when (ISO, UTC) and in how many seconds; and since when a worker is grading it again, if one is."""

    head: tuple[int, str] | None
    grades: dict[str, Any] | None
    computed_at: str | None
    took: float | None
    grading_since: str | None


def kept_grades(session: Session, case_pk: int) -> KeptGrades | None:
    """The grades kept for a case, or None when it was never graded."""
    row = session.get(CaseGradesRow, case_pk)
    if row is None:
        return None
    head = (row.head_seq, row.head_hash) if row.head_seq is not None and row.head_hash is not None else None
    return KeptGrades(head, row.grades, row.computed_at, row.took, row.grading_since)


def claim_grading(
    session: Session, case_pk: int, *, head: tuple[int, str] | None, now: datetime, lease: timedelta
) -> bool:
    """Take the lease to grade a case at the log's ``head``: True unless another worker took it less than
    ``lease`` ago (a worker that died while grading holds it no longer than that) or grades at that head are
    kept already (a grading that ended since they were read). Atomic across workers and processes."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    session.execute(insert(CaseGradesRow).values(case_pk=case_pk).on_conflict_do_nothing(index_elements=["case_pk"]))
    taken = session.execute(
        update(CaseGradesRow)
        .where(CaseGradesRow.case_pk == case_pk)
        .where(or_(CaseGradesRow.grading_since.is_(None), CaseGradesRow.grading_since < (now - lease).isoformat()))
        .where(or_(CaseGradesRow.grades.is_(None), *_other_head(head)))
        .values(grading_since=now.isoformat())
    )
    return bool(getattr(taken, "rowcount", 0))


def _other_head(head: tuple[int, str] | None) -> list[Any]:
    if head is None:
        return [CaseGradesRow.head_seq.is_not(None)]
    seq, digest = head
    return [CaseGradesRow.head_seq.is_(None), CaseGradesRow.head_seq != seq, CaseGradesRow.head_hash != digest]


def keep_grades(
    session: Session, case_pk: int, *, head: tuple[int, str] | None, grades: dict[str, Any], computed_at: datetime,
    took: float,
) -> None:  # fmt: skip
    """Keep a grading's result and end its lease."""
    seq, digest = head if head is not None else (None, None)
    session.execute(
        update(CaseGradesRow)
        .where(CaseGradesRow.case_pk == case_pk)
        .values(
            head_seq=seq,
            head_hash=digest,
            grades=grades,
            computed_at=computed_at.isoformat(),
            took=took,
            grading_since=None,
        )  # fmt: skip
    )


def forget_grades(session: Session, case_pk: int) -> None:
    """Drop a case's kept grades (kept in a form this code no longer reads), so that the next lease grades it."""
    session.execute(update(CaseGradesRow).where(CaseGradesRow.case_pk == case_pk)
                    .values(grades=None, head_seq=None, head_hash=None))  # fmt: skip


def release_grading(session: Session, case_pk: int) -> None:
    """End a lease whose grading failed (the grades kept before stay)."""
    session.execute(update(CaseGradesRow).where(CaseGradesRow.case_pk == case_pk).values(grading_since=None))
