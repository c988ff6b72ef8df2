"""Use cases on case keys: unlock and lock sessions, change the passphrase, rotate the data key.

Changing the passphrase or the data key must leave no old key and no old
ciphertext in the store's files. On SQLite the old page versions live on in
the write-ahead log and in the database file until the log is checkpointed,
so both use cases refuse to start while another connection has a
transaction open on the store, and fold the log into the file and empty it
when they are done (freed pages are zeroed: ``secure_delete``).
"""

from __future__ import annotations

from corroborate.domain import Tick
from corroborate.errors import UserError
from corroborate.store import (
    AuditWriter,
    CaseKeys,
    Store,
    begin_rotation,
    finish_rotation,
    held_elsewhere,
    open_store,
    resolve_case,
    rewrap_keys,
    rotate_batch,
    truncate_wal,
    unlock_keys,
)
from corroborate.store.keys import next_key_version
from corroborate.store.signing import SCAN, open_secret, reseal_secrets

from .access import Action, Actor
from .cases import actor_case, case_write
from .passphrases import check_passphrase
from .scanning import rebuild_scan_index
from .signing import check_seen_head, remember_head, sign_case
from .unlocking import (
    Secrets,
    case_passphrase,
    check_session_minutes,
    end_sessions,
    start_scan_session,
    start_session,
)

__all__ = ["lock", "open_keys", "open_scan_key", "rebuild_index", "rekey", "rotate_key", "unlock"]

# How long to wait for other connections' transactions to end before and after changing keys.
CHECKPOINT_WAIT_MS = 3000


def unlock(
    location: str, *, actor: Actor, secrets: Secrets, minutes: int, case: str | None = None, scan_only: bool = False
) -> str:
    """Check the passphrase and start an unlock session (1 minute to 24 hours); return its token.

    With ``scan_only`` the session holds only the case's scan secret: enough for
    an editor's disclosure checks against the keyed scan index, and for nothing
    that opens an identity.
    """
    check_session_minutes(minutes)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.unlock, case)
        keys = unlock_keys(session, row, case_passphrase(secrets, row.ref))
        if not scan_only:
            return start_session(secrets, location, keys, minutes=minutes, token=secrets.session_token)
        scan = open_secret(session, row, keys, SCAN)
        if scan is None:
            raise UserError(f"case {row.ref!r} has no scan key yet: run `corroborate scan-index` on the store first")
        return start_scan_session(secrets, location, row.ref, scan, minutes=minutes, token=secrets.session_token)


def open_keys(location: str, *, actor: Actor, passphrase: str, case: str) -> CaseKeys:
    """Check the passphrase and return the case's opened keys, writing no session (the caller seals them)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.unlock, case)
        return unlock_keys(session, row, passphrase)


def open_scan_key(location: str, *, actor: Actor, passphrase: str, case: str) -> bytes:
    """Check the passphrase and return the case's scan secret alone (for editors' blind checks)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.unlock, case)
        scan = open_secret(session, row, unlock_keys(session, row, passphrase), SCAN)
        if scan is None:
            raise UserError(f"case {row.ref!r} has no scan key yet: run `corroborate scan-index` on the store first")
        return scan


def rebuild_index(location: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> None:
    """Build the case's keyed scan index anew (and its scan key, for a case made before them)."""
    with case_write(location, actor=actor, action=Action.edit_identities, secrets=secrets, case=case) as w:
        rebuild_scan_index(w.session, w.row, w.keys, w.audit)


def lock(location: str, *, secrets: Secrets, cases: list[str]) -> int:
    """End the unlock sessions of these cases (and delete every expired one); return how many ended."""
    return end_sessions(secrets, location, cases)


def _refuse_if_held(store: Store, command: str) -> None:
    """UserError when another connection keeps a transaction open on the store (SQLite)."""
    if held_elsewhere(store, wait_ms=CHECKPOINT_WAIT_MS):
        raise UserError(
            f"another program has the store open (a running command, a backup, the web app); close it and run "
            f"`{command}` again: with the store held, the old key would stay in its write-ahead log"
        )


def _clear_old_pages(store: Store, changed: str) -> None:
    """Fold the write-ahead log into the file and empty it; say so plainly when another connection prevents it."""
    if not truncate_wal(store, wait_ms=CHECKPOINT_WAIT_MS):
        raise UserError(
            f"the {changed} was changed, but another program kept the store open, so the old key may stay in "
            "its write-ahead log until that program ends; close every program using the store (the last one "
            "to close folds the log into the file)"
        )


def rekey(location: str, new_passphrase: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> None:
    """Wrap the case's data keys under a new passphrase; no data is re-encrypted."""
    with open_store(location) as store:
        with store.transaction() as session:
            ref = actor_case(session, actor, Action.rekey, case).ref
        check_passphrase(new_passphrase, what="new passphrase", context=[ref])
        _refuse_if_held(store, "rekey")
        with store.transaction(write=True) as session:
            row = resolve_case(session, ref)
            check_seen_head(session, secrets, location=location)
            keys = unlock_keys(session, row, case_passphrase(secrets, ref))
            audit = AuditWriter(session, actor.name)
            sign_case(session, row, keys, audit)
            rewrap_keys(session, row, keys, new_passphrase, audit=audit)
        remember_head(secrets, audit, location=location)
        _clear_old_pages(store, "passphrase")


def rotate_key(
    location: str, *, actor: Actor, secrets: Secrets, case: str | None = None, batch: int = 200,
    progress: Tick | None = None,
) -> int:  # fmt: skip
    """Re-encrypt every restricted field under a new data key; resumable; return rows moved.

    Each batch is its own transaction: interrupting leaves every row readable
    (old or new key) and running it again carries on where it stopped.
    """
    if batch < 1:
        raise UserError(f"--batch must be at least 1 (rows re-encrypted per transaction), not {batch}")
    with open_store(location) as store:
        with store.transaction() as session:
            ref = actor_case(session, actor, Action.rotate_key, case).ref
        _refuse_if_held(store, "rotate-key")
        with store.transaction(write=True) as session:
            row = resolve_case(session, ref)
            check_seen_head(session, secrets, location=location)
            passphrase = case_passphrase(secrets, ref)
            audit = AuditWriter(session, actor.name)
            keys = unlock_keys(session, row, passphrase)
            sign_case(session, row, keys, audit)
            keys = begin_rotation(session, row, keys, passphrase, audit=audit)
        moved = 0
        while True:
            with store.transaction(write=True) as session:
                row = resolve_case(session, ref)
                audit = AuditWriter(session, actor.name)
                sign_case(session, row, keys, audit)
                done = rotate_batch(session, row, keys, audit=audit, limit=batch)
            moved += done
            if progress is not None and done:
                progress(moved)
            if done == 0:
                break
        with store.transaction(write=True) as session:
            row = resolve_case(session, ref)
            audit = AuditWriter(session, actor.name)
            sign_case(session, row, keys, audit)
            version = next_key_version(session, row)
            if version is not None:
                reseal_secrets(session, row, keys, version=version, audit=audit)
            if not finish_rotation(session, row, audit=audit):
                raise UserError("rows were added during the rotation; run rotate-key again")
            rebuild_scan_index(session, row, keys, audit)  # its seal names the ciphertexts it was built from
        remember_head(secrets, audit, location=location)
        _clear_old_pages(store, "data key")
    return moved
