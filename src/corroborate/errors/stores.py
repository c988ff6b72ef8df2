"""Errors about stores, cases and files written: not found, not a store, unreachable, outdated, backups."""

from __future__ import annotations

from collections.abc import Sequence

from .base import StoreError, UserError

__all__ = [
    "BackupFailed",
    "BackupInvalid",
    "CaseAmbiguous",
    "CaseExists",
    "CaseNotFound",
    "NotAStore",
    "OutputExists",
    "OutputFailed",
    "RestoreTargetNotEmpty",
    "StoreFailed",
    "StoreNotFound",
    "StoreOutdated",
    "StoreUnreachable",
]


class StoreNotFound(UserError):
    """No store exists at the given location."""

    def __init__(self, store: str) -> None:
        self.store = store
        super().__init__(f"no case store at {store} (create one with `corroborate init {store}`)")


class NotAStore(UserError):
    """A file given as a store that is not one (a text file, a backup, a casefile, an empty file).

    Nothing is written to it: the file is recognised before any database connection is made.
    """

    def __init__(self, store: str, what: str) -> None:
        self.store = store
        self.what = what
        super().__init__(f"{store} is not a Corroborate store ({what}); it was left as it is")


class CaseNotFound(UserError):
    """The store has no case with this id (``ANY_CASE``: the store holds no case at all)."""

    ANY_CASE = "(any)"

    def __init__(self, case_id: str, available: Sequence[str] = ()) -> None:
        self.case_id = case_id
        self.available = list(available)
        if case_id == self.ANY_CASE and not self.available:
            super().__init__("the store holds no case yet (add one with `corroborate import CASEFILE --store STORE`)")
            return
        known = f"; the store holds: {', '.join(self.available)}" if self.available else "; the store holds no case"
        super().__init__(f"no case {case_id!r}{known}")


class CaseAmbiguous(UserError):
    """The store holds several cases and the command did not say which."""

    def __init__(self, available: Sequence[str]) -> None:
        self.available = list(available)
        super().__init__(f"the store holds several cases ({', '.join(self.available)}); choose one with --case")


class CaseExists(UserError):
    """A case with this id is already in the store."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"case {case_id!r} is already in the store (use --replace to overwrite it)")


class StoreUnreachable(StoreError):
    """The database server could not be reached."""

    def __init__(self, store: str, reason: str) -> None:
        self.store = store
        super().__init__(f"cannot open store {store}: {reason}")


class StoreFailed(StoreError):
    """The database reported an error while working (disk full, locked, corrupted, read-only)."""

    def __init__(self, store: str, reason: str) -> None:
        self.store = store
        self.reason = reason
        super().__init__(f"database error in store {store}: {reason}")


class StoreOutdated(StoreError):
    """The store's schema is older or newer than this version of Corroborate."""

    def __init__(self, store: str, found: str | None, expected: str) -> None:
        self.store = store
        super().__init__(
            f"store {store} is at schema revision {found or 'none'}, expected {expected}; "
            f"run `corroborate init {store}` to upgrade"
        )


class BackupInvalid(UserError):
    """A backup file that is not a Corroborate backup, was altered, or needs another passphrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot restore: {reason}")


class RestoreTargetNotEmpty(UserError):
    """Restore writes only into a location that holds no store yet."""

    def __init__(self, store: str) -> None:
        self.store = store
        super().__init__(f"{store} already holds a store; restore into a new location")


class BackupFailed(UserError):
    """The backup file could not be written (disk full, no permission); nothing was left behind."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"cannot write backup {path}: {reason}")


class OutputExists(UserError):
    """An output file is already there; it is overwritten only when the user says so (--force)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} already exists; give --force to overwrite it")


class OutputFailed(UserError):
    """An output file could not be written (no such folder, no permission, disk full); nothing was left."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}; nothing was written")
