"""The `corroborate` command line: a thin shell over `corroborate.services`.

Errors are rendered here, once: one line per problem on stderr and a non-zero
exit code, never a traceback for a user's mistake.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corroborate import services
from corroborate.domain import Gazetteer, country_name
from corroborate.errors import CasefileInvalid, CorroborateError
from corroborate.ingest import case_json_schema, dump_case, read_casefile

__all__ = ["app", "main"]

app = typer.Typer(
    name="corroborate",
    help="Corroborate: an evidence workbench for testimony-based human-rights investigations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


class Format(StrEnum):
    table = "table"
    json = "json"


StoreArg = Annotated[str, typer.Argument(help="case store: a SQLite file path or a database URL")]
CaseOpt = Annotated[
    str | None, typer.Option("--case", help="case id, when the store holds more than one case")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="output format")]


def handles_errors(command: F) -> F:
    """Render Corroborate's errors as one line each and exit with the error's code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CasefileInvalid as exc:
            for problem in exc.problems:
                err.print(str(problem), markup=False)
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except CorroborateError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(description: str) -> Iterator[services.Progress]:
    """A Rich progress bar on stderr, fed by a service's ``progress(done, total)``."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _table(*headers: str) -> Table:
    """A listing table whose cells wrap rather than being cut off in narrow terminals."""
    table = Table()
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
@handles_errors
def init(store: StoreArg) -> None:
    """Create an empty case store (or upgrade an existing one to the current schema)."""
    revision = services.init_store(store)
    out.print(f"store ready at {store} (schema {revision})", markup=False)


@app.command("import")
@handles_errors
def import_(
    casefile: Annotated[Path, typer.Argument(help="casefile (YAML or JSON)")],
    store: Annotated[str, typer.Option("--store", help="store to import into; created when missing")],
    replace: Annotated[bool, typer.Option("--replace", help="replace a case with the same id")] = False,
) -> None:
    """Validate a casefile and import it in one transaction: all of it or nothing."""
    with progress_bar("importing") as progress:
        result = services.import_casefile(store, casefile, replace=replace, progress=progress)
    c = result.counts
    out.print(
        f"imported case {result.case}: {c.witnesses} witnesses, {c.interviews} interviews, "
        f"{c.documents} documents, {c.excerpts} excerpts, {c.claims} claims",
        markup=False,
    )


@app.command()
@handles_errors
def validate(casefile: Annotated[Path, typer.Argument(help="casefile (YAML or JSON)")]) -> None:
    """Check a casefile without importing it; list every problem."""
    case = read_casefile(casefile)
    out.print(f"{casefile}: valid (case {case.case.id})", markup=False)


@app.command()
@handles_errors
def export(
    store: StoreArg,
    case: CaseOpt = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="file to write (default: standard output)")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="leave out every witness's restricted section")
    ] = False,
) -> None:
    """Write a case back as a YAML casefile."""
    text = dump_case(services.export_case(store, case=case), public=public)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}", markup=False)


@app.command()
@handles_errors
def cases(store: StoreArg) -> None:
    """List the ids of the cases in a store."""
    for ref in services.case_ids(store):
        typer.echo(ref)


@app.command()
@handles_errors
def summary(store: StoreArg, case: CaseOpt = None, format: FormatOpt = Format.table) -> None:
    """Counts of witnesses, interviews, places of origin, documents, excerpts, claims, propositions."""
    c = services.summary(store, case=case)
    if format is Format.json:
        _emit_json(
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
    by_country = ", ".join(f"{n} from {country_name(code)}" for code, n in c.nationalities.items())
    table = Table(title=f"{c.title} ({c.case})", show_header=False)
    table.add_column(justify="left")
    table.add_column(justify="right")
    table.add_column(justify="left")
    table.add_row("Interviewees", str(c.witnesses), by_country)
    table.add_row("Places of origin", str(len(c.origins)), ", ".join(c.origins))
    table.add_row("Interviews", str(c.interviews), "")
    table.add_row("Documents", str(c.documents), "")
    table.add_row("Excerpts", str(c.excerpts), "")
    table.add_row("Propositions", str(c.propositions), "")
    table.add_row("Claims", str(c.claims), "")
    table.add_row("Recommendations", str(c.recommendations), "")
    out.print(table)


def _age(listing: services.WitnessListing) -> str:
    d = listing.witness.descriptor
    if d.age is not None:
        return str(d.age)
    return str(d.age_band) if d.age_band else ""


@app.command()
@handles_errors
def witnesses(store: StoreArg, case: CaseOpt = None, format: FormatOpt = Format.table) -> None:
    """List witnesses by pseudonym with their public descriptors (never their identities)."""
    rows = services.witnesses(store, case=case)
    if format is Format.json:
        _emit_json(
            [
                {
                    "id": r.witness.id,
                    **r.witness.descriptor.model_dump(mode="json"),
                    "independence_group": r.witness.independence_group,
                    "interviews": r.interviews,
                    "interview_dates": r.interview_dates,
                }
                for r in rows
            ]
        )
        return
    table = _table("Pseudonym", "Gender", "Age", "Origin", "Nationality", "Interviews", "Dates")
    for r in rows:
        d = r.witness.descriptor
        table.add_row(
            r.witness.id,
            d.gender or "",
            _age(r),
            d.origin or d.role or "",
            d.nationality,
            str(r.interviews),
            ", ".join(r.interview_dates),
        )
    out.print(table)


@app.command()
@handles_errors
def claims(
    store: StoreArg,
    case: CaseOpt = None,
    proposition: Annotated[
        str | None, typer.Option("--proposition", help="only claims on this proposition")
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """List claims with their proposition, stance, excerpt, source and witness pseudonym."""
    rows = services.claims(store, case=case, proposition=proposition)
    if format is Format.json:
        _emit_json([r.__dict__ for r in rows])
        return
    table = _table("Claim", "Proposition", "Stance", "Excerpt", "Source", "Witness", "Mode", "Attributes")
    for r in rows:
        attrs = "; ".join(f"{k}={v}" for k, v in r.attributes.items())
        table.add_row(r.id, r.proposition, r.stance, r.excerpt, r.source, r.witness or "", r.mode, attrs)
    out.print(table)


@app.command()
@handles_errors
def schema(
    output: Annotated[
        Path | None, typer.Option("--out", help="file to write (default: standard output)")
    ] = None,
) -> None:
    """Print the JSON Schema of the casefile format."""
    text = json.dumps(case_json_schema(), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@app.command()
@handles_errors
def place(name: Annotated[str, typer.Argument(help="a place name in any spelling, or Hangul")]) -> None:
    """Look a North Korean place up in the gazetteer."""
    p = Gazetteer.default().lookup(name)
    out.print(
        f"{p.name} ({p.kind}) — {p.hangul}, McCune–Reischauer {p.mr}, Revised {p.rr}; "
        f"{p.province or 'top level'}; {p.lat:.3f}, {p.lon:.3f}",
        markup=False,
    )


def main() -> None:
    """Entry point of the `corroborate` console script."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
