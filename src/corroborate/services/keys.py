"""Use cases on case keys: unlock and lock sessions, change the passphrase, rotate the data key."""

from __future__ import annotations

from collections.abc import Callable

from corroborate.errors import UserError
from corroborate.store import (
    AuditWriter,
    begin_rotation,
    finish_rotation,
    open_store,
    resolve_case,
    rewrap_keys,
    rotate_batch,
    unlock_keys,
)
from corroborate.store.keys import next_key_version
from corroborate.store.signing import reseal_secrets

from .access import Action, Actor, authorize
from .keyring import Secrets, end_sessions, new_case_passphrase, start_session
from .signing import check_seen_head, remember_head, sign_case

__all__ = ["lock", "rekey", "rotate_key", "unlock"]


def unlock(location: str, *, actor: Actor, secrets: Secrets, minutes: int, case: str | None = None) -> str:
    """Check the passphrase and start an unlock session; return its token."""
    with open_store(location) as store, store.transaction() as session:
        row = resolve_case(session, case)
        authorize(actor, Action.unlock, case=row.ref)
        keys = unlock_keys(session, row, new_case_passphrase(secrets, row.ref))
        return start_session(secrets, location, keys, minutes=minutes, token=secrets.session_token)


def lock(location: str, *, secrets: Secrets, cases: list[str]) -> int:
    """End the unlock sessions of these cases; return how many ended."""
    return end_sessions(secrets, location, cases)


def rekey(location: str, new_passphrase: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> None:
    """Wrap the case's data keys under a new passphrase; no data is re-encrypted."""
    if len(new_passphrase) < 8:
        raise UserError("a passphrase needs at least 8 characters")
    with open_store(location) as store, store.transaction(write=True) as session:
        row = resolve_case(session, case)
        authorize(actor, Action.rekey, case=row.ref)
        check_seen_head(session, secrets, location=location)
        keys = unlock_keys(session, row, new_case_passphrase(secrets, row.ref))
        audit = AuditWriter(session, actor.name)
        sign_case(session, row, keys, audit)
        rewrap_keys(session, row, keys, new_passphrase, audit=audit)
    remember_head(secrets, audit, location=location)


def rotate_key(
    location: str, *, actor: Actor, secrets: Secrets, case: str | None = None, batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Re-encrypt every restricted field under a new data key; resumable; return rows moved.

    Each batch is its own transaction: interrupting leaves every row readable
    (old or new key) and running it again carries on where it stopped.
    """
    with open_store(location) as store:
        with store.transaction(write=True) as session:
            row = resolve_case(session, case)
            ref = row.ref
            authorize(actor, Action.rotate_key, case=ref)
            check_seen_head(session, secrets, location=location)
            passphrase = new_case_passphrase(secrets, ref)
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
    remember_head(secrets, audit, location=location)
    return moved
