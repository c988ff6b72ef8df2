"""The roots of the exception tree, and one problem of a file (where it is and what is wrong)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CorroborateError", "Problem", "StoreError", "UserError"]


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
