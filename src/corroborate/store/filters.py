"""What a listing keeps and which slice it returns: filters on a witness's public descriptor and on interview
dates, sort orders, and pages by offset or by the last record seen (a keyset, which costs the same at any depth).

Every filter reads public columns only; a restricted identity is never a filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from corroborate.domain import AgeBand, DateInterval
from corroborate.errors import RecordNotFound

from .schema import InterviewRow, WitnessRow

Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])

__all__ = ["Page", "WitnessFilter", "interviewed_in", "keyset_page", "order_of"]


@dataclass(frozen=True)
class Page:
    """Which slice of a listing to return: ``limit`` rows (None: all), after ``offset`` rows or after the record
    whose id is ``after`` (the last one of the previous page) in the listing's order."""

    limit: int | None = None
    offset: int = 0
    after: str | None = None


@dataclass(frozen=True)
class WitnessFilter:
    """Witnesses by their public descriptor: ``origin`` is the gazetteer's name, ``nationality`` a code, and
    ``age`` keeps those whose age (or age band) may lie in the band; or one witness by ``pseudonym``."""

    gender: str | None = None
    origin: str | None = None
    nationality: str | None = None
    age: AgeBand | None = None
    pseudonym: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.gender, self.origin, self.nationality, self.age, self.pseudonym))

    def clauses(self) -> list[ColumnElement[bool]]:
        """Conditions on ``WitnessRow`` (empty when nothing is filtered)."""
        out: list[ColumnElement[bool]] = []
        if self.pseudonym is not None:
            out.append(WitnessRow.ref == self.pseudonym)
        if self.gender is not None:
            out.append(WitnessRow.gender == self.gender)
        if self.origin is not None:
            out.append(WitnessRow.origin == self.origin)
        if self.nationality is not None:
            out.append(WitnessRow.nationality == self.nationality)
        if self.age is not None:
            age, low, high = WitnessRow.age, WitnessRow.age_low, WitnessRow.age_high
            exact = age.is_not(None) & (age >= self.age.low)
            band = age.is_(None) & low.is_not(None) & (high.is_(None) | (high >= self.age.low))
            if self.age.high is not None:
                exact &= age <= self.age.high
                band &= low <= self.age.high
            out.append(exact | band)
        return out


def interviewed_in(span: DateInterval) -> list[ColumnElement[bool]]:
    """Conditions on ``InterviewRow``: its date may lie in ``span`` (they share a day; an open end always may)."""
    out: list[ColumnElement[bool]] = []
    if span.end is not None:
        out.append(or_(InterviewRow.date_start.is_(None), InterviewRow.date_start <= span.end.isoformat()))
    if span.start is not None:
        out.append(or_(InterviewRow.date_end.is_(None), InterviewRow.date_end >= span.start.isoformat()))
    return out


def keyset_page(
    session: Session,
    query: Q,
    table: Any,
    case_pk: int,
    sort: ColumnElement[Any],
    page: Page,
    *,
    kind: str,
    case_ref: str,
) -> Q:
    """``query`` ordered by ``sort`` then the case's order, cut to ``page``.

    ``sort`` must never be NULL (coalesce it); ``table`` is the listed rows' table. With ``page.after`` the
    page starts after that record, found by id in the case (a record of another kind or case is refused).
    """
    order = order_of(sort, table)
    if page.after is not None:
        last = session.execute(
            select(sort, table.position).where(table.case_pk == case_pk, table.ref == page.after)
        ).first()
        if last is None:
            raise RecordNotFound(kind, page.after, case_ref)
        value, position = last
        query = query.where(or_(sort > value, and_(sort == value, table.position > position)))
    return query.order_by(*order).offset(page.offset).limit(page.limit)


def order_of(sort: ColumnElement[Any], table: Any) -> tuple[Any, ...]:
    """ORDER BY ``sort`` then the case's order; the case's order alone once (naming it twice makes SQLite sort
    in a temporary tree instead of reading the index in order: a deep page of claims 116 ms against 15 ms)."""
    return (table.position,) if sort is table.position else (sort, table.position)
