"""Commands of the analysis core: assess, explain, timeline, law, code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corroborate.services import analysis

from .context import CaseOpt, StoreArg, actor_for, emit_json, handles_errors, out, table

__all__ = ["register"]

FormatOpt = Annotated[str, typer.Option("--format", help="table or json")]
StandardOpt = Annotated[
    Path | None, typer.Option("--standard", help="standard of proof (YAML); default: Corroborate's own")
]


@handles_errors
def assess(store: StoreArg, case: CaseOpt = None, standard: StandardOpt = None, format: FormatOpt = "table") -> None:
    """Grade every proposition under a standard of proof, with sources, diversity and agreement."""
    result = analysis.assess(store, actor=actor_for(store), case=case, standard=standard)
    if format == "json":
        emit_json(result.to_json())
        return
    t = table("Proposition", "Grade", "Sources", "Witn.", "Docs", "Origins", "1st-hand", "Against",
              "Disagree on", wrap=("Disagree on",))  # fmt: skip
    for a in result.assessments:
        j = a.to_json()
        s = j["support"]
        t.add_row(a.proposition.key, a.grade, str(s["groups"]), str(s["witnesses"]), str(s["documents"]),
                  str(len(s["origins"])), str(s["first_hand"]), str(j["against"]["groups"]),
                  ", ".join(c["attribute"] for c in j["conflicts"]))  # fmt: skip
    out.print(f"Standard of proof: {result.standard.name}", markup=False)
    out.print(t)


@handles_errors
def explain(
    store: StoreArg,
    proposition: Annotated[str, typer.Argument(help="proposition key, e.g. policy.crossers.imprisoned")],
    case: CaseOpt = None,
    standard: StandardOpt = None,
) -> None:
    """Show the working behind one proposition's grade: sources counted, merged, and who said what."""
    result = analysis.explain(store, proposition, actor=actor_for(store), case=case, standard=standard)
    out.print(result.explanation, markup=False)


@handles_errors
def timeline(store: StoreArg, case: CaseOpt = None, format: FormatOpt = "table") -> None:
    """Every dated claim in order of its fuzzy date, uncertainty kept; disagreements marked."""
    entries = analysis.timeline(store, actor=actor_for(store), case=case)
    if format == "json":
        emit_json([e.to_json() for e in entries])
        return
    t = table("Between", "Proposition", "Sources", "Notes", "Sources disagree", wrap=("Sources", "Sources disagree"))
    for e in entries:
        start = e.interval.start.isoformat() if e.interval.start else "…"
        end = e.interval.end.isoformat() if e.interval.end else "…"
        between = start if start == end else f"{start} – {end}"
        flag = f"also: {', '.join(e.other_dates)}" if e.disagreement else ""
        t.add_row(between, f"{e.proposition} ({e.attribute})", "; ".join(e.sources),
                  ", ".join(str(n) for n in e.notes), flag)  # fmt: skip
    out.print(t)


@handles_errors
def law(
    store: StoreArg,
    case: CaseOpt = None,
    law_file: Annotated[Path | None, typer.Option("--law", help="extra instruments/articles (YAML), merged")] = None,
    violations: Annotated[
        Path | None, typer.Option("--violations", help="extra proposition-to-article mappings (YAML), merged")
    ] = None,
    format: FormatOpt = "table",
) -> None:
    """Map supported propositions to treaty articles and say whether each state was bound at the time."""
    findings = analysis.law(store, actor=actor_for(store), case=case, law_file=law_file, violations_file=violations)
    if format == "json":
        emit_json([f.model_dump(mode="json") for f in findings])
        return
    t = table("Proposition", "Article", "State", "Bound since", "Conduct", "Bound throughout", wrap=("Conduct",))
    verdict = {True: "yes", False: "NO", None: "—"}
    for f in findings:
        if f.binding == "declaration":
            since = "declaration, not a treaty"
        elif f.bound_since is None:
            since = "not a party"
        else:
            since = f.bound_since.isoformat() + ("" if f.verified else " (unverified)")
        t.add_row(f.proposition, f"{f.instrument_short} art. {f.article}", f.duty_bearer, since,
                  f.period_text or "undated", verdict[f.bound_throughout])  # fmt: skip
    out.print(t)


def register(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    for command in (assess, explain, timeline, law):
        app.command()(command)
