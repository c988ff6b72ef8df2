"""Listings of a case: counts, witnesses and claims, filtered and paged in SQL, never a restricted field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corroborate.domain import AgeBand, Witness

from .repository import resolve_case
from .rowvalues import witness_from_row
from .schema import ClaimRow, DocumentRow, ExcerptRow, InterviewRow, PropositionRow, RecommendationRow, WitnessRow

__all__ = ["CaseCounts", "ClaimListing", "Page", "case_counts", "list_claims", "list_witnesses"]


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


@dataclass(frozen=True)
class Page:
    """Which slice of a listing to return, in the case's order: ``limit`` rows (None: all) after ``offset``."""

    limit: int | None = None
    offset: int = 0


def list_witnesses(
    session: Session,
    ref: str | None = None,
    *,
    gender: str | None = None,
    origin: str | None = None,
    nationality: str | None = None,
    age: AgeBand | None = None,
    page: Page = Page(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[tuple[Witness, int, list[str]]]:
    """Each witness's public side (no restricted identity), its interview count and interview dates.

    Filters and the page are applied in SQL. ``origin`` is the gazetteer's name; ``age`` keeps witnesses
    whose age (or age band) may lie in the band.
    """
    row = resolve_case(session, ref)
    query = select(WitnessRow).where(WitnessRow.case_pk == row.pk)
    if gender is not None:
        query = query.where(WitnessRow.gender == gender)
    if origin is not None:
        query = query.where(WitnessRow.origin == origin)
    if nationality is not None:
        query = query.where(WitnessRow.nationality == nationality)
    if age is not None:
        low, high = WitnessRow.age_low, WitnessRow.age_high
        exact = WitnessRow.age.is_not(None) & (WitnessRow.age >= age.low)
        band = WitnessRow.age.is_(None) & low.is_not(None) & (high.is_(None) | (high >= age.low))
        if age.high is not None:
            exact &= WitnessRow.age <= age.high
            band &= low <= age.high
        query = query.where(exact | band)
    query = query.order_by(WitnessRow.position).offset(page.offset).limit(page.limit)
    witnesses = session.scalars(query).all()
    dates: dict[int, list[str]] = {}
    for witness_pk, date in session.execute(
        select(InterviewRow.witness_pk, InterviewRow.date)
        .where(InterviewRow.witness_pk.in_([w.pk for w in witnesses]))
        .order_by(InterviewRow.position)
    ):
        dates.setdefault(witness_pk, []).append(date)
    out = []
    for w in witnesses:
        out.append((witness_from_row(w), len(dates.get(w.pk, [])), dates.get(w.pk, [])))
    return out


@dataclass(frozen=True)
class ClaimListing:
    """One claim with what a listing shows beside it."""

    id: str
    proposition: str
    stance: str
    excerpt: str
    source: str
    witness: str | None
    mode: str
    attributes: dict[str, Any]


def list_claims(
    session: Session,
    ref: str | None = None,
    *,
    proposition: str | None = None,
    stance: str | None = None,
    mode: str | None = None,
    page: Page = Page(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[ClaimListing]:
    """Claims of a case with their excerpt, source and (pseudonymous) witness; filters and page in SQL.

    ``mode`` is the claim's own mode where it has one, else its excerpt's. The page is chosen
    among the claims alone (their primary keys, through an index where one serves the filters),
    and only its rows are joined to what a listing shows beside them.
    """
    row = resolve_case(session, ref)
    chosen = select(ClaimRow.pk)
    if proposition is not None:
        # The proposition's own claims are all the case's: its key is looked up first, so that
        # the claims are found through their proposition, not by reading the whole case's.
        proposition_pk = session.scalar(
            select(PropositionRow.pk).where(PropositionRow.case_pk == row.pk, PropositionRow.key == proposition)
        )
        if proposition_pk is None:
            return []
        chosen = chosen.where(ClaimRow.proposition_pk == proposition_pk)
    else:
        chosen = chosen.where(ClaimRow.case_pk == row.pk)
    if stance is not None:
        chosen = chosen.where(ClaimRow.stance == stance)
    if mode is not None:
        chosen = chosen.join(ExcerptRow, ClaimRow.excerpt_pk == ExcerptRow.pk)
        chosen = chosen.where(func.coalesce(ClaimRow.mode, ExcerptRow.mode) == mode)
    chosen = chosen.order_by(ClaimRow.position).offset(page.offset).limit(page.limit)
    query = (
        select(ClaimRow, PropositionRow.key, ExcerptRow, InterviewRow.ref, DocumentRow.ref, WitnessRow.ref)
        .join(PropositionRow, ClaimRow.proposition_pk == PropositionRow.pk)
        .join(ExcerptRow, ClaimRow.excerpt_pk == ExcerptRow.pk)
        .outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        .outerjoin(DocumentRow, ExcerptRow.document_pk == DocumentRow.pk)
        .outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
        .where(ClaimRow.pk.in_(chosen.scalar_subquery()))
        .order_by(ClaimRow.position)
    )
    return [
        ClaimListing(
            id=claim.ref,
            proposition=key,
            stance=claim.stance,
            excerpt=excerpt.ref,
            source=interview_ref or document_ref or "",
            witness=witness_ref,
            mode=claim.mode or excerpt.mode,
            attributes=claim.attributes,
        )
        for claim, key, excerpt, interview_ref, document_ref, witness_ref in session.execute(query)
    ]
