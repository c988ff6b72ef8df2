"""Listings of a case's excerpts and claims, filtered, sorted and paged in SQL, never a restricted field.

A page is chosen among the listed rows alone (their primary keys, through an index where one serves the
filters), and only its rows are joined to what a listing shows beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from corroborate.domain import DateInterval

from .filters import Page, WitnessFilter, interviewed_in, keyset_page, order_of
from .repository import resolve_case
from .schema import ClaimRow, DocumentRow, ExcerptRow, InterviewRow, PropositionRow, WitnessRow

__all__ = [
    "CLAIM_SORTS",
    "EXCERPT_SORTS",
    "Anchored",
    "ClaimListing",
    "ExcerptListing",
    "anchored_excerpts",
    "list_claims",
    "list_excerpts",
    "named_places",
]

EXCERPT_SORTS: dict[str, Any] = {"case": ExcerptRow.position, "id": ExcerptRow.ref}
CLAIM_SORTS: dict[str, Any] = {"case": ClaimRow.position, "id": ClaimRow.ref}


_NOTHING = -1  # a primary key no row has: a filter naming a record the case does not hold keeps nothing


def _told_by(
    session: Session, query: Select[Any], case_pk: int, who: WitnessFilter, interviewed: DateInterval | None
) -> Select[Any]:
    """``query`` (over excerpts) kept to those told in an interview of such a witness, on such a date.

    A witness named by pseudonym is looked up first, so that the database starts from their interviews
    (through the index on the interview's witness) instead of walking the case's rows in order.
    """
    if who or interviewed is not None:
        query = query.join(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
    if who.pseudonym is not None:
        witness_pk = session.scalar(select(WitnessRow.pk).where(WitnessRow.case_pk == case_pk,
                                                                WitnessRow.ref == who.pseudonym))  # fmt: skip
        query = query.where(InterviewRow.witness_pk == (_NOTHING if witness_pk is None else witness_pk))
        who = replace(who, pseudonym=None)
    if who:
        query = query.join(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk).where(*who.clauses())
    if interviewed is not None:
        query = query.where(*interviewed_in(interviewed))
    return query


def _source_clause(session: Session, case_pk: int, source: str) -> ColumnElement[bool]:
    """Excerpts of one interview or document, found by its id first (the index on the excerpt's source then
    serves the listing)."""
    found = session.scalar(select(InterviewRow.pk).where(InterviewRow.case_pk == case_pk, InterviewRow.ref == source))
    if found is not None:
        return ExcerptRow.interview_pk == found
    found = session.scalar(select(DocumentRow.pk).where(DocumentRow.case_pk == case_pk, DocumentRow.ref == source))
    return ExcerptRow.document_pk == (_NOTHING if found is None else found)


def _proposition_pk(session: Session, case_pk: int, key: str) -> int | None:
    return session.scalar(select(PropositionRow.pk).where(PropositionRow.case_pk == case_pk, PropositionRow.key == key))


@dataclass(frozen=True)
class ExcerptListing:
    """One excerpt with its source (interview or document) and its witness's pseudonym."""

    id: str
    source: str
    witness: str | None
    mode: str
    quote: bool
    pages: str | None
    text: str
    claims: int


def list_excerpts(
    session: Session,
    ref: str | None = None,
    *,
    source: str | None = None,
    who: WitnessFilter = WitnessFilter(),  # noqa: B008 - frozen, so one shared default is safe
    interviewed: DateInterval | None = None,
    proposition: str | None = None,
    mode: str | None = None,
    sort: str = "case",
    page: Page = Page(),  # noqa: B008
) -> list[ExcerptListing]:
    """Excerpts of a case; ``source`` is an interview's or a document's id, ``proposition`` keeps the excerpts
    that a claim on it codes; a witness filter or a date range keeps excerpts of interviews only."""
    row = resolve_case(session, ref)
    # A filter that names a record (a source, a proposition, a witness) is what the database starts from; the
    # case's own condition is then left out, since it would lead the database to walk every excerpt of the
    # case in order (a proposition's first page took 45 s on a case of a million excerpts).
    narrowed: list[ColumnElement[bool]] = []
    if source is not None:
        narrowed.append(_source_clause(session, row.pk, source))
    if proposition is not None:
        proposition_pk = _proposition_pk(session, row.pk, proposition)
        if proposition_pk is None:
            return []
        narrowed.append(ExcerptRow.pk.in_(select(ClaimRow.excerpt_pk).where(ClaimRow.proposition_pk == proposition_pk)))
    if not narrowed and who.pseudonym is None:  # else the record named keeps the listing in the case
        narrowed.append(ExcerptRow.case_pk == row.pk)
    chosen = _told_by(session, select(ExcerptRow.pk).where(*narrowed), row.pk, who, interviewed)
    if mode is not None:
        chosen = chosen.where(ExcerptRow.mode == mode)
    chosen = keyset_page(session, chosen, ExcerptRow, row.pk, EXCERPT_SORTS[sort], page, kind="excerpt",
                         case_ref=row.ref)  # fmt: skip
    claims = select(func.count()).where(ClaimRow.excerpt_pk == ExcerptRow.pk).scalar_subquery()
    query = (
        select(ExcerptRow, InterviewRow.ref, DocumentRow.ref, WitnessRow.ref, claims)
        .outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        .outerjoin(DocumentRow, ExcerptRow.document_pk == DocumentRow.pk)
        .outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
        .where(ExcerptRow.pk.in_(chosen.scalar_subquery()))
        .order_by(*order_of(EXCERPT_SORTS[sort], ExcerptRow))
    )
    found = session.execute(query).all()
    return [
        ExcerptListing(e.ref, interview or document or "", witness, e.mode, e.quote, e.pages, e.text, count)
        for e, interview, document, witness, count in found
    ]


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
    excerpt: str | None = None,
    who: WitnessFilter = WitnessFilter(),  # noqa: B008 - frozen, so one shared default is safe
    interviewed: DateInterval | None = None,
    sort: str = "case",
    page: Page = Page(),  # noqa: B008
) -> list[ClaimListing]:
    """Claims of a case with their excerpt, source and (pseudonymous) witness; filters, sort and page in SQL.

    ``mode`` is the claim's own mode where it has one, else its excerpt's; ``excerpt`` keeps the claims coding
    one excerpt; a witness filter or a date range keeps claims on excerpts of interviews only.
    """
    row = resolve_case(session, ref)
    # As for excerpts: a named proposition, excerpt or witness is where the database starts, without the
    # case's condition (a witness's claims took 1.9 s through it on a case of a million claims).
    chosen = select(ClaimRow.pk)
    narrowed = False
    if proposition is not None:
        proposition_pk = _proposition_pk(session, row.pk, proposition)
        if proposition_pk is None:
            return []
        chosen, narrowed = chosen.where(ClaimRow.proposition_pk == proposition_pk), True
    if excerpt is not None:
        excerpt_pk = session.scalar(
            select(ExcerptRow.pk).where(ExcerptRow.case_pk == row.pk, ExcerptRow.ref == excerpt)
        )
        if excerpt_pk is None:
            return []
        chosen, narrowed = chosen.where(ClaimRow.excerpt_pk == excerpt_pk), True
    if not narrowed and who.pseudonym is None:  # else the record named keeps the listing in the case
        chosen = chosen.where(ClaimRow.case_pk == row.pk)
    if stance is not None:
        chosen = chosen.where(ClaimRow.stance == stance)
    if mode is not None or who or interviewed is not None:
        chosen = chosen.join(ExcerptRow, ClaimRow.excerpt_pk == ExcerptRow.pk)
        chosen = _told_by(session, chosen, row.pk, who, interviewed)
    if mode is not None:
        chosen = chosen.where(func.coalesce(ClaimRow.mode, ExcerptRow.mode) == mode)
    chosen = keyset_page(session, chosen, ClaimRow, row.pk, CLAIM_SORTS[sort], page, kind="claim", case_ref=row.ref)
    query = (
        select(ClaimRow, PropositionRow.key, ExcerptRow, InterviewRow.ref, DocumentRow.ref, WitnessRow.ref)
        .join(PropositionRow, ClaimRow.proposition_pk == PropositionRow.pk)
        .join(ExcerptRow, ClaimRow.excerpt_pk == ExcerptRow.pk)
        .outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        .outerjoin(DocumentRow, ExcerptRow.document_pk == DocumentRow.pk)
        .outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
        .where(ClaimRow.pk.in_(chosen.scalar_subquery()))
        .order_by(*order_of(CLAIM_SORTS[sort], ClaimRow))
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


@dataclass(frozen=True)
class Anchored:
    """An excerpt selected in an evidence file: where it lies there (page from 1, or None; characters)."""

    id: str
    page: int | None
    start: int
    end: int
    text: str


def anchored_excerpts(session: Session, case: Any, source: str, attachment: str) -> list[Anchored]:
    """The excerpts of ``source`` (an interview or document id) anchored in its attachment ``attachment``."""
    found = []
    for table, column in ((InterviewRow, ExcerptRow.interview_pk), (DocumentRow, ExcerptRow.document_pk)):
        query = (
            select(ExcerptRow.ref, ExcerptRow.anchor, ExcerptRow.text)
            .join(table, table.pk == column)
            .where(table.case_pk == case.pk, table.ref == source, ExcerptRow.anchor.is_not(None))
        )
        for ref, anchor, text in session.execute(query):
            if anchor and anchor.get("attachment") == attachment:
                found.append(Anchored(ref, anchor.get("page"), int(anchor["start"]), int(anchor["end"]), text))
    return sorted(found, key=lambda a: (a.page or 0, a.start, a.end, a.id))


def named_places(session: Session, case: Any) -> dict[str, tuple[set[str], int]]:
    """The places claims name (values of attributes of type ``place``: where a thing happened, or where the
    source heard of it), as written: each with the witnesses whose claims name it and how many claims do."""
    places: dict[int, list[str]] = {}
    for pk, specs in session.execute(
        select(PropositionRow.pk, PropositionRow.attributes).where(PropositionRow.case_pk == case.pk)
    ):
        names = [name for name, spec in (specs or {}).items() if isinstance(spec, dict) and spec.get("type") == "place"]
        if names:
            places[pk] = names
    found: dict[str, tuple[set[str], int]] = {}
    if not places:
        return found
    query = (
        select(ClaimRow.proposition_pk, ClaimRow.attributes, WitnessRow.ref)
        .join(ExcerptRow, ClaimRow.excerpt_pk == ExcerptRow.pk)
        .outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        .outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
        .where(ClaimRow.case_pk == case.pk, ClaimRow.proposition_pk.in_(list(places)))
    )
    for proposition_pk, attributes, witness in session.execute(query):
        for name in places[proposition_pk]:
            value = (attributes or {}).get(name)
            if isinstance(value, str) and value.strip():
                witnesses, claims = found.get(value, (set(), 0))
                if witness is not None:
                    witnesses.add(witness)
                found[value] = (witnesses, claims + 1)
    return found
