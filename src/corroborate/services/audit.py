"""Use cases on the audit log: verify it (chain, signatures, rows), list entries, pin and sign case keys.

Verification trusts what the user's trust file pins, not what the store says:
a case's public key is pinned when the user creates the case or first
verifies it (the report says so, with the fingerprint to compare with the
one kept on paper), and the newest entry the user saw is remembered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corroborate.errors import Forbidden, TrustMismatch, UserError
from corroborate.store import AuditProblem, AuditReport, AuditWriter, case_refs, open_store, verify_audit
from corroborate.store.audit import case_signing_keys
from corroborate.store.auditlog import newest_entries
from corroborate.store.signing import fingerprint

from .access import POLICY, Action, Actor, authorize
from .cases import actor_case
from .scanning import rebuild_scan_index
from .signing import new_case_signing_key
from .trust import TrustFile
from .unlocking import Secrets, case_keys

__all__ = [
    "AuditEntry",
    "CaseKey",
    "Verification",
    "audit_entries",
    "case_fingerprints",
    "forget_store",
    "pin_case_key",
    "sign_log",
    "verify",
]


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    case: str | None
    entity: str
    entity_id: str
    action: str
    before_hash: str | None
    after_hash: str | None
    entry_hash: str


@dataclass(frozen=True)
class CaseKey:
    """A case's signing key as the user sees it: its fingerprint and whether their trust file pins it."""

    case: str
    fingerprint: str
    pinned: str  # "yes", "no", or "DIFFERENT" (the store's key is not the one pinned)


@dataclass
class Verification:
    """What `audit verify` found, for the cases the user may see."""

    report: AuditReport
    keys: list[CaseKey] = field(default_factory=list)
    newly_pinned: list[str] = field(default_factory=list)
    hidden_problems: int = 0  # problems in cases the user has no role on (not shown)

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.hidden_problems

    @property
    def problems(self) -> list[AuditProblem]:
        return self.report.problems


def _visible_cases(actor: Actor, cases: list[str]) -> set[str]:
    allowed = POLICY[Action.audit_verify]
    visible = {c for c in cases if actor.role_for(c) in allowed}
    if not visible and actor.role_for(None) not in allowed:
        raise Forbidden(actor.name, None, Action.audit_verify.value)
    return visible


def _keys(stored: dict[str, bytes], pinned: dict[str, bytes], visible: set[str]) -> list[CaseKey]:
    out = []
    for case in sorted(visible & set(stored)):
        state = "no" if case not in pinned else ("yes" if pinned[case] == stored[case] else "DIFFERENT")
        out.append(CaseKey(case, fingerprint(stored[case]), state))
    return out


def verify(location: str, *, actor: Actor, trust_file: Path | None = None, case: str | None = None) -> Verification:
    """Check the hash chain, its signatures against pinned keys, the head seen last, and every audited row.

    A user with a role on some cases only sees the problems of those cases (and
    of the log as a whole); the others are counted, not described. When all is
    well, keys not yet pinned are pinned and the head is remembered. Asked from
    one case's page (``case``), the user's role there must allow verifying and
    the case must exist, or nothing is read; the report still covers every case
    the user may see.
    """
    trust = TrustFile(trust_file) if trust_file is not None else None
    with open_store(location) as store, store.transaction() as session:
        if case is not None:
            actor_case(session, actor, Action.audit_verify, case)
        visible = _visible_cases(actor, case_refs(session))
        pinned = trust.pinned(location) if trust else {}
        report = verify_audit(session, pinned=pinned, seen=trust.seen(location) if trust else None)
    shown = [p for p in report.problems if p.case is None or p.case in visible]
    hidden = len(report.problems) - len(shown)
    report.problems = shown
    result = Verification(report, _keys(report.keys, pinned, visible), hidden_problems=hidden)
    if trust is not None and result.ok:
        fresh = {case: public for case, public in report.keys.items() if case not in pinned}
        trust.pin(location, fresh)
        if report.head_seq:
            trust.see(location, report.head_seq, report.head)
        result.newly_pinned = sorted(fresh)
        result.keys = _keys(report.keys, {**pinned, **fresh}, visible)
    return result


