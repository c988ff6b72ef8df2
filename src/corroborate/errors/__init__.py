"""The one exception tree of Corroborate.

Errors are raised deep and rendered once, at the edge (the CLI turns them into
one line and an exit code). Messages never contain restricted witness fields:
an error names a field path, a line, an id or a pseudonym, never a value read
from a ``restricted`` section. The classes live in modules by what they are
about (``inputs``, ``stores``, ``security``, ``records``); import them from here.

    CorroborateError
    ├── UserError                  a mistake the user can fix; exit code 2
    │   ├── CasefileInvalid        every problem of a casefile at once
    │   ├── DataFileInvalid        every problem of a data file (law book, thesaurus, gazetteer, style ...)
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
    │   ├── TooManyAttempts        too many failed sign-ins lately for a name or an address
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
    │   ├── RestoreTargetNotEmpty  restoring over an existing store
    │   ├── RecordNotFound         no record of that kind and id (perhaps deleted meanwhile, by whom and when)
    │   ├── RecordExists           a new record whose id the case already has
    │   ├── RecordConflict         a change naming a version someone else changed since; nothing written
    │   ├── RecordInvalid          a record that does not agree with the records around it
    │   ├── RecordInUse            a record others point to, which would leave them pointing at nothing
    │   ├── VersionNeeded          a change through the API that names no version read (If-Match)
    │   ├── RequestForged          a browser's change without its session's form token
    │   ├── SourceHasAttachments   a replaced case would leave out sources that have attachments
    │   └── PassageInvalid         a passage chosen in an evidence file's text that is not there
    └── StoreError                 the database failed us; exit code 3
        ├── StoreUnreachable       cannot connect
        ├── StoreOutdated          schema older than this code; run `init`
        ├── StoreFailed            the database reported an error (disk, lock, corruption)
        ├── SealedFieldInvalid     an encrypted field failed authentication (altered or moved)
        ├── AuditTampered          the audit log was written without the case key; nothing more is written
        └── AttachmentDamaged      an attachment's content fails its seal, its size or its SHA-256
"""

from .base import CorroborateError, Problem, StoreError, UserError
from .inputs import CasefileInvalid, DataFileInvalid, InvalidAge, InvalidFuzzyDate, UnknownPlace, UnknownWitness
from .records import (
    AttachmentDamaged,
    PassageInvalid,
    RecordConflict,
    RecordExists,
    RecordInUse,
    RecordInvalid,
    RecordNotFound,
    SourceHasAttachments,
    VersionNeeded,
)
from .security import (
    AuditTampered,
    CaseLocked,
    DisclosureBlocked,
    DisclosureSuspended,
    Forbidden,
    NotAuthenticated,
    PassphraseNeeded,
    RequestForged,
    ScanIndexUnusable,
    SealedFieldInvalid,
    SigningKeyNeeded,
    TooManyAttempts,
    TrustMismatch,
    WrongPassphrase,
)
from .stores import (
    BackupFailed,
    BackupInvalid,
    CaseAmbiguous,
    CaseExists,
    CaseNotFound,
    NotAStore,
    OutputExists,
    OutputFailed,
    RestoreTargetNotEmpty,
    StoreFailed,
    StoreNotFound,
    StoreOutdated,
    StoreUnreachable,
)

__all__ = [
    "AttachmentDamaged",
    "AuditTampered",
    "BackupFailed",
    "BackupInvalid",
    "CaseAmbiguous",
    "CaseExists",
    "CaseLocked",
    "CaseNotFound",
    "CasefileInvalid",
    "CorroborateError",
    "DataFileInvalid",
    "DisclosureBlocked",
    "DisclosureSuspended",
    "Forbidden",
    "InvalidAge",
    "InvalidFuzzyDate",
    "NotAStore",
    "NotAuthenticated",
    "TooManyAttempts",
    "OutputExists",
    "OutputFailed",
    "PassageInvalid",
    "PassphraseNeeded",
    "RequestForged",
    "Problem",
    "RecordConflict",
    "RecordExists",
    "RecordInUse",
    "RecordInvalid",
    "RecordNotFound",
    "RestoreTargetNotEmpty",
    "ScanIndexUnusable",
    "SealedFieldInvalid",
    "SigningKeyNeeded",
    "SourceHasAttachments",
    "VersionNeeded",
    "StoreError",
    "StoreFailed",
    "StoreNotFound",
    "StoreOutdated",
    "StoreUnreachable",
    "TrustMismatch",
    "UnknownPlace",
    "UnknownWitness",
    "UserError",
    "WrongPassphrase",
]
