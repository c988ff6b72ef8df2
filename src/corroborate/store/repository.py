"""Reading and writing whole cases, and the queries listings need.

Works inside a session the caller owns, so that an import is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborate.domain import (
    Case,
    CaseInfo,
    Proposition,
    Recommendation,
    RestrictedIdentity,
)
from corroborate.errors import CaseAmbiguous, CaseNotFound, RecordNotFound

from .keys import CaseKeys
from .rowvalues import (
    claim_from_row,
    document_from_row,
    excerpt_from_row,
    interview_from_row,
    proposition_from_row,
    recommendation_from_row,
    witness_from_row,
)
from .schema import (
    CaseRow,
    ClaimRow,
    DocumentRow,
    ExcerptRow,
    InterviewRow,
    PropositionRow,
    RecommendationRow,
    WitnessIdentityRow,
    WitnessRow,
)

__all__ = [
    "case_refs",
    "case_rows",
    "find_case",
    "load_case",
    "load_proposition",
    "load_recommendations",
    "list_propositions",
    "proposition_keys",
    "resolve_case",
]


def case_refs(session: Session) -> list[str]:
    """Ids of the cases in the store, in the order they were created."""
    return list(session.scalars(select(CaseRow.ref).order_by(CaseRow.pk)))


def find_case(session: Session, ref: str) -> CaseRow | None:
    """The case with id ``ref``, if the store has it."""
    return session.scalar(select(CaseRow).where(CaseRow.ref == ref))


def case_rows(session: Session) -> list[CaseRow]:
    """Every case of the store, in the order they were created."""
    return list(session.scalars(select(CaseRow).order_by(CaseRow.pk)))


def resolve_case(session: Session, ref: str | None) -> CaseRow:
    """The case with id ``ref``, or the only case when ``ref`` is None."""
    if ref is not None:
        row = session.scalar(select(CaseRow).where(CaseRow.ref == ref))
        if row is None:
            raise CaseNotFound(ref, case_refs(session))
        return row
    rows = list(session.scalars(select(CaseRow).order_by(CaseRow.pk)))
    if not rows:
        raise CaseNotFound("(any)", [])
    if len(rows) > 1:
        raise CaseAmbiguous([r.ref for r in rows])
    return rows[0]


def _ordered(session: Session, table: Any, case_pk: int) -> list[Any]:
    return list(session.scalars(select(table).where(table.case_pk == case_pk).order_by(table.position)))


def load_recommendations(session: Session, case_pk: int) -> list[Recommendation]:
    """A case's recommendations with their follow-up, in the case's order, without loading the rest."""
    rows = session.scalars(
        select(RecommendationRow).where(RecommendationRow.case_pk == case_pk).order_by(RecommendationRow.position)
    )
    return [recommendation_from_row(r) for r in rows]


def load_case(session: Session, ref: str | None = None, *, keys: CaseKeys | None = None) -> Case:
    """The whole case; restricted identities are opened with ``keys`` and left out without them."""
    row = resolve_case(session, ref)
    c = row.pk
    witnesses = _ordered(session, WitnessRow, c)
    identities: dict[int, RestrictedIdentity] = {}
    if keys is not None:
        query = select(WitnessIdentityRow, WitnessRow.ref).join(WitnessRow).where(WitnessRow.case_pk == c)
        for identity, ref_of_witness in session.execute(query):
            identities[identity.witness_pk] = keys.open_identity(
                ref_of_witness, identity.key_version, identity.sealed, revision=identity.revision
            )
    return _build_case(
        row,
        witnesses,
        _ordered(session, InterviewRow, c),
        _ordered(session, DocumentRow, c),
        _ordered(session, ExcerptRow, c),
        _ordered(session, PropositionRow, c),
        _ordered(session, ClaimRow, c),
        identities=identities,
        recommendations=load_recommendations(session, c),
    )


def load_proposition(session: Session, ref: str | None, key: str) -> Case:
    """Only what one proposition's assessment needs: the proposition, its claims, their excerpts and sources.

    The rows are chosen in SQL (subqueries, so a proposition with many claims
    needs no long parameter list); nothing else of the case is read, and no
    restricted identity. KeyError when the case has no such proposition.
    """
    row = resolve_case(session, ref)
    proposition = session.scalar(
        select(PropositionRow).where(PropositionRow.case_pk == row.pk, PropositionRow.key == key)
    )
    if proposition is None:
        raise KeyError(key)
    claims = select(ClaimRow.excerpt_pk).where(ClaimRow.proposition_pk == proposition.pk)
    excerpts = select(ExcerptRow).where(ExcerptRow.pk.in_(claims)).order_by(ExcerptRow.position)
    interviews = select(ExcerptRow.interview_pk).where(ExcerptRow.pk.in_(claims))
    documents = select(ExcerptRow.document_pk).where(ExcerptRow.pk.in_(claims))
    witnesses = select(InterviewRow.witness_pk).where(InterviewRow.pk.in_(interviews))
    return _build_case(
        row,
        session.scalars(select(WitnessRow).where(WitnessRow.pk.in_(witnesses)).order_by(WitnessRow.position)).all(),
        session.scalars(
            select(InterviewRow).where(InterviewRow.pk.in_(interviews)).order_by(InterviewRow.position)
        ).all(),
        session.scalars(select(DocumentRow).where(DocumentRow.pk.in_(documents)).order_by(DocumentRow.position)).all(),
        session.scalars(excerpts).all(),
        [proposition],
        session.scalars(
            select(ClaimRow).where(ClaimRow.proposition_pk == proposition.pk).order_by(ClaimRow.position)
        ).all(),
    )


def proposition_keys(session: Session, ref: str | None = None) -> list[str]:
    """The keys of a case's propositions, in the case's order."""
    row = resolve_case(session, ref)
    return list(
        session.scalars(
            select(PropositionRow.key).where(PropositionRow.case_pk == row.pk).order_by(PropositionRow.position)
        )
    )


def list_propositions(
    session: Session, case: CaseRow, *, limit: int | None = None, after: str | None = None
) -> list[Proposition]:
    """A case's propositions in the case's order, paged by the key of the last one seen."""
    case_pk = case.pk
    query = select(PropositionRow).where(PropositionRow.case_pk == case_pk).order_by(PropositionRow.position)
    if after is not None:
        last = session.scalar(
            select(PropositionRow.position).where(PropositionRow.case_pk == case_pk, PropositionRow.key == after)
        )
        if last is None:
            raise RecordNotFound("proposition", after, case.ref)
        query = query.where(PropositionRow.position > last)
    if limit is not None:
        query = query.limit(limit)
    return [proposition_from_row(p) for p in session.scalars(query)]


def _build_case(
    row: CaseRow,
    witnesses: Sequence[WitnessRow],
    interviews: Sequence[InterviewRow],
    documents: Sequence[DocumentRow],
    excerpts: Sequence[ExcerptRow],
    propositions: Sequence[PropositionRow],
    claims: Sequence[ClaimRow],
    *,
    identities: Mapping[int, RestrictedIdentity] | None = None,
    recommendations: list[Recommendation] | None = None,
) -> Case:
    identities = identities or {}
    witness_ref = {w.pk: w.ref for w in witnesses}
    interview_ref = {v.pk: v.ref for v in interviews}
    document_ref = {d.pk: d.ref for d in documents}
    excerpt_ref = {e.pk: e.ref for e in excerpts}
    proposition_key = {p.pk: p.key for p in propositions}
    info = CaseInfo(id=row.ref, title=row.title, organisation=row.organisation, description=row.description,
                    language=row.language)  # fmt: skip
    return Case(
        case=info,
        witnesses=[witness_from_row(w, identities.get(w.pk)) for w in witnesses],
        interviews=[interview_from_row(v, witness_ref[v.witness_pk]) for v in interviews],
        documents=[document_from_row(d) for d in documents],
        excerpts=[
            excerpt_from_row(
                e, interview_ref[e.interview_pk] if e.interview_pk else document_ref[cast(int, e.document_pk)]
            )
            for e in excerpts
        ],
        propositions=[proposition_from_row(p) for p in propositions],
        claims=[claim_from_row(cl, excerpt_ref[cl.excerpt_pk], proposition_key[cl.proposition_pk]) for cl in claims],
        recommendations=recommendations or [],
    )
