"""Signing writes: give the audit writer the keys of the cases a write touches, and guard the user's seen head.

Every write service calls these: ``sign_case`` for a case whose keys it holds,
``sign_every_case`` for changes to users and store-wide roles (signed by
every case), ``check_seen_head`` before writing (refusing to add to a log that
lost entries this user saw), and ``remember_head`` after committing.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from corroborate.errors import AuditTampered, CaseLocked, SigningKeyNeeded
from corroborate.store import AuditWriter, CaseKeys, case_rows
from corroborate.store.audit import case_signing_keys
from corroborate.store.auditlog import entry_hash_at
from corroborate.store.schema import CaseRow
from corroborate.store.signing import SIGNING, create_secret, open_secret, open_signing_key

from .access import Actor
from .trust import TrustFile
from .unlocking import Secrets, case_keys

__all__ = [
    "carry_signing_key",
    "check_seen_head",
    "new_case_signing_key",
    "remember_head",
    "sign_case",
    "sign_claim",
    "sign_every_case",
]


def sign_case(session: Session, row: CaseRow, keys: CaseKeys, audit: AuditWriter) -> None:
    """Have this session's writes signed by the case (a case made before signed logs has no key yet)."""
    key = open_signing_key(session, row, keys)
    if key is not None:
        audit.sign_as(row.ref, key)


def new_case_signing_key(
    session: Session, row: CaseRow, keys: CaseKeys, audit: AuditWriter, *, carried: bytes | None = None
) -> None:
    """Seal a signing key for a new case (or the one of the case it replaces) and sign with it."""
    secret = create_secret(session, row, keys, SIGNING, audit=audit, value=carried)
    audit.sign_as(row.ref, Ed25519PrivateKey.from_private_bytes(secret))


def carry_signing_key(session: Session, row: CaseRow, keys: CaseKeys) -> bytes | None:
    """The signing secret of a case about to be replaced, so the new rows keep the pinned key."""
    if open_signing_key(session, row, keys) is None:
        return None
    return open_secret(session, row, keys, SIGNING)


def sign_every_case(
    session: Session, audit: AuditWriter, secrets: Secrets, *, location: str, only: CaseRow | None = None
) -> None:
    """Have this session's writes signed by every case that has a signing key (store-wide changes).

    With ``only``, by that one case: a role on one case, and a new account given it.
    """
    locked: list[str] = []
    keyed = set(case_signing_keys(session))
    rows = [only] if only is not None else case_rows(session)
    for row in rows:
        if row.ref not in keyed:
            continue
        try:
            keys = case_keys(session, row, secrets, location=location)
        except CaseLocked:
            locked.append(row.ref)
            continue
        sign_case(session, row, keys, audit)
    if locked:
        raise SigningKeyNeeded(locked)


def sign_claim(
    session: Session, row: CaseRow, audit: AuditWriter, *, actor: Actor, secrets: Secrets, location: str
) -> None:
    """Sign a claim an analyst codes with their own key; without one (no accounts), with the case key."""
    if actor.signing_key is not None:
        audit.sign_as_user(actor.signing_key)
        return
    if row.ref not in case_signing_keys(session, case_pk=row.pk):
        return  # a case made before signed logs: the writer says what to do
    try:
        keys = case_keys(session, row, secrets, location=location)
    except CaseLocked:
        raise SigningKeyNeeded([row.ref]) from None
    sign_case(session, row, keys, audit)


def check_seen_head(session: Session, secrets: Secrets, *, location: str) -> None:
    """Refuse to write when the newest entry this user saw is gone or changed (the log was cut or rewritten)."""
    if secrets.trust_file is None:
        return
    seen = TrustFile(secrets.trust_file).seen(location)
    if seen is None:
        return
    seq, head = seen
    if entry_hash_at(session, seq) != head:
        raise AuditTampered(
            f"entry #{seq}, which you saw earlier, is missing or changed; nothing was written (run `corroborate "
            "audit verify`; if you replaced the store on purpose, run `corroborate audit forget` on it)"
        )


def remember_head(secrets: Secrets, audit: AuditWriter, *, location: str, pin: dict[str, bytes] | None = None) -> None:
    """After a commit: note the head this user just wrote (and pin the keys of cases they created)."""
    if secrets.trust_file is None or audit.head is None:
        return
    trust = TrustFile(secrets.trust_file)
    if pin:
        trust.pin(location, pin)
    trust.see(location, *audit.head)
