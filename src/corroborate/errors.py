"""The one exception tree of Corroborate.

Errors are raised deep and rendered once, at the edge (the CLI turns them into
one line and an exit code). Messages never contain restricted witness fields:
an error names a field path, a line, an id or a pseudonym, never a value read
from a ``restricted`` section.

    CorroborateError
    ├── UserError                  a mistake the user can fix; exit code 2
    │   ├── CasefileInvalid        every problem of a casefile at once
    │   ├── UnknownPlace           a place name the gazetteer does not know
    │   ├── InvalidFuzzyDate       text that is neither EDTF nor a known phrase
    │   ├── InvalidAge             text that is no age or age band
    │   ├── StoreNotFound          a store path/URL that holds no store
    │   ├── NotAStore              a file that is something else (text, backup, casefile, empty)
    │   ├── CaseNotFound           no case with that id in the store
    │   ├── CaseAmbiguous          several cases in a store, none chosen
    │   ├── CaseExists             importing a case id that is already there
    │   ├── WrongPassphrase        a passphrase (or session) that does not unlock the case
    │   ├── CaseLocked             restricted data needed but no passphrase available
    │   ├── PassphraseNeeded       a case to import and lock, but no passphrase to lock it with
    │   ├── NotAuthenticated       unknown user, wrong password or one-time code
    │   ├── Forbidden              the user's role does not allow the action
    │   ├── UnknownWitness         no witness with that pseudonym
    │   ├── BackupInvalid          a backup file that cannot be read or was altered
    │   ├── BackupFailed           a backup file that could not be written
    │   ├── DisclosureBlocked      a publication that fails a disclosure check
    │   ├── SigningKeyNeeded       a write that must be signed with a case key nobody gave
    │   ├── TrustMismatch          a fingerprint that is not the store's signing key
    │   ├── ScanIndexUnusable      a case's leak scan index is missing or out of date
    │   ├── DisclosureSuspended    a user's disclosure checks are suspended after too many hits
    │   ├── OutputExists           an output file that is already there (no --force)
    │   ├── OutputFailed           an output file that could not be written; nothing was left behind
    │   └── RestoreTargetNotEmpty  restoring over an existing store
    └── StoreError                 the database failed us; exit code 3
        ├── StoreUnreachable       cannot connect
        ├── StoreOutdated          schema older than this code; run `init`
        ├── StoreFailed            the database reported an error (disk, lock, corruption)
        ├── SealedFieldInvalid     an encrypted field failed authentication (altered or moved)
        └── AuditTampered          the audit log was written without the case key; nothing more is written
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AuditTampered",
    "CaseAmbiguous",
    "BackupFailed",
    "BackupInvalid",
    "CaseExists",
    "CaseLocked",
    "Forbidden",
    "NotAuthenticated",
    "RestoreTargetNotEmpty",
    "UnknownWitness",
    "WrongPassphrase",
    "CaseNotFound",
    "CasefileInvalid",
    "CorroborateError",
    "DisclosureBlocked",
    "InvalidAge",
    "InvalidFuzzyDate",
    "NotAStore",
    "OutputExists",
    "OutputFailed",
    "PassphraseNeeded",
    "Problem",
    "SealedFieldInvalid",
    "StoreError",
    "StoreFailed",
    "StoreNotFound",
    "StoreOutdated",
    "StoreUnreachable",
    "SigningKeyNeeded",
    "TrustMismatch",
    "ScanIndexUnusable",
    "DisclosureSuspended",
    "UnknownPlace",
    "UserError",
]


class CorroborateError(Exception):
    """Base of every error Corroborate raises on purpose."""

    exit_code = 1


class UserError(CorroborateError):
    """A mistake in what the user asked for or supplied."""

    exit_code = 2


class StoreError(CorroborateError):
    """The case store could not do what was asked."""

    exit_code = 3


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or '(top)'}: {self.message}"


class CasefileInvalid(UserError):
    """A casefile has problems; nothing was imported."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in casefile; nothing was imported")


class UnknownPlace(UserError):
    """The gazetteer has no place of this name."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown place {name!r}{hint}")


class InvalidFuzzyDate(UserError):
    """Text that cannot be read as an EDTF date or a known fuzzy phrase."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"not a date: {text!r} (use EDTF, e.g. 2006-11-28, 2004-09/2004-12, 2006)")


