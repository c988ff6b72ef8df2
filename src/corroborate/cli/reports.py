"""Commands on published reports: `parse-report` and `import-report`.

Thin shells over ``corroborate.services.reports``; warnings go to standard
error, one line each, so that standard output stays the result alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corroborate.errors import UserError
from corroborate.services import ParsedReport
from corroborate.services.reports import import_report, parse_report

from .context import Format, FormatOpt, actor_for, emit_json, err, handles_errors, out, progress_bar, secrets, table

__all__ = ["register"]

_SHORT = 90


ReportArg = Annotated[
    Path, typer.Argument(metavar="PATH", help="the report as UTF-8 text (e.g. converted with pdftotext)")
]


def _short(text: str | None, limit: int = _SHORT) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _warn(report: ParsedReport) -> None:
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False)


def _print_tables(report: ParsedReport) -> None:
    out.print(report.title or "(untitled report)", markup=False)
    notes = table("Note", "Kind", "Source", "Pages", "Text")
    for n in report.notes:
        notes.add_row(str(n.number), n.kind, ", ".join(n.sources), n.pages or "", _short(n.text))
    out.print(notes)
    people = table("Witness", "Gender", "Age", "Origin", "Nationality", "Interviewed", "Dates", "Notes")
    for w in report.witnesses:
        age = str(w.age) if w.age is not None else (w.age_band or "")
        where = w.origin or w.origin_text or w.role or ""
        people.add_row(w.id, w.gender or "", age, where, w.nationality or "", w.interview_country or "",
                       ", ".join(w.interview_dates), ", ".join(map(str, w.notes)))  # fmt: skip
    out.print(people)
    documents = table("Document", "Kind", "Title", "Outlet / publisher", "Date", "Notes")
    for d in report.documents:
        documents.add_row(d.id, d.kind, _short(d.title, 60), d.outlet or d.publisher or ", ".join(d.authors),
                          d.date or "", ", ".join(map(str, d.notes)))  # fmt: skip
    out.print(documents)
    excerpts = table("Note", "Source", "Mode", "Excerpt")
    for e in report.excerpts:
        excerpts.add_row(str(e.note), e.source or "", e.mode or "", _short(e.text, 120))
    out.print(excerpts)
    for check in report.checks:
        state = {True: "ok", False: "CHECK", None: "info"}[check.consistent]
        out.print(f"{state:>5}  {check.name}: {check.message}", markup=False)


@handles_errors
def parse_report_command(
    path: ReportArg,
    format: FormatOpt = Format.table,
) -> None:
    """Read a report's notes, markers, interview citations, witnesses, documents and excerpts."""
    report = parse_report(path)
    if format is Format.json:
        emit_json(report.to_json())
    else:
        _print_tables(report)
    _warn(report)


@handles_errors
def import_report_command(
    path: ReportArg,
    store: Annotated[str, typer.Option("--store", metavar="STORE", help="store to import into; created when missing")],
    case: Annotated[
        str | None, typer.Option("--case", metavar="ID", help="add the report to this existing case")
    ] = None,
    new_id: Annotated[
        str | None, typer.Option("--id", metavar="NEW_CASE_ID", help="id of the new case (default: from the title)")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TITLE", help="title of the new case (default: the report's)")
    ] = None,
) -> None:
    """Import a report as a new case, or add it to an existing case (--case), all or nothing.

    A new case is locked with a passphrase, needed before anything is written:
    CORROBORATE_PASSPHRASE, the file named by CORROBORATE_KEY_FILE, or a prompt
    in a terminal. Adding to a case (--case) needs that case's passphrase.
    """
    if case is not None and (new_id is not None or title is not None):
        raise UserError("--id and --title name a new case; leave them out when adding to one with --case")
    actor = actor_for(store)
    with progress_bar("importing") as progress:
        result = import_report(store, path, actor=actor, secrets=secrets(new_case=case is None), case=case,
                               case_id=new_id, title=title, progress=progress)  # fmt: skip
    a = result.added
    verb = "added to case" if result.merged else "imported as case"
    out.print(
        f"{verb} {result.case}: {a['witnesses']} witnesses, {a['interviews']} interviews, "
        f"{a['documents']} documents, {a['excerpts']} excerpts",
        markup=False,
    )
    m = result.matched
    if any(m.values()):
        out.print(
            f"already in the case, not added again: {m['witnesses']} witnesses, {m['interviews']} interviews, "
            f"{m['documents']} documents, {m['excerpts']} excerpts",
            markup=False,
        )
    for check in result.report.checks:
        out.print(f"{check.name}: {check.message}", markup=False)
    _warn(result.report)


def register(app: typer.Typer) -> None:
    """Add `parse-report` and `import-report` to the main app."""
    app.command("parse-report")(parse_report_command)
    app.command("import-report")(import_report_command)
