"""Errors of keys, sign-in, roles, the audit log and disclosure checks."""

from __future__ import annotations

from collections.abc import Sequence

from .base import StoreError, UserError

__all__ = [
    "RequestForged",
    "TooManyAttempts",
    "AuditTampered",
    "CaseLocked",
    "DisclosureBlocked",
    "DisclosureSuspended",
    "Forbidden",
    "NotAuthenticated",
    "PassphraseNeeded",
    "ScanIndexUnusable",
    "SealedFieldInvalid",
    "SigningKeyNeeded",
    "TrustMismatch",
    "WrongPassphrase",
]


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


class TooManyAttempts(UserError):
    """Too many failed sign-ins (or wrong passphrases) for this name or from this address lately; the next
    try must wait."""

    def __init__(self, retry_after: int, *, what: str = "sign-ins") -> None:
        self.retry_after = retry_after
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(f"too many failed {what}; try again in {minutes} minute{'s' if minutes > 1 else ''}")


class Forbidden(UserError):
    """The actor's role does not allow the action."""

    def __init__(self, user: str, role: str | None, action: str, case_id: str | None = None) -> None:
        self.user, self.role, self.action, self.case_id = user, role, action, case_id
        where = f" on case {case_id!r}" if case_id else ""
        super().__init__(f"{user} ({role or 'no role'}) may not {action.replace('_', ' ')}{where}")


class RequestForged(UserError):
    """A change from a browser that did not carry its session's form token (it may come from another site)."""

    def __init__(self, where: str = "form") -> None:
        super().__init__(f"this {where} did not carry this session's form token; reload the page and try again")


class DisclosureBlocked(UserError):
    """A publication failed a disclosure check; nothing was written. There is no override."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"publication blocked by {len(self.problems)} disclosure problem(s); nothing was written")


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
        self.cases, self.legacy = list(cases), legacy
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
