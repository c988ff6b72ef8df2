"""Full-text search over a case's public text: excerpts, documents, propositions, witnesses' descriptors.

Restricted identities are never searched: they are not in any index (they are
sealed in their own table). SQLite searches its FTS5 trigram tables (migration
0005), PostgreSQL its pg_trgm-indexed columns; both match substrings, so a
romanised name or a Hangul word is found inside longer words.
"""

from __future__ import annotations

import heapq
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
    position: int = 0  # its place in the case's order


def _like(expression: Any, variant: str, *, postgres: bool) -> Any:
    special = any(c in variant for c in "%_\\")
    pattern = variant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") if special else variant
    pattern = f"%{pattern}%"
    if postgres:
        return expression.ilike(pattern, escape="\\") if special else expression.ilike(pattern)
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
# What a hit shows of each kind: its id, then the columns of its text (see _text).
_SHOWN: dict[str, list[Any]] = {
    "excerpt": [ExcerptRow.ref, ExcerptRow.text],
    "document": [DocumentRow.ref, DocumentRow.title, DocumentRow.outlet, DocumentRow.publisher, DocumentRow.symbol],
    "proposition": [PropositionRow.key, PropositionRow.statement],
    "witness": [WitnessRow.ref, WitnessRow.gender, WitnessRow.origin, WitnessRow.origin_as_written, WitnessRow.role],
}


def _fts(kind: str) -> Any:
    return table(f"{kind}_search", column("rowid"), column("body"))


def _phrases(variants: Sequence[str]) -> str:
    """An FTS5 query that any of the variants matches: with the trigram tokenizer, as a substring anywhere."""
    return " OR ".join('"' + v.replace('"', '""') + '"' for v in variants)