class InvalidAge(UserError):
    """Text that cannot be read as an age or an age band."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"not an age or age band: {text!r} (e.g. 32, 50-59, 'in her fifties')")


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


class WrongPassphrase(UserError):
    """The passphrase, key file or session does not unlock the case; nothing was changed."""

    def __init__(self, case_id: str | None = None) -> None:
        self.case_id = case_id
        where = f" case {case_id!r}" if case_id else " the case"
        super().__init__(f"wrong passphrase: it does not unlock{where}; nothing was changed")


class CaseLocked(UserError):
    """Restricted data is needed but no passphrase was given and none can be asked for."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"case {case_id!r} is locked: set CORROBORATE_PASSPHRASE or CORROBORATE_KEY_FILE, "
            "run `corroborate unlock`, or run in a terminal to be asked"
        )


class PassphraseNeeded(UserError):
    """An imported case is locked with a passphrase, and none was given; nothing was written."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"importing case {case_id!r} locks it with a passphrase, and none was given: set "
            "CORROBORATE_PASSPHRASE or CORROBORATE_KEY_FILE, or run in a terminal to be asked; nothing was written"
        )


class NotAuthenticated(UserError):
    """The user could not be authenticated (the message never says which part was wrong)."""

    def __init__(self, reason: str = "unknown user or wrong password") -> None:
        super().__init__(f"not signed in: {reason}")


class Forbidden(UserError):
    """The actor's role does not allow the action."""

    def __init__(self, user: str, role: str | None, action: str, case_id: str | None = None) -> None:
        self.user, self.role, self.action, self.case_id = user, role, action, case_id
        where = f" on case {case_id!r}" if case_id else ""
        super().__init__(f"{user} ({role or 'no role'}) may not {action.replace('_', ' ')}{where}")


class UnknownWitness(UserError):
    """No witness with this pseudonym in the case."""

    def __init__(self, pseudonym: str) -> None:
        self.pseudonym = pseudonym
        # Only a pseudonym is repeated: text of another shape may be a name typed in the wrong place.
        shown = repr(pseudonym) if re.fullmatch(r"W-\d{1,6}", pseudonym) else "(not a pseudonym such as W-007)"
        super().__init__(f"no witness {shown} in the case")


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


class DisclosureBlocked(UserError):
    """A publication failed a disclosure check; nothing was written. There is no override."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"publication blocked by {len(self.problems)} disclosure problem(s); nothing was written")


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


class SealedFieldInvalid(StoreError):
    """An encrypted field does not authenticate: it was altered, or moved from another row."""

    def __init__(self) -> None:
        super().__init__(
            "an encrypted field failed authentication (altered, or copied from another row); "
            "run `corroborate audit verify` to find the entry"
        )


class AuditTampered(StoreError):
    """The audit log holds entries no case key signed (or a broken signature); nothing more is written."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the audit log was changed without the case key: {reason}")


class SigningKeyNeeded(UserError):
    """A write must be signed with keys of cases that were not unlocked; nothing was written."""

    def __init__(self, cases: Sequence[str], *, legacy: bool = False) -> None:
        self.cases = list(cases)
        names = ", ".join(repr(c) for c in self.cases)
        if legacy:
            message = (f"case {names} was made before audit logs were signed: run `corroborate audit sign` "
                       "with its passphrase first; nothing was written")  # fmt: skip
        else:
            message = (f"this change is signed in the audit log with the key of case {names}: give its passphrase "
                       "(CORROBORATE_PASSPHRASE, CORROBORATE_KEY_FILE) or run `corroborate unlock`; nothing was "
                       "written")  # fmt: skip
        super().__init__(message)


class TrustMismatch(UserError):
    """The fingerprint a user gave is not the store's signing key of that case."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(
            f"the fingerprint given is not the signing key of case {case_id!r} in this store; nothing was pinned"
        )


class ScanIndexUnusable(UserError):
    """A case's leak scan index is missing, out of date, or does not open with the scan key given."""

    def __init__(
        self, case_id: str, reason: str, *, fix: str = "an owner or investigator must run `corroborate scan-index`"
    ) -> None:
        self.case_id, self.reason = case_id, reason
        super().__init__(f"cannot check case {case_id!r} without its identities: {reason}; {fix}")


class DisclosureSuspended(UserError):
    """A user who may not see identities hit restricted values too often; their checks wait for an owner."""

    def __init__(self, user: str, case_id: str, hits: int) -> None:
        self.user, self.case_id, self.hits = user, case_id, hits
        super().__init__(
            f"disclosure checks by {user} on case {case_id!r} are suspended after {hits} restricted value(s) were "
            "found in a day; an owner must lift it (`corroborate disclosure lift`)"
        )
