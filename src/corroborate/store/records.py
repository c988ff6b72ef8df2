"""Reading one record at a time: a row of a case with its version, the rows around it, and what points to it.

Checking that a record makes sense with the rows around it (``neighbourhood``)
reads only those rows, never the whole case; ``users_of`` names the records a
deletion would leave pointing at nothing. Writes are in ``changes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, func, select
from sqlalchemy.orm import Session

from corroborate.domain import Case, CaseInfo, RestrictedIdentity
from corroborate.errors import RecordNotFound

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
    AuditRow,
    Base,
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
    "KINDS",
    "SECTION_KINDS",
    "Stored",
    "find_record",
    "last_change",
    "neighbourhood",
    "next_ref",
    "read_record",
    "record_pks",
    "record_ref",
    "record_table",
    "refs_like",
    "users_of",
]

# kind: (table, id column, casefile section), in an order where what a record points to comes first: the
# order records are written in (and deleted in, reversed).
KINDS: dict[str, tuple[Any, str, str]] = {
    "witness": (WitnessRow, "ref", "witnesses"),
    "interview": (InterviewRow, "ref", "interviews"),
    "document": (DocumentRow, "ref", "documents"),
    "excerpt": (ExcerptRow, "ref", "excerpts"),
    "proposition": (PropositionRow, "key", "propositions"),
    "claim": (ClaimRow, "ref", "claims"),
    "recommendation": (RecommendationRow, "ref", "recommendations"),
}
# The kind of record each casefile section holds.
SECTION_KINDS = {section: kind for kind, (_table, _key, section) in KINDS.items()}
# Rows that belong to the row they point to and go with it (a witness's identity).
_OWNED = frozenset({"witness_identities"})


@dataclass(frozen=True)
class Stored:
    """A record as read: its kind, id, version and entity (a witness's identity only when opened with keys)."""

    kind: str
    ref: str
    version: int
    item: Any


def record_ref(kind: str, item: Any) -> str:
    """The id of an entity of a kind (a proposition's key)."""
    return str(item.key if kind == "proposition" else item.id)


def record_table(kind: str) -> Table:
    return cast(Table, KINDS[kind][0].__table__)


def find_record(session: Session, case: CaseRow, kind: str, ref: str) -> Any | None:
    table = record_table(kind)
    key = table.c[KINDS[kind][1]]
    return session.execute(select(table).where(table.c.case_pk == case.pk, key == ref)).one_or_none()


def refs_like(session: Session, case: CaseRow, kind: str, fragment: str, *, limit: int = 5) -> list[str]:
    """Ids of a case's records of a kind that contain ``fragment`` (any case), for a "did you mean" hint."""
    table = record_table(kind)
    key = table.c[KINDS[kind][1]]
    pattern = "%" + fragment.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(key).where(table.c.case_pk == case.pk, func.lower(key).like(pattern, escape="\\"))
    return list(session.scalars(query.order_by(table.c.position).limit(limit)))


def next_ref(session: Session, case: CaseRow, kind: str, prefix: str) -> str:
    """The id after the highest ``PREFIX-<number>`` of a case's records of a kind (``PREFIX-001`` when none), for
    a new record's suggested id. Reads the longest such ids first, a length at a time, and stops once no shorter
    id can hold a larger number: a case of a million records is never read whole."""
    table = record_table(kind)
    key = table.c[KINDS[kind][1]]
    start = f"{prefix}-"
    pattern = start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    prefixed = and_(table.c.case_pk == case.pk, key.like(pattern, escape="\\"))
    longest = session.scalar(select(func.max(func.length(key))).where(prefixed)) or 0
    best = 0
    for length in range(longest, len(start), -1):
        if 10 ** (length - len(start)) <= best + 1:  # no id of this length or shorter holds a larger number
            break
        same = select(key).where(prefixed, func.length(key) == length).order_by(key.desc())
        with closing(session.scalars(same.execution_options(yield_per=200))) as refs:
            for ref in refs:
                digits = ref[len(start) :]
                if ref.startswith(start) and digits.isascii() and digits.isdigit():
                    best = max(best, int(digits))  # the same length in descending order: the first is the largest
                    break
    return f"{start}{best + 1:03d}"


def last_change(session: Session, case: CaseRow, kind: str, ref: str) -> tuple[str | None, str | None]:
    """Who last wrote a record, and when (from the audit log)."""
    found = session.execute(
        select(AuditRow.actor, AuditRow.at)
        .where(AuditRow.entity_id == f"{case.ref}/{ref}", AuditRow.entity == kind)
        .order_by(AuditRow.seq.desc())
        .limit(1)
    ).one_or_none()
    return (found.actor, found.at) if found is not None else (None, None)


def _refs(session: Session, kind: str, pks: Iterable[int]) -> dict[int, str]:
    table = record_table(kind)
    wanted = sorted(set(pks))
    if not wanted:
        return {}
    key = table.c[KINDS[kind][1]]
    return dict(session.execute(select(table.c.pk, key).where(table.c.pk.in_(wanted))).all())


def record_pks(session: Session, case: CaseRow, kind: str, refs: Iterable[str]) -> dict[str, int]:
    table = record_table(kind)
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    key = table.c[KINDS[kind][1]]
    query = select(key, table.c.pk).where(table.c.case_pk == case.pk, key.in_(wanted))
    return dict(session.execute(query).all())


def _entities(session: Session, kind: str, rows: list[Any], keys: CaseKeys | None = None) -> list[Any]:
    """Domain entities of rows of one kind, their references turned back into ids."""
    if kind == "witness":
        identities = _identities(session, rows, keys) if keys is not None else {}
        return [witness_from_row(r, identities.get(r.pk)) for r in rows]
    if kind == "interview":
        witnesses = _refs(session, "witness", (r.witness_pk for r in rows))
        return [interview_from_row(r, witnesses[r.witness_pk]) for r in rows]
    if kind == "excerpt":
        interviews = _refs(session, "interview", (r.interview_pk for r in rows if r.interview_pk))
        documents = _refs(session, "document", (r.document_pk for r in rows if r.document_pk))
        return [excerpt_from_row(r, interviews.get(r.interview_pk) or documents[r.document_pk]) for r in rows]
    if kind == "claim":
        excerpts = _refs(session, "excerpt", (r.excerpt_pk for r in rows))
        propositions = _refs(session, "proposition", (r.proposition_pk for r in rows))
        return [claim_from_row(r, excerpts[r.excerpt_pk], propositions[r.proposition_pk]) for r in rows]
    convert = {"document": document_from_row, "proposition": proposition_from_row,
               "recommendation": recommendation_from_row}[kind]  # fmt: skip
    return [convert(r) for r in rows]


def _identities(session: Session, rows: list[Any], keys: CaseKeys) -> dict[int, RestrictedIdentity]:
    refs = {r.pk: r.ref for r in rows}
    if not refs:
        return {}
    query = select(WitnessIdentityRow).where(WitnessIdentityRow.witness_pk.in_(sorted(refs)))
    return {
        i.witness_pk: keys.open_identity(refs[i.witness_pk], i.key_version, i.sealed, revision=i.revision)
        for i in session.scalars(query)
    }


def read_record(session: Session, case: CaseRow, kind: str, ref: str, *, keys: CaseKeys | None = None) -> Stored:
    """One record with its version; a witness's identity is opened only with ``keys``."""
    row = find_record(session, case, kind, ref)
    if row is None:
        by, at = last_change(session, case, kind, ref)
        raise RecordNotFound(kind, ref, case.ref, by=by, at=at)
    return Stored(kind, ref, row.row_version, _entities(session, kind, [row], keys)[0])


def _rows_of(session: Session, case: CaseRow, kind: str, where: Any, *, scoped: bool = True) -> list[Any]:
    """Rows of a kind matching ``where``; ``scoped=False`` when ``where`` names a row of this case already (the
    case's own index would then lead the database to walk every row of the case in order)."""
    table = record_table(kind)
    query = select(table).where(where) if not scoped else select(table).where(table.c.case_pk == case.pk, where)
    return list(session.execute(query.order_by(table.c.position)))


def neighbourhood(session: Session, case: CaseRow, kind: str, item: Any, *, keys: CaseKeys | None = None) -> Case:
    """The record with the rows it must agree with: what it points to, and what points to it.

    The case's checks (``case_problems``) run on this small case: a claim with
    its excerpt and proposition (and other claims coding that excerpt against
    it); an excerpt with its source and the claims on it (and their
    propositions); a proposition with its claims and their excerpts; an
    interview with its witness (and the witness's other interviews); a witness
    with its interviews; a recommendation with the documents its follow-up
    cites.
    """
    t = {k: record_table(k) for k in KINDS}
    ref = record_ref(kind, item)
    found: dict[str, list[Any]] = {k: [] for k in KINDS}

    def add(k: str, where: Any, *, scoped: bool = True) -> list[Any]:
        rows = _rows_of(session, case, k, where, scoped=scoped)
        found[k] += rows
        return rows

    if kind == "witness":
        own = find_record(session, case, "witness", ref)
        if own is not None:
            add("interview", t["interview"].c.witness_pk == own.pk, scoped=False)
    elif kind == "interview":
        for w in add("witness", t["witness"].c.ref == item.witness):
            add("interview", and_(t["interview"].c.witness_pk == w.pk, t["interview"].c.ref != ref))
        add("document", t["document"].c.ref == ref)  # an id both names: reported by the checks
    elif kind == "document":
        add("interview", t["interview"].c.ref == ref)
    elif kind == "excerpt":
        add("interview", t["interview"].c.ref == item.source)
        add("document", t["document"].c.ref == item.source)
        own = find_record(session, case, "excerpt", ref)
        if own is not None:
            claims = add("claim", t["claim"].c.excerpt_pk == own.pk, scoped=False)
            add("proposition", t["proposition"].c.pk.in_(sorted({c.proposition_pk for c in claims})))
    elif kind == "proposition":
        own = find_record(session, case, "proposition", ref)
        if own is not None:
            add("claim", t["claim"].c.proposition_pk == own.pk, scoped=False)
            add("excerpt", t["excerpt"].c.pk.in_(select(t["claim"].c.excerpt_pk).where(
                t["claim"].c.proposition_pk == own.pk)))  # fmt: skip
    elif kind == "claim":
        excerpts = add("excerpt", t["excerpt"].c.ref == item.excerpt)
        propositions = add("proposition", t["proposition"].c.key == item.proposition)
        if excerpts and propositions:  # other claims coding the same excerpt against it (one may be the same)
            # Found through the excerpt alone, which a handful of claims code (a proposition may have hundreds
            # of thousands, and SQLite without statistics would walk those), then kept for the proposition.
            on_excerpt = _rows_of(session, case, "claim", t["claim"].c.excerpt_pk == excerpts[0].pk, scoped=False)
            found["claim"] += [r for r in on_excerpt if r.proposition_pk == propositions[0].pk]
    elif kind == "recommendation":
        cited = sorted({s for step in item.follow_up for s in step.sources})
        add("document", t["document"].c.ref.in_(cited))
    found[kind] = [r for r in found[kind] if getattr(r, KINDS[kind][1]) != ref]
    sections: dict[str, list[Any]] = {KINDS[k][2]: _entities(session, k, rows, keys) for k, rows in found.items()}
    sections[KINDS[kind][2]].append(item)
    info = CaseInfo.model_construct(id=case.ref, title=case.title, organisation=case.organisation,
                                    description=case.description, language=case.language)  # fmt: skip
    return Case.model_construct(version=1, case=info, **cast(dict[str, Any], sections))


def users_of(session: Session, case: CaseRow, kind: str, ref: str) -> dict[str, list[str]]:
    """Records that point to one record, by kind: what deleting it would leave pointing at nothing."""
    row = find_record(session, case, kind, ref)
    if row is None:
        return {}
    target = record_table(kind)
    found: dict[str, list[str]] = {}
    by_table = {v[0].__tablename__: k for k, v in KINDS.items()}
    for table in Base.metadata.sorted_tables:
        if table.name in _OWNED:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is not target:
                continue
            name = by_table.get(table.name, table.name.removesuffix("s"))
            key = table.c[KINDS[name][1]] if name in KINDS else (table.c.ref if "ref" in table.c else fk.parent)
            refs = [str(r) for r in session.scalars(select(key).where(fk.parent == row.pk).order_by(key))]
            if refs:
                found.setdefault(name, []).extend(refs)
    if kind == "document":  # a recommendation's follow-up cites documents by id, inside its JSON
        rows = session.execute(select(RecommendationRow.ref, RecommendationRow.follow_up).where(
            RecommendationRow.case_pk == case.pk, RecommendationRow.follow_up.is_not(None)))  # fmt: skip
        citing = [r for r, steps in rows if any(ref in (s.get("sources") or []) for s in steps or [])]
        if citing:
            found.setdefault("recommendation", []).extend(citing)
    return found
