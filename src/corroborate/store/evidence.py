"""What assessing a case reads from the store, as plain rows: no ORM object and no domain object per claim.

A whole case is a million claims: read as ORM objects and turned into domain
objects they took longer than the assessment itself. Here claims are read
with their excerpts in one query, straight from the driver's cursor, one tuple
each, their attributes parsed once per distinct JSON text; only the few
thousand propositions, witnesses and documents become domain objects.
Sources are keyed by number: an interview by its primary key, a document by
minus its own. Never reads a restricted field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Integer, Select, Text, any_, cast, func, literal, select
from sqlalchemy.orm import Session

from corroborate.domain import Document, Proposition, Witness

from .rowvalues import document_from_row, proposition_from_row, witness_from_row
from .schema import ClaimRow, DocumentRow, ExcerptRow, InterviewRow, PropositionRow, WitnessRow

__all__ = ["AssessmentSources", "ClaimTuple", "assessment_sources", "cited_sources", "claim_tuples", "proposition_pk"]

# (proposition pk, claim id, stance, attributes, claim's own mode, occurrence, excerpt id, excerpt's mode,
#  note, source key): the fields of ``analysis.ClaimRecord``, in its order.
ClaimTuple = tuple[int, str, str, dict[str, Any], str | None, str | None, str, str, int | None, int]
_AnySelect = Select[*tuple[Any, ...]]
_FETCH = 10_000  # rows taken from the cursor at a time
_KEYS = 10_000  # keys named in one statement


@dataclass(frozen=True)
class AssessmentSources:
    """The propositions to assess and the sources their claims rest on (no restricted field)."""

    propositions: dict[int, Proposition]  # by primary key, in the case's order
    witnesses: dict[str, Any]  # their rows by pseudonym, in the case's order
    interviews: list[tuple[int, str, str]]  # (source key, witness pseudonym, date)
    documents: list[tuple[int, Document]]  # (source key, document)

    def witness_facts(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """(pseudonym, independence group, its note, origin) of each witness: what grouping sources needs."""
        return [(w.ref, w.independence_group, w.independence_note, w.origin) for w in self.witnesses.values()]

    def witness(self, pseudonym: str) -> Witness:
        """One witness's public side (made when asked: an explanation names a few of thousands)."""
        return witness_from_row(self.witnesses[pseudonym])


def assessment_sources(session: Session, case_pk: int) -> AssessmentSources:
    """Every proposition of a case, and every source of its claims."""
    return _sources(
        session,
        select(PropositionRow).where(PropositionRow.case_pk == case_pk),
        [InterviewRow.case_pk == case_pk],
        [WitnessRow.case_pk == case_pk],
        [DocumentRow.case_pk == case_pk],
    )


def cited_sources(session: Session, proposition_pk: int, claims: Iterable[ClaimTuple]) -> AssessmentSources:
    """One proposition, and the sources its claims (as ``claim_tuples`` read them) cite, found by key."""
    keys = {claim[-1] for claim in claims}
    interviews = sorted(k for k in keys if k > 0)
    documents = sorted(-k for k in keys if k < 0)
    cited = _among(session, InterviewRow.pk, interviews)
    witnesses = sorted({pk for where in cited for (pk,) in _raw(session, select(InterviewRow.witness_pk).where(where))})
    return _sources(
        session,
        select(PropositionRow).where(PropositionRow.pk == proposition_pk),
        cited,
        _among(session, WitnessRow.pk, witnesses),
        _among(session, DocumentRow.pk, documents),
    )


def _among(session: Session, column: Any, keys: list[int]) -> list[Any]:
    """Conditions that together choose the rows whose ``column`` is one of ``keys``.

    PostgreSQL takes the keys as one array; SQLite as lists short enough for one statement's parameters
    (it allows 32,766), one condition each.
    """
    if session.get_bind().dialect.name == "postgresql":
        return [column == any_(literal(keys, ARRAY(Integer)))]
    return [column.in_(keys[i : i + _KEYS]) for i in range(0, len(keys), _KEYS)]


