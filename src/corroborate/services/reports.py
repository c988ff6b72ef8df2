"""Use cases on published reports: parse one, or import it as a new case or into an existing case.

Importing is all-or-nothing. A new case goes through ``import_case`` like a
casefile. Adding to an existing case goes through ``update_case``, the path
`import --merge` takes: in one write transaction it reads the whole case
(restricted identities included, so the caller must be able to unlock it),
adds the report's witnesses, interviews, documents and excerpts under fresh
ids (or matches them to those the case holds), and writes only the records
added, so no other write can slip in between and the audit log shows exactly
those; it needs the `import_case` role (owners and investigators).
Services never print; warnings come back in the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corroborate.domain import Case
from corroborate.errors import UserError
from corroborate.ingest.report import ParsedReport, merge_report, read_report, report_content, report_to_case
from corroborate.store import CaseCounts

from .access import Actor
from .cases import Progress, import_case
from .merging import update_case
from .unlocking import Secrets

__all__ = ["ReportImport", "import_report", "parse_report"]


@dataclass(frozen=True)
class ReportImport:
    """What importing a report did."""

    case: str
    merged: bool
    added: dict[str, int]
    counts: CaseCounts
    report: ParsedReport
    matched: dict[str, int] = field(default_factory=dict)  # already in the case, so not added again


def parse_report(path: str | Path) -> ParsedReport:
    """Parse a report file (UTF-8 text) into notes, markers, witnesses, documents, excerpts and checks."""
    return read_report(path)


def import_report(
    location: str,
    path: str | Path,
    *,
    actor: Actor,
    secrets: Secrets,
    case: str | None = None,
    case_id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> ReportImport:
    """Import a report as a new case (``case_id``/``title`` override the report's), or add it to ``case``."""
    report = read_report(path)
    if case is None:
        new_case = report_to_case(report, case_id=case_id, title=title)
        result = import_case(location, new_case, actor=actor, secrets=secrets, progress=progress)
        return ReportImport(result.case, False, _added(new_case), result.counts, report)
    if case_id is not None or title is not None:
        raise UserError("a new case id or title cannot be given when adding a report to an existing case")
    found: dict[str, int] = {}

    def merge(loaded: Case) -> Case:
        content = report_content(report, loaded)
        found.update(content.matched)
        return merge_report(loaded, report, content)

    existing, merged, written = update_case(
        location, merge, actor=actor, secrets=secrets, case=case, progress=progress
    )  # fmt: skip
    assert written.counts is not None
    return ReportImport(written.case, True, _added(merged, existing), written.counts, report, found)


def _added(case: Case, before: Case | None = None) -> dict[str, int]:
    """How many witnesses, interviews, documents and excerpts the import added."""
    sections = ("witnesses", "interviews", "documents", "excerpts")
    return {name: len(getattr(case, name)) - (len(getattr(before, name)) if before else 0) for name in sections}
