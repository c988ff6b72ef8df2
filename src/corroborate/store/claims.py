"""Adding one claim to a case (the coding assistant's accepted suggestion), audited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corroborate.domain import Claim

from .audit import AuditWriter
from .schema import CaseRow, ClaimRow, ExcerptRow, PropositionRow

__all__ = ["insert_claim"]


def insert_claim(session: Session, case: CaseRow, claim: Claim, *, audit: AuditWriter) -> None:
    """Insert a checked, normalised claim after the case's others."""
    excerpt_pk = session.scalar(
        select(ExcerptRow.pk).where(ExcerptRow.case_pk == case.pk, ExcerptRow.ref == claim.excerpt)
    )
    proposition_pk = session.scalar(
        select(PropositionRow.pk).where(PropositionRow.case_pk == case.pk, PropositionRow.key == claim.proposition)
    )
    position = (session.scalar(select(func.max(ClaimRow.position)).where(ClaimRow.case_pk == case.pk)) or 0) + 1
    row = ClaimRow(case_pk=case.pk, ref=claim.id, position=position, excerpt_pk=excerpt_pk,
                   proposition_pk=proposition_pk, stance=claim.stance, attributes=claim.attributes,
                   mode=claim.mode, occurrence=claim.occurrence, note=claim.note)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record_row(case.ref, "claim", f"{case.ref}/{row.ref}", "create", None, row)
