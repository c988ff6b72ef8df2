"""The keyed scan index: kept up to date by those who hold the case key, queried by those who may not see identities.

An owner or investigator's write that changes identities rebuilds the index
(the forms of every restricted value, keyed with the case's scan secret and
sealed); an editor's disclosure check opens it with the scan secret alone, from
a scan-only session (`corroborate unlock --scan-only`), and never decrypts an
identity. This module never holds a restricted value longer than a rebuild.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from corroborate.errors import CaseLocked, ScanIndexUnusable
from corroborate.publish import FormTable, LeakScanner
from corroborate.store import AuditWriter, CaseKeys, read_identities
from corroborate.store.scanindex import read_scan_index, scan_subkey, write_scan_index
from corroborate.store.schema import CaseRow
from corroborate.store.signing import SCAN, create_secret, open_secret

from .unlocking import Secrets, case_keys, scan_secret_from_session

__all__ = ["carry_scan_secret", "keyed_scanner", "rebuild_scan_index", "scan_secret"]


def carry_scan_secret(session: Session, row: CaseRow, keys: CaseKeys) -> bytes | None:
    """The scan secret of a case about to be replaced, so scan-only sessions handed out stay valid."""
    return open_secret(session, row, keys, SCAN)


def rebuild_scan_index(
    session: Session, row: CaseRow, keys: CaseKeys, audit: AuditWriter, *, carried: bytes | None = None
) -> None:
    """Key the forms of every restricted value of the case and store them (making its scan secret if needed)."""
    secret = open_secret(session, row, keys, SCAN)
    if secret is None:
        secret = create_secret(session, row, keys, SCAN, audit=audit, value=carried)
    identities = read_identities(session, row, keys)
    table = FormTable.build(identities).keyed(scan_subkey(secret, "forms"))
    write_scan_index(session, row, table.to_bytes(), secret, audit=audit)


def scan_secret(session: Session, row: CaseRow, secrets: Secrets, *, location: str) -> bytes:
    """The case's scan secret: from a scan-only session, else opened with the case keys."""
    found = scan_secret_from_session(secrets, location, row.ref)
    if found is not None:
        return found
    try:
        keys = case_keys(session, row, secrets, location=location)
    except CaseLocked:
        raise ScanIndexUnusable(
            row.ref,
            "the check needs the case's scan key",
            fix="ask an owner or investigator to run `corroborate unlock --scan-only` and set CORROBORATE_SESSION "
            "to the token it prints",
        ) from None
    found = open_secret(session, row, keys, SCAN)
    if found is None:
        raise ScanIndexUnusable(row.ref, "the case has no scan key yet")
    return found


def keyed_scanner(session: Session, row: CaseRow, secret: bytes) -> LeakScanner:
    """A leak scanner over the case's stored index; it knows only that a form is restricted, not whose or what."""
    data = read_scan_index(session, row, secret)
    try:
        table = FormTable.from_bytes(data, secret=scan_subkey(secret, "forms"))
    except ValueError:
        raise ScanIndexUnusable(row.ref, "the scan index is damaged") from None
    return LeakScanner.from_table(table)