def _sources(
    session: Session, propositions: Select[Any], interviews: list[Any], witnesses: list[Any], documents: list[Any]
) -> AssessmentSources:
    """The propositions, and the interviews, witnesses and documents each of the conditions chooses."""
    witness_rows = sorted(
        (row for where in witnesses for row in session.execute(select(WitnessRow.__table__).where(where))),
        key=lambda w: w.position,
    )
    document_rows = sorted(
        (row for where in documents for row in session.execute(select(DocumentRow.__table__).where(where))),
        key=lambda d: d.position,
    )
    pseudonym = {w.pk: w.ref for w in witness_rows}
    columns = select(InterviewRow.pk, InterviewRow.witness_pk, InterviewRow.date)
    return AssessmentSources(
        propositions={
            p.pk: proposition_from_row(p) for p in session.scalars(propositions.order_by(PropositionRow.position))
        },
        witnesses={w.ref: w for w in witness_rows},
        interviews=[
            (pk, pseudonym[witness_pk], date)
            for where in interviews
            for pk, witness_pk, date in _raw(session, columns.where(where))
        ],
        documents=[(-d.pk, document_from_row(d)) for d in document_rows],
    )


def claim_tuples(session: Session, case_pk: int, proposition_pk: int | None = None) -> Iterator[ClaimTuple]:
    """The claims of a case (or of one proposition) with their excerpts' mode, note and source key, unordered.

    A generator: take it inside the session's transaction.
    """
    query = select(
        ClaimRow.proposition_pk,
        ClaimRow.ref,
        ClaimRow.stance,
        cast(ClaimRow.attributes, Text),
        ClaimRow.mode,
        ClaimRow.occurrence,
        ExcerptRow.ref,
        ExcerptRow.mode,
        ExcerptRow.note,
        func.coalesce(ExcerptRow.interview_pk, -ExcerptRow.document_pk),
    ).join(ExcerptRow, ExcerptRow.pk == ClaimRow.excerpt_pk)  # fmt: skip
    # A proposition's claims are all its case's: filtered by proposition alone, they are found through its index.
    query = query.where(
        ClaimRow.case_pk == case_pk if proposition_pk is None else ClaimRow.proposition_pk == proposition_pk
    )
    parsed, same = _Parsed(), _Same()
    for rows in _batches(session, query):
        # One list per batch, built in a comprehension rather than a generator step per row: a case has a
        # million. Attributes are parsed once per distinct JSON text (a case repeats few distinct sets);
        # stances and modes, a handful of words, are one object each rather than a million copies.
        yield from [
            (proposition, claim, same[stance], parsed[text], same[mode], occurrence, excerpt, same[excerpt_mode],
             note, source)
            for proposition, claim, stance, text, mode, occurrence, excerpt, excerpt_mode, note, source in rows
        ]  # fmt: skip


class _Parsed(dict[str, dict[str, Any]]):
    """JSON texts and what they parse to, parsed when first asked for (a hit is a plain dictionary lookup)."""

    def __missing__(self, text: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(text)
        self[text] = found
        return found


class _Same(dict[Any, Any]):
    """One object for each distinct value asked for: the first one seen."""

    def __missing__(self, value: Any) -> Any:
        self[value] = value
        return value


def _batches(session: Session, query: _AnySelect) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The rows of a query as the driver gives them, skipping SQLAlchemy's Row objects (seconds for a million),
    ``_FETCH`` at a time.

    Only for columns that need no conversion by SQLAlchemy: numbers, text, and JSON cast to text.
    """
    result = session.connection().execute(query)
    try:
        while rows := result.cursor.fetchmany(_FETCH):
            yield rows
    finally:
        result.close()


def _raw(session: Session, query: _AnySelect) -> Iterator[tuple[Any, ...]]:
    """The rows of a query as the driver gives them, one at a time (see ``_batches``)."""
    for rows in _batches(session, query):
        yield from rows


def proposition_pk(session: Session, case_pk: int, key: str) -> int | None:
    """The primary key of a case's proposition, if the case has it."""
    return session.scalar(select(PropositionRow.pk).where(PropositionRow.case_pk == case_pk, PropositionRow.key == key))
