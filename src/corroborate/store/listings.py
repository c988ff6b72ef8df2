"""Listings of a case: counts, witnesses and interviews, filtered, sorted and paged in SQL, never a restricted field.

Excerpts and claims are listed in ``claimlistings``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from corroborate.domain import DateInterval, Witness

from .filters import Page, WitnessFilter, interviewed_in, keyset_page
from .repository import resolve_case
from .rowvalues import witness_from_row
from .schema import ClaimRow, DocumentRow, ExcerptRow, InterviewRow, PropositionRow, RecommendationRow, WitnessRow

__all__ = [
    "INTERVIEW_SORTS",
    "WITNESS_SORTS",
    "CaseCounts",
    "DocumentListing",
    "InterviewListing",
    "case_counts",
    "list_documents",
    "origin_counts",
    "list_interviews",
    "list_witnesses",
]


@dataclass(frozen=True)
class CaseCounts:
    """How much a case holds."""

    case: str
    title: str
    witnesses: int
    nationalities: dict[str, int]
    origins: list[str]
    interviews: int
    documents: int
    excerpts: int
    propositions: int
    claims: int
    recommendations: int


def _count(session: Session, table: Any, case_pk: int) -> int:
    return session.scalar(select(func.count()).select_from(table).where(table.case_pk == case_pk)) or 0


def case_counts(session: Session, ref: str | None = None) -> CaseCounts:
    """Counts of everything in a case, computed in the database."""
    row = resolve_case(session, ref)
    c = row.pk
    nationalities = dict(
        session.execute(
            select(WitnessRow.nationality, func.count()).where(WitnessRow.case_pk == c).group_by(WitnessRow.nationality)
        ).all()
    )
    origins = list(
        session.scalars(
            select(WitnessRow.origin)
            .where(WitnessRow.case_pk == c, WitnessRow.origin.is_not(None))
            .distinct()
            .order_by(WitnessRow.origin)
        )
    )
    return CaseCounts(
        case=row.ref,
        title=row.title,
        witnesses=_count(session, WitnessRow, c),
        nationalities=dict(sorted(nationalities.items(), key=lambda kv: (-kv[1], kv[0]))),
        origins=[o for o in origins if o is not None],
        interviews=_count(session, InterviewRow, c),
        documents=_count(session, DocumentRow, c),
        excerpts=_count(session, ExcerptRow, c),
        propositions=_count(session, PropositionRow, c),
        claims=_count(session, ClaimRow, c),
        recommendations=_count(session, RecommendationRow, c),
    )


# How each listing may be sorted (always then by the case's order); a sort column is never NULL, so that a
# page can start after the last record seen.
WITNESS_SORTS: dict[str, Any] = {
    "case": WitnessRow.position,
    "id": WitnessRow.ref,
    "origin": func.coalesce(WitnessRow.origin, ""),
    "age": func.coalesce(WitnessRow.age, WitnessRow.age_low, 999),
}
INTERVIEW_SORTS: dict[str, Any] = {
    "case": InterviewRow.position,
    "id": InterviewRow.ref,
    "date": func.coalesce(InterviewRow.date_start, ""),
}
DOCUMENT_SORTS: dict[str, Any] = {"case": DocumentRow.position}


def list_witnesses(
    session: Session,
    ref: str | None = None,
    *,
    who: WitnessFilter = WitnessFilter(),  # noqa: B008 - frozen, so one shared default is safe
    interviewed: DateInterval | None = None,
    sort: str = "case",
    page: Page = Page(),  # noqa: B008
) -> list[tuple[Witness, int, list[str]]]:
    """Each witness's public side (no restricted identity), its interview count and interview dates.

    Filters, sort and page are applied in SQL; ``interviewed`` keeps witnesses with an interview whose
    date may lie in that span.
    """
    row = resolve_case(session, ref)
    query = select(WitnessRow).where(WitnessRow.case_pk == row.pk, *who.clauses())
    if interviewed is not None:
        query = query.where(exists().where(InterviewRow.witness_pk == WitnessRow.pk, *interviewed_in(interviewed)))
    query = keyset_page(session, query, WitnessRow, row.pk, WITNESS_SORTS[sort], page, kind="witness",
                        case_ref=row.ref)  # fmt: skip
    witnesses = session.scalars(query).all()
    dates: dict[int, list[str]] = {}
    for witness_pk, date in session.execute(
        select(InterviewRow.witness_pk, InterviewRow.date)
        .where(InterviewRow.witness_pk.in_([w.pk for w in witnesses]))
        .order_by(InterviewRow.position)
    ):
        dates.setdefault(witness_pk, []).append(date)
    return [(witness_from_row(w), len(dates.get(w.pk, [])), dates.get(w.pk, [])) for w in witnesses]


@dataclass(frozen=True)
class InterviewListing:
    """One interview as a listing shows it: its witness by pseudonym, never who the witness is."""

    id: str
    witness: str
    date: str
    country: str
    town: str | None
    language: str | None
    consent: str
    excerpts: int


def list_interviews(
    session: Session,
    ref: str | None = None,
    *,
    who: WitnessFilter = WitnessFilter(),  # noqa: B008 - frozen, so one shared default is safe
    interviewed: DateInterval | None = None,
    sort: str = "case",
    page: Page = Page(),  # noqa: B008
) -> list[InterviewListing]:
    """Interviews with their witness's pseudonym and excerpt count; filters on the witness, the date, sort
    and page in SQL."""
    row = resolve_case(session, ref)
    query = (
        select(InterviewRow, WitnessRow.ref)
        .join(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
        .where(InterviewRow.case_pk == row.pk, *who.clauses())
    )
    if interviewed is not None:
        query = query.where(*interviewed_in(interviewed))
    query = keyset_page(session, query, InterviewRow, row.pk, INTERVIEW_SORTS[sort], page, kind="interview",
                        case_ref=row.ref)  # fmt: skip
    found = session.execute(query).all()
    counts = dict(
        session.execute(
            select(ExcerptRow.interview_pk, func.count())
            .where(ExcerptRow.interview_pk.in_([v.pk for v, _ in found]))
            .group_by(ExcerptRow.interview_pk)
        ).all()
    )
    return [
        InterviewListing(v.ref, w, v.date, v.country, v.town, v.language, v.consent, counts.get(v.pk, 0))
        for v, w in found
    ]


@dataclass(frozen=True)
class DocumentListing:
    """One document as a listing shows it, with how many excerpts quote it."""

    id: str
    kind: str
    title: str
    outlet: str | None
    publisher: str | None
    date: str | None
    symbol: str | None
    excerpts: int


def list_documents(
    session: Session,
    ref: str | None = None,
    *,
    page: Page = Page(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[DocumentListing]:
    """Documents in the case's order with their excerpt counts, paged (``page.after``: the last id seen)."""
    row = resolve_case(session, ref)
    query = select(DocumentRow).where(DocumentRow.case_pk == row.pk)
    query = keyset_page(session, query, DocumentRow, row.pk, DOCUMENT_SORTS["case"], page, kind="document",
                        case_ref=row.ref)  # fmt: skip
    found = list(session.scalars(query))
    counts = dict(
        session.execute(
            select(ExcerptRow.document_pk, func.count())
            .where(ExcerptRow.document_pk.in_([d.pk for d in found]))
            .group_by(ExcerptRow.document_pk)
        ).all()
    )
    return [
        DocumentListing(d.ref, d.kind, d.title, d.outlet, d.publisher, d.date, d.symbol, counts.get(d.pk, 0))
        for d in found
    ]


def origin_counts(session: Session, ref: str | None = None) -> dict[str | None, int]:
    """How many witnesses name each place of origin (None: no place given), counted in SQL."""
    row = resolve_case(session, ref)
    query = select(WitnessRow.origin, func.count()).where(WitnessRow.case_pk == row.pk).group_by(WitnessRow.origin)
    return {origin: int(n) for origin, n in session.execute(query)}
