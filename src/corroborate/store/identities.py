"""Restricted identities one at a time: read them all for a case, or change one witness's (sealed, audited).

Plaintext exists only in memory, between opening and sealing; nothing here
logs or puts an identity into a message.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborate.domain import RestrictedIdentity
from corroborate.errors import UnknownWitness

from .audit import AuditWriter
from .keys import CaseKeys
from .schema import CaseRow, WitnessIdentityRow, WitnessRow

__all__ = ["change_identity", "read_identities"]


def read_identities(session: Session, case: CaseRow, keys: CaseKeys) -> dict[str, RestrictedIdentity]:
    """Every restricted identity of a case, by pseudonym."""
    query = select(WitnessIdentityRow, WitnessRow.ref).join(WitnessRow).where(WitnessRow.case_pk == case.pk)
    return {
        ref: keys.open_identity(ref, row.key_version, row.sealed, revision=row.revision)
        for row, ref in session.execute(query).all()
    }


def change_identity(
    session: Session,
    case: CaseRow,
    witness: str,
    change: Callable[[RestrictedIdentity | None], RestrictedIdentity | None],
    *,
    keys: CaseKeys,
    audit: AuditWriter,
) -> bool:
    """Open a witness's identity, apply ``change`` and seal the result under the next revision.

    ``change`` returning None removes the identity (the witness keeps its pseudonym and descriptor).
    Returns whether anything was written (an unchanged identity is left as it is).
    """
    witness_row = session.scalar(select(WitnessRow).where(WitnessRow.case_pk == case.pk, WitnessRow.ref == witness))
    if witness_row is None:
        raise UnknownWitness(witness)
    current = session.get(WitnessIdentityRow, witness_row.pk)
    old = None
    if current is not None:
        old = keys.open_identity(witness, current.key_version, current.sealed, revision=current.revision)
    new = change(old)
    if new == old:
        return False
    if new is None:
        assert current is not None
        removed = audit.row_hash(current)
        session.delete(current)
        session.flush()
        audit.record_row(case.ref, "identity", f"{case.ref}/{witness}", "delete", removed, None)
        return True
    revision = 1 if current is None else (current.revision or 0) + 1
    sealed = keys.seal_identity(witness, new, revision=revision)
    before: str | None
    if current is None:
        current = WitnessIdentityRow(
            witness_pk=witness_row.pk, key_version=keys.current, sealed=sealed, revision=revision
        )
        session.add(current)
        before, action = None, "create"
    else:
        before, action = audit.row_hash(current), "update"
        current.key_version, current.sealed, current.revision = keys.current, sealed, revision
    session.flush()
    audit.record_row(case.ref, "identity", f"{case.ref}/{witness}", action, before, current)
    return True
