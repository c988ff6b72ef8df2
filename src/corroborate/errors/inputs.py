"""Errors in what a user gives: casefiles, data files, places, dates, ages, pseudonyms."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import Problem, UserError

__all__ = ["CasefileInvalid", "DataFileInvalid", "InvalidAge", "InvalidFuzzyDate", "UnknownPlace", "UnknownWitness"]


class CasefileInvalid(UserError):
    """A casefile has problems; nothing was imported."""

    def __init__(self, problems: Sequence[Problem], *, outcome: str = "nothing was imported") -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in casefile; {outcome}")


class DataFileInvalid(UserError):
    """A data file (law book, thesaurus, gazetteer, standard of proof, outline, style) has problems; all are listed.

    Each problem names the file, the line where one is known, and the field
    path; none quotes the file's text.
    """

    def __init__(self, what: str, problems: Sequence[Problem], *, summary: str | None = None) -> None:
        self.what, self.problems = what, list(problems)
        if summary is None:
            files = sorted({p.file for p in self.problems})
            n = len(self.problems)
            summary = f"{what} {', '.join(files)} has {n} problem(s): " + "; ".join(
                f"{p.path or '(top)'}: {p.message}" for p in self.problems
            )
        super().__init__(summary)


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


class UnknownWitness(UserError):
    """No witness with this pseudonym in the case."""

    def __init__(self, pseudonym: str) -> None:
        self.pseudonym = pseudonym
        # Only a pseudonym is repeated: text of another shape may be a name typed in the wrong place.
        shown = repr(pseudonym) if re.fullmatch(r"W-\d{1,6}", pseudonym) else "(not a pseudonym such as W-007)"
        super().__init__(f"no witness {shown} in the case")
