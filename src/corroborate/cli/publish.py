"""Commands that publish: check a briefing's disclosure, and publish it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corroborate.services import publish as publishing

from .context import CaseOpt, StoreArg, actor_for, err, handles_errors, out, progress_bar, secrets

__all__ = ["register"]

OutlineArg = Annotated[Path, typer.Argument(metavar="OUTLINE", help="briefing outline (YAML)")]


class PublishFormat(StrEnum):
    """What `publish` writes."""

    html = "html"
    pdf = "pdf"
    both = "html,pdf"


@handles_errors
def check_disclosure(store: StoreArg, outline: OutlineArg, case: CaseOpt = None) -> None:
    """Run every disclosure check on the briefing an outline would produce; write nothing."""
    report = publishing.check_disclosure(store, outline, actor=actor_for(store), secrets=secrets(), case=case)
    if report.ok:
        out.print("disclosure checks passed: k-anonymity, leak scan, consent", markup=False)
        return
    for line in report.summary():
        err.print(line, markup=False)
    err.print("error: the briefing may not be published as it stands", markup=False)
    raise typer.Exit(2)


@handles_errors
def publish(
    store: StoreArg,
    outline: OutlineArg,
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="folder to write the briefing into")],
    format: Annotated[PublishFormat, typer.Option("--format", help="what to write")] = PublishFormat.both,
    case: CaseOpt = None,
) -> None:
    """Render a briefing to HTML and/or PDF, only if every disclosure check passes (no override).

    Publishing again into the same folder replaces the briefing there.
    """
    formats = tuple(format.value.split(","))
    with progress_bar("publishing"):
        result = publishing.publish(store, outline, out_dir, actor=actor_for(store), secrets=secrets(),
                                    formats=formats, case=case)  # fmt: skip
    out.print(f"published {result.notes} endnotes: " + ", ".join(str(p) for p in result.files), markup=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    app.command("check-disclosure")(check_disclosure)
    app.command()(publish)