def case_fingerprints(location: str, *, actor: Actor, trust_file: Path | None = None) -> list[CaseKey]:
    """The signing key fingerprint of each case the user may see, and whether they pinned it."""
    trust = TrustFile(trust_file) if trust_file is not None else None
    with open_store(location) as store, store.transaction() as session:
        visible = _visible_cases(actor, case_refs(session))
        stored = case_signing_keys(session)
    return _keys(stored, trust.pinned(location) if trust else {}, visible)


def _normalised(text: str) -> str:
    return "".join(text.split()).upper()


def pin_case_key(location: str, case: str | None, fingerprint_text: str, *, actor: Actor, trust_file: Path) -> CaseKey:
    """Pin a case's key from a fingerprint kept elsewhere (paper); refused when it is not the store's key."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.audit_verify, case)
        public = case_signing_keys(session, case_pk=row.pk).get(row.ref)
    if public is None or _normalised(fingerprint(public)) != _normalised(fingerprint_text):
        raise TrustMismatch(row.ref)
    TrustFile(trust_file).pin(location, {row.ref: public})
    return CaseKey(row.ref, fingerprint(public), "yes")


def forget_store(location: str, *, trust_file: Path) -> bool:
    """Drop the pinned keys and seen head of a store from the user's trust file (e.g. after a restore)."""
    return TrustFile(trust_file).forget(location)


def sign_log(location: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> CaseKey:
    """Give a case made before signed logs its signing key, after verifying everything else, and sign the head."""
    with open_store(location) as store, store.transaction(write=True) as session:
        row = actor_case(session, actor, Action.audit_sign, case)
        keys = case_keys(session, row, secrets, location=location)
        if row.ref in case_signing_keys(session):
            raise UserError(f"case {row.ref!r} already has a signing key; its writes are signed")
        report = verify_audit(session)
        # What a log nobody signed yet looks like: the case has no key, and its entries are unsigned.
        unsigned = ("has no signing key", "are not signed by")
        blocking = [
            p for p in report.problems if not (p.case in (row.ref, None) and any(u in p.message for u in unsigned))
        ]
        if blocking:
            raise UserError(f"the audit log has problems ({blocking[0]}); fix them before signing it")
        audit = AuditWriter(session, actor.name)
        new_case_signing_key(session, row, keys, audit)
        rebuild_scan_index(session, row, keys, audit)
        public = case_signing_keys(session, case_pk=row.pk)[row.ref]
    trust = TrustFile(secrets.trust_file) if secrets.trust_file is not None else None
    if trust is not None:
        trust.pin(location, {row.ref: public})
        if audit.head is not None:
            trust.see(location, *audit.head)
    return CaseKey(row.ref, fingerprint(public), "yes" if trust else "no")


def audit_entries(
    location: str, *, actor: Actor, case: str | None = None, limit: int = 100, entity: str | None = None,
    before: int | None = None, action: str | None = None, by: str | None = None,
) -> list[AuditEntry]:  # fmt: skip
    """The newest entries, oldest first (ids and hashes only; an entry never holds a restricted value).

    A store-wide role sees every entry (of one case with ``case``); a role on
    some cases sees the entries of one of them. ``before`` pages back (entries
    older than that sequence number); ``entity``, ``action`` and ``by`` (the
    user who wrote it) filter.
    """
    with open_store(location) as store, store.transaction() as session:
        if case is not None or actor.role_for(None) is None:
            case = actor_case(session, actor, Action.audit_log, case).ref
        else:
            authorize(actor, Action.audit_log)
        rows = newest_entries(session, case=case, entity=entity, limit=limit, before=before, action=action,
                              actor=by)  # fmt: skip
    return [
        AuditEntry(
            r.seq,
            r.at,
            r.actor,
            r.case_ref,
            r.entity,
            r.entity_id,
            r.action,
            r.before_hash,
            r.after_hash,
            r.entry_hash,
        )
        for r in rows
    ]
