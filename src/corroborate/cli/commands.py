"""The `corroborate` command line: a thin shell over `corroborate.services`.

Errors are rendered once (see ``context.handles_errors`` and ``context.Commands``):
one line per problem on stderr and a non-zero exit code, never a traceback for
a user's mistake, never a restricted value. Help is Click's plain layout: it
shows what each option takes (a flag takes nothing) and its default; Typer's
Rich panels label every flag `<bool>`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from corroborate import __version__, services
from corroborate.errors import UserError
from corroborate.services import recommendations as recs

from . import INTERRUPTED_MESSAGE
from .analysis import register as register_analysis
from .attachments import register as register_attachments
from .context import (
    CaseOpt,
    Commands,
    Format,
    FormatOpt,
    StatusChoice,
    StoreArg,
    actor_for,
    emit_json,
    err,
    handles_errors,
    out,
    progress_bar,
    secrets,
    table,
)
from .estimation import register as register_estimation
from .linkage import register as register_linkage
from .listings import register as register_listings
from .lists import register as register_lists
from .publish import alert_owners
from .publish import register as register_publish
from .records import register as register_records
from .reports import register as register_reports
from .security import register as register_security
from .serve import register as register_serve
from .tokens import register as register_tokens

__all__ = ["app", "main"]

app = typer.Typer(
    name="corroborate",
    help="Corroborate: an evidence workbench for testimony-based human-rights investigations.",
    cls=Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CasefileArg = Annotated[Path, typer.Argument(metavar="CASEFILE", help="casefile (YAML or JSON)")]
OutOpt = Annotated[Path | None, typer.Option("--out", metavar="FILE", help="file to write (default: standard output)")]
ForceOpt = Annotated[bool, typer.Option("--force", help="overwrite the --out file if it exists")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corroborate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="print the version and exit", is_eager=True, callback=_version)
    ] = False,
) -> None:
    """Corroborate: an evidence workbench for testimony-based human-rights investigations."""


@app.command()
@handles_errors
def init(store: StoreArg) -> None:
    """Create an empty case store (or upgrade an existing one to the current schema)."""
    revision = services.init_store(store)
    out.print(f"store ready at {store} (schema {revision})", markup=False)


@app.command("import")
@handles_errors
def import_(
    casefile: CasefileArg,
    store: Annotated[str, typer.Option("--store", metavar="STORE", help="store to import into; created when missing")],
    replace: Annotated[bool, typer.Option("--replace", help="replace a case with the same id")] = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="add and update records by id in the stored case; delete only those listed")
    ] = False,
) -> None:
    """Validate a casefile and import it in one transaction: all of it or nothing.

    The case is locked with a passphrase, which is needed before anything is
    written: CORROBORATE_PASSPHRASE, the first line of the file named by
    CORROBORATE_KEY_FILE, or a prompt (asked twice) when run in a terminal.
    Without one, nothing is created. --replace also needs the passphrase of
    the case it replaces (or an unlock session). --merge writes into the
    stored case only the records the casefile adds or changes, and deletes
    those its `delete:` section lists; the casefile may hold only those.
    """
    if replace and merge:
        raise UserError("choose --replace (swap the whole case) or --merge (add and change records), not both")
    if merge:
        _merge(casefile, store)
        return
    with progress_bar("reading") as progress:
        case = services.read_casefile(casefile, progress=progress)  # validate before asking for anything
    actor = actor_for(store)
    with progress_bar("importing") as progress:
        result = services.import_case(
            store, case, actor=actor, secrets=secrets(new_case=True), replace=replace, progress=progress
        )
    c = result.counts
    out.print(
        f"imported case {result.case}: {c.witnesses} witnesses, {c.interviews} interviews, "
        f"{c.documents} documents, {c.excerpts} excerpts, {c.claims} claims",
        markup=False,
    )
    if result.fingerprint:
        out.print(f"audit signing key of case {result.case}: {result.fingerprint} (write it down and keep it apart "
                  "from this machine: `corroborate audit verify` compares against it)", markup=False)  # fmt: skip


def _merge(casefile: Path, store: str) -> None:
    actor = actor_for(store)
    with progress_bar("merging") as progress:
        result = services.merge_casefile(store, casefile, actor=actor, secrets=secrets(new_case=True),
                                         progress=progress)  # fmt: skip
    if result.created:
        out.print(f"case {result.case} was new to the store: imported it whole", markup=False)

    def said(counts: dict[str, int]) -> str:
        return ", ".join(f"{n} {section if n != 1 else section.removesuffix('s')}" for section, n in counts.items())

    parts = [f"{label} {said(counts)}" for label, counts in
             (("added", result.added), ("changed", result.changed), ("deleted", result.deleted)) if counts]  # fmt: skip
    if not result.created:
        out.print(f"merged into case {result.case}: {'; '.join(parts) or 'nothing to change'}", markup=False)


@app.command()
@handles_errors
def validate(casefile: CasefileArg) -> None:
    """Check a casefile without importing it; list every problem."""
    with progress_bar("reading") as progress:
        case = services.read_casefile(casefile, progress=progress)
    out.print(f"{casefile}: valid (case {case.case.id})", markup=False)


@app.command()
@handles_errors
def export(
    store: StoreArg,
    case: CaseOpt = None,
    output: OutOpt = None,
    public: Annotated[bool, typer.Option("--public", help="leave out every witness's restricted section")] = False,
    force: ForceOpt = False,
) -> None:
    """Write a case back as a YAML casefile."""
    text = services.export_casefile(store, actor=actor_for(store), secrets=secrets(), case=case, public=public,
                                    out=output, force=force)  # fmt: skip
    if output is None:
        typer.echo(text, nl=False)
    else:
        err.print(f"wrote {output}", markup=False)


@app.command()
@handles_errors
def cases(store: StoreArg) -> None:
    """List the ids of the cases in a store."""
    for ref in services.case_ids(store, actor=actor_for(store)):
        typer.echo(ref)


@app.command()
@handles_errors
def summary(store: StoreArg, case: CaseOpt = None, format: FormatOpt = Format.table) -> None:
    """Counts of witnesses, interviews, places of origin, documents, excerpts, claims, propositions."""
    c = services.summary(store, actor=actor_for(store), case=case)
    alert_owners(store, c.case)
    if format is Format.json:
        emit_json(
            {
                "case": c.case,
                "title": c.title,
                "witnesses": c.witnesses,
                "nationalities": c.nationalities,
                "origins": len(c.origins),
                "origin_names": c.origins,
                "interviews": c.interviews,
                "documents": c.documents,
                "excerpts": c.excerpts,
                "claims": c.claims,
                "propositions": c.propositions,
                "recommendations": c.recommendations,
            }
        )
        return
    by_country = ", ".join(f"{n} from {services.country_name(code)}" for code, n in c.nationalities.items())
    t = Table(title=f"{c.title} ({c.case})", show_header=False)
    t.add_column(justify="left")
    t.add_column(justify="right")
    t.add_column(justify="left")
    t.add_row("Interviewees", str(c.witnesses), by_country)
    t.add_row("Places of origin", str(len(c.origins)), ", ".join(c.origins))
    for label, value in (("Interviews", c.interviews), ("Documents", c.documents), ("Excerpts", c.excerpts),
                         ("Propositions", c.propositions), ("Claims", c.claims),
                         ("Recommendations", c.recommendations)):  # fmt: skip
        t.add_row(label, str(value), "")
    out.print(t)


@app.command()
@handles_errors
def recommendations(
    store: StoreArg,
    case: CaseOpt = None,
    addressee: Annotated[
        str | None, typer.Option("--addressee", metavar="NAME", help="only those addressed to NAME, e.g. DPRK")
    ] = None,
    status: Annotated[
        StatusChoice | None,
        typer.Option("--status", help="only those whose current status is this (none: no follow-up)"),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="show every dated status, not only the current one")
    ] = False,
    format: FormatOpt = Format.table,
) -> None:
    """List recommendations with their addressee and current status (or their whole follow-up)."""
    found = recs.recommendations(
        store, actor=actor_for(store), case=case, addressee=addressee, status=status.value if status else None
    )
    if format is Format.json:
        emit_json([r.model_dump(mode="json", exclude_none=True) for r in found])
        return
    if not found:
        out.print("no recommendation matches", markup=False)
        return
    t = table("Id", "Addressee", "Status", "Since", "Sources", "Recommendation", wrap=("Sources", "Recommendation"))
    for r in found:
        steps = r.follow_up if history else r.follow_up[-1:]
        if not steps:
            t.add_row(r.id, r.addressee, "none recorded", "", "", r.text)
        for n, step in enumerate(steps):
            first = n == 0
            status_text = step.status.replace("_", " ") + (f" ({step.note})" if step.note else "")
            t.add_row(r.id if first else "", r.addressee if first else "", status_text, step.date,
                      ", ".join(step.sources), r.text if first else "")  # fmt: skip
    out.print(t)


@app.command()
@handles_errors
def schema(output: OutOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the casefile format."""
    text = json.dumps(services.casefile_schema(), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        services.write_output(output, text + "\n", force=force)


@app.command()
@handles_errors
def place(name: Annotated[str, typer.Argument(metavar="NAME", help="a place name in any spelling, or Hangul")]) -> None:
    """Look a North Korean place up in the gazetteer."""
    p = services.lookup_place(name)
    out.print(
        f"{p.name} ({p.kind}) — {p.hangul}, McCune–Reischauer {p.mr}, Revised {p.rr}; "
        f"{p.province or 'top level'}; {p.lat:.3f}, {p.lon:.3f}",
        markup=False,
    )


register_listings(app)
register_security(app)
register_analysis(app)
register_publish(app)
register_reports(app)
register_attachments(app)
register_records(app)
register_serve(app)
register_tokens(app)
register_linkage(app)
register_estimation(app)
register_lists(app)


def main() -> None:
    """Entry point of the `corroborate` console script."""
    try:
        app()
    except KeyboardInterrupt:
        err.print(INTERRUPTED_MESSAGE, markup=False)
        sys.exit(130)
