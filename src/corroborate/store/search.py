"""Full-text search over a case's public text: excerpts, documents, propositions, witnesses' descriptors.

Restricted identities are never searched: they are not in any index (they are
sealed in their own table). SQLite searches its FTS5 trigram tables (migration
0005), PostgreSQL its pg_trgm-indexed columns; both match substrings, so a
romanised name or a Hangul word is found inside longer words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import column, false, or_, select, table
from sqlalchemy.orm import Session

from .schema import DocumentRow, ExcerptRow, InterviewRow, PropositionRow, WitnessRow

__all__ = ["KINDS", "SearchTerm", "TextMatch", "is_search_object", "search_text"]

KINDS = ("excerpt", "document", "proposition", "witness")
# The search index's own tables (SQLite's FTS5 tables and their shadow tables) and indexes (PostgreSQL's
# trigram indexes): made by migration 0005, not models, so schema comparisons leave them out.
_SEARCH_OBJECT = re.compile(rf"(?:{'|'.join(KINDS)})_search(?:_\w+)?|ix_\w+_trgm")


def is_search_object(name: str | None) -> bool:
    """Whether a table or index belongs to the search index rather than to the models."""
    return name is not None and _SEARCH_OBJECT.fullmatch(name) is not None


@dataclass(frozen=True)
class SearchTerm:
    """One word of a query: its spellings (any may match) and, for a place, its gazetteer name.

    An excerpt matches a place term when its text names the place or its witness comes from there.
    """

    variants: tuple[str, ...]
    place: str | None = None


@dataclass(frozen=True)
class TextMatch:
    """A row whose public text matches every term of a query."""

    kind: str
    ref: str
    text: str
    origin: str | None = None  # for an excerpt of an interview: the witness's place of origin


def _like(expression: Any, variant: str, *, postgres: bool) -> Any:
    special = any(c in variant for c in "%_\\")
    pattern = variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") if special else variant
    pattern = f"%{pattern}%"
    if postgres:
        return expression.ilike(pattern, escape="\\") if special else expression.ilike(pattern)
    # SQLite: LIKE on an FTS5 trigram column uses the index (without ESCAPE, for three characters or more).
    return expression.like(pattern, escape="\\") if special else expression.like(pattern)


_ROWS: dict[str, Any] = {
    "excerpt": ExcerptRow, "document": DocumentRow, "proposition": PropositionRow, "witness": WitnessRow,
}  # fmt: skip
# The rows' own columns that are searched: on PostgreSQL always (pg_trgm indexes the first of each; see
# migration 0005), on SQLite for words under three characters.
_PG_COLUMNS: dict[str, list[Any]] = {
    "excerpt": [ExcerptRow.text],
    "document": [DocumentRow.title, DocumentRow.outlet, DocumentRow.publisher, DocumentRow.symbol],
    "proposition": [PropositionRow.key, PropositionRow.statement],
    "witness": [WitnessRow.origin, WitnessRow.origin_as_written, WitnessRow.role],
}


def _fts(kind: str) -> Any:
    return table(f"{kind}_search", column("rowid"), column("body"))


def search_text(
    session: Session, case_pk: int, terms: Sequence[SearchTerm], kinds: Sequence[str] = KINDS
) -> list[TextMatch]:
    """Every row of the given kinds whose public text matches all ``terms``, in the case's order."""
    postgres = session.get_bind().dialect.name == "postgresql"
    found: list[TextMatch] = []
    for kind in kinds:
        found += _search_kind(session, case_pk, kind, terms, postgres=postgres)
    return found


def _search_kind(
    session: Session, case_pk: int, kind: str, terms: Sequence[SearchTerm], *, postgres: bool
) -> list[TextMatch]:
    row_table: Any = _ROWS[kind]
    searched: list[Any]
    if postgres:
        searched = _PG_COLUMNS[kind]
        query = select(row_table).where(row_table.case_pk == case_pk)
    else:
        fts = _fts(kind)
        searched = [fts.c.body]
        query = select(row_table).join(fts, fts.c.rowid == row_table.pk).where(row_table.case_pk == case_pk)
    if kind == "excerpt":
        query = query.add_columns(WitnessRow.origin)
        query = query.outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        query = query.outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
    for term in terms:
        conditions = [
            _like(expression, v, postgres=postgres)
            for v in term.variants
            # SQLite 3.40's FTS5 trigram crashes on a LIKE shorter than three characters beside others:
            # those are matched on the row's own columns (a scan, as the index could not help them anyway).
            for expression in (searched if postgres or len(v) >= 3 else _PG_COLUMNS[kind])
        ]
        if kind == "excerpt" and term.place is not None:
            conditions.append(WitnessRow.origin == term.place)
        query = query.where(or_(*conditions) if conditions else false())
    query = query.order_by(row_table.position)
    matches = []
    for found in session.execute(query):
        row: Any = found[0]
        origin = found[1] if kind == "excerpt" else None
        matches.append(TextMatch(kind, _ref(kind, row), _text(kind, row), origin))
    return matches


def _ref(kind: str, row: Any) -> str:
    return str(row.key if kind == "proposition" else row.ref)


def _text(kind: str, row: Any) -> str:
    """The public text a hit shows: what was searched, as a reader would read it."""
    if kind == "excerpt":
        return str(row.text)
    if kind == "document":
        return " — ".join(str(p) for p in (row.title, row.outlet or row.publisher, row.symbol) if p)
    if kind == "proposition":
        return f"{row.key}: {row.statement}"
    origin = row.origin_as_written or row.origin
    return ", ".join(str(p) for p in (row.gender, origin, row.role) if p)
