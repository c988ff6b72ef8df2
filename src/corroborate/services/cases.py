"""Use cases on whole cases: create a store, import and export casefiles, summarise, list.

The CLI and (later) the web app call these; they never print. Long work
reports progress through an optional callback ``progress(done, total)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corroborate.domain import Case, Witness
from corroborate.ingest import read_casefile
from corroborate.store import (
    CaseCounts,
    ClaimListing,
    case_counts,
    case_refs,
    create_store,
    list_claims,
    list_witnesses,
    load_case,
    open_store,
    save_case,
)

__all__ = [
    "ImportResult",
    "Progress",
    "WitnessListing",
    "case_ids",
    "claims",
    "export_case",
    "import_case",
    "import_casefile",
    "init_store",
    "summary",
    "witnesses",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    case: str
    rows: int
    counts: CaseCounts


@dataclass(frozen=True)
class WitnessListing:
    """A witness as a listing shows it: pseudonym and public descriptor only."""

    witness: Witness
    interviews: int
    interview_dates: list[str]


def init_store(location: str) -> str:
    """Create a store (or bring its schema up to date); return its schema revision."""
    with create_store(location) as store:
        revision = store.revision()
        assert revision is not None
        return revision


def _row_count(case: Case) -> int:
    identities = sum(1 for w in case.witnesses if w.restricted is not None)
    return (
        1
        + identities
        + sum(
            len(getattr(case, name))
            for name in (
                "witnesses",
                "interviews",
                "documents",
                "excerpts",
                "propositions",
                "claims",
                "recommendations",
            )
        )
    )


def import_case(
    location: str, case: Case, *, replace: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Write a validated case into a store (created when missing) in one transaction."""
    total = _row_count(case)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    with create_store(location) as store:
        with store.transaction() as session:
            save_case(session, case, replace=replace, progress=tick)
            counts = case_counts(session, case.case.id)
    if progress is not None:
        progress(total, total)
    return ImportResult(case=case.case.id, rows=total, counts=counts)


def import_casefile(
    location: str, path: str | Path, *, replace: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Validate a casefile and import it; nothing is written when any problem exists."""
    case = read_casefile(path)
    return import_case(location, case, replace=replace, progress=progress)


def export_case(location: str, *, case: str | None = None) -> Case:
    """The whole case as a domain object, ready to write as a casefile."""
    with open_store(location) as store, store.transaction() as session:
        return load_case(session, case)


def case_ids(location: str) -> list[str]:
    """Ids of the cases a store holds."""
    with open_store(location) as store, store.transaction() as session:
        return case_refs(session)


def summary(location: str, *, case: str | None = None) -> CaseCounts:
    """Counts of witnesses, places of origin, interviews, documents, excerpts, claims, propositions."""
    with open_store(location) as store, store.transaction() as session:
        return case_counts(session, case)


def witnesses(location: str, *, case: str | None = None) -> list[WitnessListing]:
    """Witnesses with their public descriptors; never their restricted identities."""
    with open_store(location) as store, store.transaction() as session:
        return [WitnessListing(w, n, dates) for w, n, dates in list_witnesses(session, case)]


def claims(location: str, *, case: str | None = None, proposition: str | None = None) -> list[ClaimListing]:
    """Claims with their proposition, stance, excerpt, source and witness pseudonym."""
    with open_store(location) as store, store.transaction() as session:
        return list_claims(session, case, proposition=proposition)
