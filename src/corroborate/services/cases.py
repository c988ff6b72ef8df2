"""Use cases on whole cases: create a store, import and export casefiles, summarise, list.

The CLI and (later) the web app call these; they never print. Every function
checks the actor's role first. Long work reports progress through an optional
callback ``progress(done, total)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from corroborate.domain import Case, Progress, Tick
from corroborate.errors import (
    CaseAmbiguous,
    CaseExists,
    CaseLocked,
    CaseNotFound,
    Forbidden,
    PassphraseNeeded,
)
from corroborate.ingest import dump_case
from corroborate.store import (
    AuditWriter,
    CaseCounts,
    CaseKeys,
    case_counts,
    case_refs,
    create_store,
    delete_case,
    discard_store_file,
    find_case,
    insert_case,
    insert_case_content,
    is_new_store,
    load_case,
    open_store,
    resolve_case,
    setup_keys,
)
from corroborate.store.accounts import case_members, restore_members
from corroborate.store.attachments import CarriedAttachment, detach_attachments, reattach_attachments
from corroborate.store.audit import case_signing_keys
from corroborate.store.auditlog import log_head
from corroborate.store.personlists import CarriedList, detach_person_lists, reattach_person_lists
from corroborate.store.schema import CaseRow
from corroborate.store.signing import fingerprint

from .access import Action, Actor, authorize
from .casefiles import check_output, read_casefile, write_output
from .scanning import carry_scan_secret, rebuild_scan_index
from .signing import carry_signing_key, check_seen_head, new_case_signing_key, remember_head, sign_case
from .unlocking import Secrets, case_keys, case_passphrase, new_case_passphrase

__all__ = [
    "CaseCounts",
    "ImportResult",
    "actor_case",
    "Progress",
    "CaseWrite",
    "case_ids",
    "case_write",
    "export_case",
    "export_casefile",
    "import_case",
    "import_casefile",
    "init_store",
    "kept_open",
    "summary",
    "ticker",
]


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    case: str
    rows: int
    counts: CaseCounts
    fingerprint: str | None = None  # of the case's audit signing key, to keep on paper


def actor_case(session: Session, actor: Actor, action: Action, case: str | None) -> CaseRow:
    """The case an action works on, once the actor may do it there (``authorize``); names only their cases.

    A user whose roles are on some cases only never learns the ids of the
    others: a case they name but have no role on is Forbidden whether or not
    it exists, and without ``case`` the only case they have a role on is
    theirs by default. A store-wide role sees every case.
    """
    if actor.role_for(None) is not None:
        row = resolve_case(session, case)
    else:
        mine = [ref for ref in case_refs(session) if actor.role_for(ref) is not None]
        if case is None:
            if not mine:
                raise Forbidden(actor.name, None, action.value)
            if len(mine) > 1:
                raise CaseAmbiguous(mine)
            case = mine[0]
        elif actor.role_for(case) is None:
            raise Forbidden(actor.name, None, action.value, case)
        try:
            row = resolve_case(session, case)
        except CaseNotFound:  # deleted meanwhile; list only the actor's cases
            raise CaseNotFound(case, mine) from None
    authorize(actor, action, case=row.ref)
    return row


@dataclass(frozen=True)
class CaseWrite:
    """What a signed write on one case works with."""

    session: Session
    row: CaseRow
    keys: CaseKeys
    audit: AuditWriter


@contextmanager
def case_write(
    location: str, *, actor: Actor, action: Action, secrets: Secrets, case: str | None
) -> Iterator[CaseWrite]:
    """One write transaction on a case the actor may ``action``, its keys unlocked and its writes signed.

    Refuses to start on a log that lost entries the user saw; remembers the new
    head once committed.
    """
    with open_store(location) as store, store.transaction(write=True) as session:
        row = actor_case(session, actor, action, case)
        check_seen_head(session, secrets, location=location)
        keys = case_keys(session, row, secrets, location=location)
        audit = AuditWriter(session, actor.name)
        sign_case(session, row, keys, audit)
        yield CaseWrite(session, row, keys, audit)
    remember_head(secrets, audit, location=location)


@contextmanager
def kept_open(location: str) -> Iterator[None]:
    """Keep the store's connections for as long as this lasts (a server's life).

    Each use case opens and closes the store; while one store stays open here, the connections are
    pooled between calls instead of made anew (on PostgreSQL a new connection is most of the cost of
    a small write). Raises what opening the store raises (missing, outdated, unreachable).
    """
    with open_store(location):
        yield


def init_store(location: str) -> str:
    """Create a store (or bring its schema up to date); return its schema revision."""
    with create_store(location) as store:
        revision = store.revision()
        assert revision is not None
        return revision


def _row_count(case: Case) -> int:
    identities = sum(1 for w in case.witnesses if w.restricted is not None)
    sections = (
        "witnesses",
        "interviews",
        "documents",
        "excerpts",
        "propositions",
        "claims",
        "recommendations",
    )
    return 1 + identities + sum(len(getattr(case, name)) for name in sections)


def ticker(total: int, progress: Progress | None) -> Tick:
    """A counter of rows written that reports ``progress(done, total)``."""
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    return tick


def _lock_passphrase(secrets: Secrets, ref: str, *, replace: bool) -> str:
    """The passphrase a case being imported is locked with; asked for before anything is created.

    A new case's passphrase must pass the policy; a replaced case keeps the one it has.
    """
    try:
        return case_passphrase(secrets, ref) if replace else new_case_passphrase(secrets, ref)
    except CaseLocked:
        raise PassphraseNeeded(ref) from None


def _write_case(
    session: Session, case: Case, existing: CaseRow | None, *, passphrase: str, audit: AuditWriter,
    tick: Tick, old_keys: CaseKeys | None = None,
) -> tuple[CaseCounts, dict[str, bytes]]:  # fmt: skip
    """Replace ``existing`` (if any) by ``case`` inside the caller's transaction; users keep their roles.

    A replaced case keeps its signing key (so users' pinned keys stay right), its
    attachments, carried onto the new rows of their interviews and documents (refused
    when one of those is left out), and its person lists. Returns the counts and, for a new signing key, the
    public key to pin.
    """
    members: list[tuple[int, str]] = []
    carried = carried_scan = None
    files: list[CarriedAttachment] = []
    lists: list[CarriedList] = []
    if existing is not None:
        assert old_keys is not None
        carried = carry_signing_key(session, existing, old_keys)
        carried_scan = carry_scan_secret(session, existing, old_keys)
        members = case_members(session, existing.pk)
        sources = {v.id for v in case.interviews} | {d.id for d in case.documents}
        files = detach_attachments(session, existing, old_keys, sources=sources)
        lists = detach_person_lists(session, existing, old_keys)
        delete_case(session, existing, audit=audit)
    row = insert_case(session, case.case, audit=audit)
    restore_members(session, row, members, audit=audit)
    keys = setup_keys(session, row, passphrase, audit=audit)
    new_case_signing_key(session, row, keys, audit, carried=carried)
    insert_case_content(session, row, case, keys=keys, audit=audit, progress=tick)
    reattach_attachments(session, row, keys, files, audit=audit)
    reattach_person_lists(session, row, keys, lists, audit=audit)
    rebuild_scan_index(session, row, keys, audit, carried=carried_scan)
    return case_counts(session, row.ref), case_signing_keys(session, case_pk=row.pk)


def import_case(
    location: str, case: Case, *, actor: Actor, secrets: Secrets, replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Write a validated case into a store (created when missing) in one transaction.

    A new case is locked with the passphrase ``secrets`` gives for it, asked for
    before the store is created (without one, nothing is created); replacing
    a case needs that case's passphrase (or a live session) as proof.
    """
    ref = case.case.id
    authorize(actor, Action.replace_case if replace else Action.import_case, case=ref)
    passphrase = _lock_passphrase(secrets, ref, replace=replace)
    total = _row_count(case)
    new = is_new_store(location)
    try:
        with create_store(location) as store, store.transaction(write=True) as session:
            check_seen_head(session, secrets, location=location)
            existing = find_case(session, ref)
            old_keys = None
            if existing is not None:
                if not replace:
                    raise CaseExists(ref)
                old_keys = case_keys(session, existing, secrets, location=location)  # proves the caller may unlock
            audit = AuditWriter(session, actor.name)
            counts, public = _write_case(session, case, existing, passphrase=passphrase, audit=audit,
                                         tick=ticker(total, progress), old_keys=old_keys)  # fmt: skip
    except BaseException:  # Ctrl-C included: a store this import made, and did not fill, is not left behind
        if new:
            discard_store_file(location)
        raise
    remember_head(secrets, audit, location=location, pin=public)
    if progress is not None:
        progress(total, total)
    return ImportResult(case=ref, rows=total, counts=counts, fingerprint=fingerprint(public[ref]) if public else None)


def import_casefile(
    location: str, path: str | Path, *, actor: Actor, secrets: Secrets, replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:  # fmt: skip
    """Validate a casefile and import it; nothing is written when any problem exists."""
    case = read_casefile(path)
    return import_case(location, case, actor=actor, secrets=secrets, replace=replace, progress=progress)


def export_casefile(
    location: str,
    *,
    actor: Actor,
    secrets: Secrets | None = None,
    case: str | None = None,
    public: bool = False,
    out: str | Path | None = None,
    force: bool = False,
) -> str:
    """A case as casefile text; also written to ``out`` (whole or not at all; an existing file only with ``force``)."""
    if out is not None:
        check_output(out, force=force)  # before asking for a passphrase
    text = dump_case(export_case(location, actor=actor, secrets=secrets, case=case, public=public), public=public)
    if out is not None:
        write_output(out, text, force=force)
    return text


def export_case(
    location: str,
    *,
    actor: Actor,
    secrets: Secrets | None = None,
    case: str | None = None,
    public: bool = False,
) -> Case:
    """The whole case; with ``public`` (or without keys) restricted identities are left out."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.export_public if public else Action.export_full, case)
        if public:
            return load_case(session, row.ref)
        keys = case_keys(session, row, secrets or Secrets(), location=location)
        return load_case(session, row.ref, keys=keys)


def case_ids(location: str, *, actor: Actor) -> list[str]:
    """Ids of the cases a store holds that the actor has a role on."""
    with open_store(location) as store, store.transaction() as session:
        return [ref for ref in case_refs(session) if actor.role_for(ref) is not None]


# Counts kept per store and case with the audit log's head they were counted at: a case of a million claims
# takes 100-250 ms to count, and nothing changes the counts without moving the head (every write is audited).
_counted: dict[tuple[str, str], tuple[tuple[int, str] | None, CaseCounts]] = {}
_KEPT_COUNTS = 64  # stores and cases whose counts are kept at once


def summary(location: str, *, actor: Actor, case: str | None = None) -> CaseCounts:
    """Counts of witnesses, places of origin, interviews, documents, excerpts, claims, propositions (counted
    again only when the case's store changed since they were last counted in this process)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.summary, case)
        head = log_head(session)
        kept = _counted.get((location, row.ref))
        if kept is not None and kept[0] == head and head is not None:
            return _copied(kept[1])
        counts = case_counts(session, row.ref)
    if len(_counted) >= _KEPT_COUNTS:
        _counted.clear()
    _counted[location, row.ref] = (head, _copied(counts))
    return counts


def _copied(counts: CaseCounts) -> CaseCounts:
    """The counts with fresh copies of what could be changed in place (the kept ones are never handed out)."""
    return dataclasses.replace(counts, nationalities=dict(counts.nationalities), origins=list(counts.origins))