def search_text(
    session: Session, case_pk: int, terms: Sequence[SearchTerm], kinds: Sequence[str] = KINDS, *,
    first: int | None = None,
) -> list[TextMatch]:  # fmt: skip
    """Every row of the given kinds whose public text matches all ``terms``, in the case's order.

    With ``first``, only the first ``first`` matching rows of each kind in the order they were added
    (their primary keys): on SQLite a word that the index alone decides is then read from the index
    only until that many rows are found, however many more match.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    found: list[TextMatch] = []
    for kind in kinds:
        matches = _search_kind(session, case_pk, kind, terms, postgres=postgres, first=first)
        found += sorted(matches, key=lambda m: m.position)
    return found


def _indexed(kind: str, term: SearchTerm, *, postgres: bool) -> bool:
    """Whether the FTS index alone decides a term: every spelling three characters or more, and no origin."""
    return not postgres and all(len(v) >= 3 for v in term.variants) and not (kind == "excerpt" and term.place)


def _search_kind(
    session: Session, case_pk: int, kind: str, terms: Sequence[SearchTerm], *, postgres: bool, first: int | None
) -> list[TextMatch]:
    row_table: Any = _ROWS[kind]
    columns = [row_table.position, *_SHOWN[kind]]
    if kind == "excerpt":
        columns.append(WitnessRow.origin)
    fts = _fts(kind)
    indexed = [t for t in terms if _indexed(kind, t, postgres=postgres)]
    if first is not None and not postgres and not indexed and len(terms) == 1:
        query = select(*columns).where(row_table.pk.in_(_first_keys(session, case_pk, kind, terms[0], first)))
        terms = []  # decided by the keys
    elif indexed:
        # The index drives: it yields matching rows in key order, so a limit stops it early.
        match = " AND ".join(f"({_phrases(t.variants)})" for t in indexed)
        query = (
            select(*columns).select_from(fts).join(row_table, row_table.pk == fts.c.rowid)
            .where(fts.c.body.op("MATCH")(match), row_table.case_pk == case_pk)
            .order_by(fts.c.rowid)
        )  # fmt: skip
    else:
        query = select(*columns).where(row_table.case_pk == case_pk).order_by(row_table.pk)
    if kind == "excerpt":
        query = query.outerjoin(InterviewRow, ExcerptRow.interview_pk == InterviewRow.pk)
        query = query.outerjoin(WitnessRow, InterviewRow.witness_pk == WitnessRow.pk)
    for term in terms:
        if term in indexed:
            continue
        long = [v for v in term.variants if len(v) >= 3 and not postgres]
        conditions = (
            [row_table.pk.in_(select(fts.c.rowid).where(fts.c.body.op("MATCH")(_phrases(long))))] if long else []
        )
        # PostgreSQL searches the columns through pg_trgm; SQLite words under three characters too (the
        # trigram index cannot find them): a scan, stopped by the limit once enough rows are found.
        if postgres and len(term.variants) > 1:
            # One case-insensitive pattern of all the spellings (pg_trgm indexes it too): each row is read
            # once, not once per spelling (a place has ten).
            spellings = "|".join(re.sub(r"(\W)", r"\\\1", v) for v in term.variants)
            conditions += [expression.regexp_match(spellings, flags="i") for expression in _PG_COLUMNS[kind]]
        else:
            conditions += [
                _like(expression, v, postgres=postgres)
                for v in term.variants
                if postgres or len(v) < 3
                for expression in _PG_COLUMNS[kind]
            ]
        if kind == "excerpt" and term.place is not None:
            conditions.append(WitnessRow.origin == term.place)
        query = query.where(or_(*conditions) if conditions else false())
    if first is not None:
        query = query.limit(first)
    return [
        TextMatch(kind, found[1], _text(kind, found), found[-1] if kind == "excerpt" else None, found[0])
        for found in session.execute(query)
    ]


def _first_keys(session: Session, case_pk: int, kind: str, term: SearchTerm, first: int) -> list[int]:
    """The first ``first`` keys of the rows a term matches (SQLite): of each way it may match, its first keys,
    each found without reading further (the index in key order, a scan stopped early), then merged.

    Once ``first`` keys are found, a later way reads only keys up to the ``first``-th of them: one past it
    could not be among the first ``first`` of all the ways, so a scan stops there (the same keys, found
    sooner: a short Hangul name in 20,000 witnesses' descriptors is scanned up to the few thousandth).
    """
    row_table: Any = _ROWS[kind]
    fts = _fts(kind)
    long = [v for v in term.variants if len(v) >= 3]
    short = [v for v in term.variants if len(v) < 3]
    ways = []
    if long:
        ways.append(
            select(row_table.pk).select_from(fts).join(row_table, row_table.pk == fts.c.rowid)
            .where(fts.c.body.op("MATCH")(_phrases(long)), row_table.case_pk == case_pk).order_by(fts.c.rowid)
        )  # fmt: skip
    if short:
        likes = [_like(expression, v, postgres=False) for v in short for expression in _PG_COLUMNS[kind]]
        ways.append(select(row_table.pk).where(row_table.case_pk == case_pk, or_(*likes)).order_by(row_table.pk))
    if kind == "excerpt" and term.place is not None:
        # The origin of each excerpt's witness, read row by row in key order (so the scan stops early).
        origin = (
            select(WitnessRow.origin).join(InterviewRow, InterviewRow.witness_pk == WitnessRow.pk)
            .where(InterviewRow.pk == ExcerptRow.interview_pk).scalar_subquery()
        )  # fmt: skip
        ways.append(
            select(ExcerptRow.pk).where(ExcerptRow.case_pk == case_pk, origin == term.place).order_by(ExcerptRow.pk)
        )
    found: set[int] = set()
    for way in ways:
        if len(found) >= first:
            way = way.where(row_table.pk <= heapq.nsmallest(first, found)[-1])
        found.update(session.scalars(way.limit(first)))
    return sorted(found)[:first]


def _text(kind: str, row: Any) -> str:
    """The public text a hit shows: what was searched, as a reader would read it (``row`` as in _SHOWN)."""
    if kind == "excerpt":
        return str(row[2])
    if kind == "document":
        _, _, title, outlet, publisher, symbol = row
        return " — ".join(str(p) for p in (title, outlet or publisher, symbol) if p)
    if kind == "proposition":
        return f"{row[1]}: {row[2]}"
    _, _, gender, origin, written, role = row
    return ", ".join(str(p) for p in (gender, written or origin, role) if p)
