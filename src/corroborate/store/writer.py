"""Writing whole cases: insert (identities sealed, every row audited) and delete.

Works inside a session the caller owns, so an import is one transaction.
Restricted identities are sealed with the case's data key before they reach
SQL, so no statement, log line or database page ever holds them in plaintext.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from corroborate.domain import Case, CaseInfo, Tick
from corroborate.domain.collector import paused_collector
from corroborate.errors import CaseLocked

from .audit import AuditWriter, entity_rows, row_hash, row_hashes
from .bulk import insert_rows
from .keys import CaseKeys
from .personlists import delete_person_lists
from .rowvalues import (
    claim_values,
    document_values,
    excerpt_values,
    interview_values,
    proposition_values,
    recommendation_values,
    witness_values,
)
from .schema import (
    AttachmentRow,
    CaseKeyRow,
    CaseRow,
    CaseSecretRow,
    ClaimRow,
    DocumentRow,
    ExcerptRow,
    InterviewRow,
    MembershipRow,
    PropositionRow,
    RecommendationRow,
    ScanIndexRow,
    WitnessIdentityRow,
    WitnessRow,
)
from .searchfill import index_filled_after

__all__ = ["delete_case", "insert_case", "insert_case_content"]

# Children of a case in an order that deletes dependants first.
_CHILDREN = (
    ("identity", WitnessIdentityRow),
    ("attachment", AttachmentRow),  # its chunks go with it (ON DELETE CASCADE); before its interview or document
    ("claim", ClaimRow),
    ("excerpt", ExcerptRow),
    ("interview", InterviewRow),
    ("document", DocumentRow),
    ("proposition", PropositionRow),
    ("recommendation", RecommendationRow),
    ("witness", WitnessRow),
    ("scan_index", ScanIndexRow),
    ("case_secret", CaseSecretRow),
    ("case_key", CaseKeyRow),
    ("membership", MembershipRow),
)


def delete_case(session: Session, row: CaseRow, *, audit: AuditWriter) -> None:
    """Remove a case and everything it owns, auditing every row removed."""
    delete_person_lists(session, row, audit=audit)  # their records first: they belong to the case only through them
    for entity, _table in _CHILDREN:
        for entity_id, child in entity_rows(session, entity, case_pk=row.pk):
            audit.record(row.ref, entity, entity_id, "delete", row_hash(child), None)
    audit.record(row.ref, "case", row.ref, "delete", row_hash(row), None)
    witness_pks = select(WitnessRow.pk).where(WitnessRow.case_pk == row.pk)
    session.execute(delete(WitnessIdentityRow).where(WitnessIdentityRow.witness_pk.in_(witness_pks)))
    for _, table in _CHILDREN[1:]:
        session.execute(delete(table).where(table.case_pk == row.pk))
    session.delete(row)
    session.flush()


def insert_case(session: Session, info: CaseInfo, *, audit: AuditWriter) -> CaseRow:
    """Insert the case row itself."""
    row = CaseRow(ref=info.id, title=info.title, organisation=info.organisation, description=info.description,
                  language=info.language)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record_row(row.ref, "case", row.ref, "create", None, row)
    return row


class _Inserter:
    """Bulk inserts for one case, auditing each row and reporting progress."""

    def __init__(self, session: Session, case: CaseRow, audit: AuditWriter, tick: Tick) -> None:
        self.session, self.case, self.audit, self.tick = session, case, audit, tick

    def rows(self, entity: str, table: Any, key: str, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Insert rows; return their primary keys by natural key."""
        with index_filled_after(self.session, table.__table__, case_pk=self.case.pk, rows=len(rows)):
            insert_rows(self.session, table.__table__, rows, tick=self.tick)
        pks: dict[str, int] = {}
        if not rows:
            return pks
        ref, record = self.case.ref, self.audit.record
        result = self.session.execute(select(table.__table__).where(table.__table__.c.case_pk == self.case.pk))
        columns = list(result.keys())
        at_key, at_pk = columns.index(key), columns.index("pk")
        for row, after in row_hashes(result):
            name = row[at_key]
            pks[name] = row[at_pk]
            record(ref, entity, f"{ref}/{name}", "create", None, after)
        return pks


def insert_case_content(
    session: Session, row: CaseRow, case: Case, *, keys: CaseKeys | None, audit: AuditWriter,
    progress: Tick | None = None,
) -> None:  # fmt: skip
    """Insert everything a case holds under an existing case row."""
    with paused_collector():
        _insert_content(session, row, case, keys=keys, audit=audit, progress=progress)


def _insert_content(
    session: Session, row: CaseRow, case: Case, *, keys: CaseKeys | None, audit: AuditWriter, progress: Tick | None
) -> None:
    if keys is None and any(w.restricted is not None for w in case.witnesses):
        raise CaseLocked(case.case.id)
    put = _Inserter(session, row, audit, progress or (lambda _n: None))
    c = row.pk
    witness_pk = put.rows("witness", WitnessRow, "ref", [
        {"case_pk": c, "position": i, **witness_values(w)} for i, w in enumerate(case.witnesses)
    ])  # fmt: skip
    for w in case.witnesses:
        if w.restricted is None:
            continue
        assert keys is not None
        identity = WitnessIdentityRow(witness_pk=witness_pk[w.id], key_version=keys.current, revision=1,
                                      sealed=keys.seal_identity(w.id, w.restricted, revision=1))  # fmt: skip
        session.add(identity)
        session.flush()
        audit.record_row(row.ref, "identity", f"{row.ref}/{w.id}", "create", None, identity)
        put.tick(1)
    interview_pk = put.rows("interview", InterviewRow, "ref", [
        {"case_pk": c, "position": i, **interview_values(v, witness_pk[v.witness])}
        for i, v in enumerate(case.interviews)
    ])  # fmt: skip
    document_pk = put.rows("document", DocumentRow, "ref", [
        {"case_pk": c, "position": i, **document_values(d)} for i, d in enumerate(case.documents)
    ])  # fmt: skip
    excerpt_pk = put.rows("excerpt", ExcerptRow, "ref", [
        {"case_pk": c, "position": i, **excerpt_values(e, interview_pk.get(e.source), document_pk.get(e.source))}
        for i, e in enumerate(case.excerpts)
    ])  # fmt: skip
    proposition_pk = put.rows("proposition", PropositionRow, "key", [
        {"case_pk": c, "position": i, **proposition_values(p)} for i, p in enumerate(case.propositions)
    ])  # fmt: skip
    put.rows("claim", ClaimRow, "ref", [
        {"case_pk": c, "position": i, **claim_values(cl, excerpt_pk[cl.excerpt], proposition_pk[cl.proposition])}
        for i, cl in enumerate(case.claims)
    ])  # fmt: skip
    put.rows("recommendation", RecommendationRow, "ref", [
        {"case_pk": c, "position": i, **recommendation_values(r)} for i, r in enumerate(case.recommendations)
    ])  # fmt: skip
    session.flush()
