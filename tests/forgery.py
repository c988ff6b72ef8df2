"""An attacker's toolkit for the tamper tests (test_auditcheck.py), built from the project's own code.

The attacker can read and write the database directly and has Corroborate's
source (so ``row_hash`` and ``entry_hash`` recompute any hash), but does not
hold a case key: they cannot open sealed values or sign as a case.
Everything here produces a chain whose hashes are internally consistent, so
an unsigned, unkeyed verification would accept it; ``chain_is_consistent``
says so, proving each attack would have passed before logs were signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, delete, insert, select, update

from corroborate.store import open_store
from corroborate.store.audit import GENESIS, entity_rows, entry_hash, head_message, public_bytes, row_hash
from corroborate.store.schema import AuditRow, AuditSignatureRow, CaseSecretRow
from corroborate.store.signing import SIGNING

__all__ = [
    "append_entry",
    "audit_row_change",
    "chain_is_consistent",
    "connection",
    "entries",
    "rebuild_log",
    "rechain",
    "rows_of",
    "sign_everything",
    "swap_public_key",
]

AUDIT = AuditRow.__table__
SIGNATURES = AuditSignatureRow.__table__


@contextmanager
def connection(location: str) -> Iterator[Connection]:
    """A raw connection to the store, committed at the end (the attacker's database client)."""
    with open_store(location) as store, store.engine.begin() as conn:
        yield conn


def entries(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(AUDIT).order_by(AUDIT.c.seq)).mappings()]


def rechain(conn: Connection, *, start: int = 1) -> None:
    """Recompute every entry's prev_hash and hash from ``start`` on, as the project's own code does."""
    prev = GENESIS
    for entry in entries(conn):
        if entry["seq"] >= start:
            entry["prev_hash"] = prev
            entry["entry_hash"] = entry_hash(entry)
            conn.execute(
                update(AUDIT)
                .where(AUDIT.c.seq == entry["seq"])
                .values(prev_hash=entry["prev_hash"], entry_hash=entry["entry_hash"])
            )
        prev = entry["entry_hash"]


def append_entry(
    conn: Connection, case_ref: str | None, entity: str, entity_id: str, action: str, *,
    before: str | None = None, after: str | None = None, actor: str = "local",
) -> int:  # fmt: skip
    """Append a well-chained entry (the forger's way of 'auditing' a change); return its number."""
    last = conn.execute(select(AUDIT.c.seq, AUDIT.c.entry_hash).order_by(AUDIT.c.seq.desc()).limit(1)).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    entry = {"seq": seq + 1, "at": "2026-12-02T00:00:00+00:00", "actor": actor, "case_ref": case_ref,
             "entity": entity, "entity_id": entity_id, "action": action, "before_hash": before,
             "after_hash": after, "prev_hash": prev}  # fmt: skip
    entry["entry_hash"] = entry_hash(entry)
    conn.execute(insert(AUDIT).values(**entry))
    return int(entry["seq"])


def audit_row_change(conn: Connection, entity: str, entity_id: str, case_ref: str | None) -> int:
    """Append an 'update' entry matching the row as it is now."""
    row = next(r for name, r in rows_of(conn, entity) if name == entity_id)
    return append_entry(conn, case_ref, entity, entity_id, "update", after=row_hash(row))


def rows_of(conn: Connection, entity: str) -> list[tuple[str, Any]]:
    """(entity id, row) of every row of an audited kind, as the verifier names them."""
    from sqlalchemy.orm import Session

    with Session(bind=conn) as session:
        return list(entity_rows(session, entity))


def rebuild_log(conn: Connection, entities: list[str]) -> None:
    """Drop the whole log and write a fresh, consistent one: one 'create' entry per row as it is now."""
    conn.execute(delete(SIGNATURES))
    conn.execute(delete(AUDIT))
    for entity in entities:
        for name, row in rows_of(conn, entity):
            case = None if entity in ("user",) else (name.rpartition("@")[2] if entity == "membership" else
                                                     name.partition("/")[0])  # fmt: skip
            if entity == "membership" and case == "*":
                case = None
            append_entry(conn, case, entity, name, "create", after=row_hash(row))


def swap_public_key(conn: Connection, case_pk: int, attacker: Ed25519PrivateKey) -> None:
    """Put the attacker's public key in place of the case's (the sealed private half stays: it cannot be made)."""
    table = CaseSecretRow.__table__
    conn.execute(
        update(table).where(table.c.case_pk == case_pk, table.c.name == SIGNING).values(public=public_bytes(attacker))
    )


def sign_everything(conn: Connection, case_ref: str, attacker: Ed25519PrivateKey) -> None:
    """Sign the newest entry as the case, with the attacker's own key."""
    last = conn.execute(select(AUDIT.c.seq, AUDIT.c.entry_hash).order_by(AUDIT.c.seq.desc()).limit(1)).one()
    conn.execute(delete(SIGNATURES).where(SIGNATURES.c.signer == case_ref))
    signature = attacker.sign(head_message(case_ref, last[0], last[1]))
    conn.execute(insert(SIGNATURES).values(seq=last[0], signer=case_ref, signature=signature))


def chain_is_consistent(conn: Connection) -> bool:
    """True when every entry links to the one before and hashes to its stored hash (what hashes alone check)."""
    prev, expected = GENESIS, 1
    for entry in entries(conn):
        if entry["seq"] != expected or entry["prev_hash"] != prev or entry_hash(entry) != entry["entry_hash"]:
            return False
        prev, expected = entry["entry_hash"], expected + 1
    return True
