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

from .access import Action, Actor, authorize
from .keyring import Secrets, end_sessions, new_case_passphrase, start_session

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
        keys = unlock_keys(session, row, new_case_passphrase(secrets, row.ref))
        rewrap_keys(session, row, keys, new_passphrase, audit=AuditWriter(session, actor.name))


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
            passphrase = new_case_passphrase(secrets, ref)
            keys = begin_rotation(session, row, unlock_keys(session, row, passphrase), passphrase,
                                  audit=AuditWriter(session, actor.name))  # fmt: skip
        moved = 0
        while True:
            with store.transaction(write=True) as session:
                row = resolve_case(session, ref)
                done = rotate_batch(session, row, keys, audit=AuditWriter(session, actor.name), limit=batch)
            moved += done
            if progress is not None and done:
                progress(moved)
            if done == 0:
                break
        with store.transaction(write=True) as session:
            row = resolve_case(session, ref)
            if not finish_rotation(session, row, audit=AuditWriter(session, actor.name)):
                raise UserError("rows were added during the rotation; run rotate-key again")
    return moved
