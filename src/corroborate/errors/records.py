"""Errors of changes to one record at a time (versions, references, ids) and of evidence files."""

from __future__ import annotations

from collections.abc import Sequence

from .base import StoreError, UserError

__all__ = [
    "AttachmentDamaged",
    "PassageInvalid",
    "RecordConflict",
    "RecordExists",
    "RecordInUse",
    "RecordInvalid",
    "RecordNotFound",
    "SourceHasAttachments",
    "VersionNeeded",
]


def _changed(by: str | None, at: str | None) -> str:
    return f" by {by} at {at}" if by and at else ""


class RecordNotFound(UserError):
    """The case has no record of this kind and id (it may have been deleted meanwhile)."""

    def __init__(
        self, kind: str, ref: str, case_id: str, *, by: str | None = None, at: str | None = None, hint: str = ""
    ) -> None:
        self.kind, self.ref, self.case_id = kind, ref, case_id
        gone = f" (deleted{_changed(by, at)}); nothing was written" if by else ""
        super().__init__(f"no {kind} {ref!r} in case {case_id!r}{gone}{hint}")


class RecordExists(UserError):
    """A record with this id is already in the case."""

    def __init__(self, kind: str, ref: str, case_id: str, *, as_kind: str | None = None) -> None:
        self.kind, self.ref, self.case_id = kind, ref, case_id
        noun = as_kind or kind
        what = f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
        super().__init__(f"case {case_id!r} already has {what} {ref!r}; nothing was written")


class RecordConflict(UserError):
    """Someone changed (or deleted) a record after this user read it: their change is refused, nothing written."""

    def __init__(
        self, kind: str, ref: str, *, read: int, current: int | None, by: str | None = None, at: str | None = None
    ) -> None:
        self.kind, self.ref, self.read, self.current, self.by, self.at = kind, ref, read, current, by, at
        what = "deleted" if current is None else f"changed (now version {current})"
        super().__init__(
            f"{kind} {ref!r} was {what}{_changed(by, at)} after you read version {read}; nothing was written "
            "(read it again and redo your change)"
        )


class VersionNeeded(UserError):
    """A change that names no version read: refused, so that nobody's change is lost unseen."""

    def __init__(self) -> None:
        super().__init__("name the version you read (the record's ETag, in If-Match), so no change is lost")


class RecordInvalid(UserError):
    """A record does not agree with the records around it; nothing was written.

    Messages name ids and fields only (the case's checks never repeat a restricted value).
    """

    def __init__(self, kind: str, ref: str, problems: Sequence[str]) -> None:
        self.kind, self.ref, self.problems = kind, ref, list(problems)
        super().__init__(f"{kind} {ref!r} was not written: " + "; ".join(self.problems))


class RecordInUse(UserError):
    """A record other records point to cannot be deleted: it would leave them pointing at nothing."""

    def __init__(self, kind: str, ref: str, users: dict[str, list[str]]) -> None:
        self.kind, self.ref, self.users = kind, ref, users
        named = "; ".join(f"{what}: {', '.join(refs[:10])}{' ...' if len(refs) > 10 else ''}"
                          for what, refs in users.items())  # fmt: skip
        super().__init__(f"{kind} {ref!r} is in use ({named}); delete or change those first; nothing was deleted")


class SourceHasAttachments(UserError):
    """A case's new version leaves out interviews or documents with attachments: evidence is never dropped silently."""

    def __init__(self, case_id: str, left_out: dict[str, list[str]]) -> None:
        self.case_id, self.left_out = case_id, left_out
        named = "; ".join(f"{source}: {', '.join(refs)}" for source, refs in sorted(left_out.items()))
        super().__init__(f"the new version of case {case_id!r} leaves out interviews or documents that have "
                         f"attachments ({named}); keep them in it; nothing was written")  # fmt: skip


class PassageInvalid(UserError):
    """A passage chosen in an evidence file's text that is not there: a page it lacks, or no characters."""


class AttachmentDamaged(StoreError):
    """An attachment's content fails its seal, size or SHA-256 (altered, truncated, moved); names no content."""

    def __init__(self, ref: str, case_id: str, reason: str) -> None:
        self.ref, self.case_id, self.reason = ref, case_id, reason
        super().__init__(f"attachment {ref} of case {case_id!r} is damaged: {reason}; nothing was written "
                         "(run `corroborate audit verify`, or restore it from a backup)")  # fmt: skip
