"""Commands on organisations' person lists kept in a case store (issue 14): `lists add`, `lists show` and
`lists link`.

Thin shells over ``corroborate.services.personlists`` and ``corroborate.services.linking``. Records are
never printed: `lists show` prints each list's custody record (name, records, SHA-256, who added it, when),
`lists link` what `link` prints.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from corroborate.services import linking, personlists

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    StoreArg,
    actor_for,
    emit_json,
    handles_errors,
    out,
    progress_bar,
    secrets,
    table,
)
from .linkage import Charts, DuplicateFree, ForceOutputs, MatchThreshold, OutFolder, said_linked

__all__ = ["register"]

lists_app = typer.Typer(
    help="Organisations' person lists kept in a case, sealed, for record linkage.", no_args_is_help=True,
    rich_markup_mode=None,
)  # fmt: skip


@handles_errors
def add(
    store: StoreArg,
    lists: Annotated[list[Path], typer.Argument(metavar="LIST", help="the lists (CSV, XLSX or YAML mappings)")],
    case: CaseOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="replace the case's lists of the same names (else they are refused)")
    ] = False,
) -> None:
    """Add person lists to a case: every record sealed, every row audited, all the lists or none."""
    with progress_bar("adding") as progress:
        added = personlists.add_lists(store, lists, actor=actor_for(store), secrets=secrets(), case=case,
                                      replace=replace, progress=progress)  # fmt: skip
    for info in added:
        out.print(f"added list {info.name} to case {info.case}: {info.records:,} records, SHA-256 {info.sha256}",
                  markup=False)  # fmt: skip


@handles_errors
def show(store: StoreArg, case: CaseOpt = None, format: FormatOpt = Format.table) -> None:
    """Show the person lists a case holds: records, the file's SHA-256, who added each and when (no record)."""
    found = personlists.list_lists(store, actor=actor_for(store), case=case)
    if format is Format.json:
        emit_json([dataclasses.asdict(info) for info in found])
        return
    t = table("List", "Records", "Added", "SHA-256", wrap=("List", "SHA-256"))
    for info in found:
        added = f"{info.added_at[:16].replace('T', ' ')} by {info.added_by}"  # to the minute, UTC; JSON has it all
        t.add_row(info.name, f"{info.records:,}", added, info.sha256)
    out.print(t)


@handles_errors
def link(
    store: StoreArg,
    folder: OutFolder,
    case: CaseOpt = None,
    names: Annotated[
        list[str] | None,
        typer.Option("--list", metavar="NAME", help="a list to link (repeat it; default: every list of the case)"),
    ] = None,
    threshold: MatchThreshold = 0.9,
    force: ForceOutputs = False,
    duplicate_free: DuplicateFree = None,
    charts: Charts = True,
) -> None:
    """Link the person lists kept in a case: who is on which list, the pairs to review, the capture histories."""
    made = linking.link_stored_lists(store, folder, actor=actor_for(store), secrets=secrets(), case=case,
                                     names=names or None, threshold=threshold, force=force,
                                     duplicate_free=duplicate_free or (), charts=charts)  # fmt: skip
    said_linked(made, folder)


def register(app: typer.Typer) -> None:
    """Add the `lists` group (`add`, `show`, `link`) to the main app."""
    lists_app.command("add")(add)
    lists_app.command("show")(show)
    lists_app.command("link")(link)
    app.add_typer(lists_app, name="lists")
