"""Commands that publish: check a briefing's disclosure, and publish it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corroborate import services
from corroborate.errors import Forbidden
from corroborate.services import publish as publishing

from .context import CaseOpt, StoreArg, actor_for, err, handles_errors, out, progress_bar, secrets, table

__all__ = ["alert_owners", "register"]

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
        out.print("disclosure checks passed: k-anonymity, leak scan, consent, wording", markup=False)
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


disclosure_app = typer.Typer(
    help="Disclosure checks by users who may not see identities: hits, daily limit, suspensions.",
    no_args_is_help=True,
)


@handles_errors
def scan_index(store: StoreArg, case: CaseOpt = None) -> None:
    """Build a case's keyed scan index anew (owners and investigators, with the passphrase)."""
    services.rebuild_index(store, actor=actor_for(store), secrets=secrets(), case=case)
    out.print("scan index rebuilt", markup=False)


@disclosure_app.command("alerts")
@handles_errors
def disclosure_alerts(store: StoreArg, case: CaseOpt = None) -> None:
    """List users whose disclosure checks found restricted values in the last day, and who is suspended."""
    alerts = services.disclosure_alerts(store, actor=actor_for(store), case=case)
    if not alerts:
        out.print("no disclosure check found a restricted value in the last 24 hours", markup=False)
        return
    t = table("Case", "User", "Hits (24 h)", "Limit", "Suspended")
    for a in alerts:
        t.add_row(a.case, a.user, str(a.hits), str(a.limit), "yes" if a.suspended else "")
    out.print(t)


@disclosure_app.command("lift")
@handles_errors
def disclosure_lift(
    store: StoreArg,
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="the user whose checks were suspended")],
    case: CaseOpt = None,
) -> None:
    """End a user's suspension and start their daily count again (owners)."""
    services.lift_suspension(store, username, actor=actor_for(store), secrets=secrets(), case=case)
    out.print(f"{username} may run disclosure checks again", markup=False)


@disclosure_app.command("limit")
@handles_errors
def disclosure_limit(
    store: StoreArg,
    hits: Annotated[int, typer.Argument(metavar="HITS", help="restricted values found in a day before suspension")],
    case: CaseOpt = None,
) -> None:
    """Set how many hits in a day suspend a user's disclosure checks on a case (owners)."""
    services.set_hit_limit(store, hits, actor=actor_for(store), secrets=secrets(), case=case)
    out.print(f"disclosure checks are suspended after {hits} hit(s) in a day", markup=False)


def alert_owners(store: str, case: str | None) -> None:
    """Print the disclosure alerts an owner should see (nothing for others)."""
    try:
        alerts = services.disclosure_alerts(store, actor=actor_for(store), case=case)
    except Forbidden:
        return
    for alert in alerts:
        err.print(f"alert: {alert} (see `corroborate disclosure alerts`)", markup=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    app.command("check-disclosure")(check_disclosure)
    app.command()(publish)
    app.command("scan-index")(scan_index)
    app.add_typer(disclosure_app, name="disclosure")
