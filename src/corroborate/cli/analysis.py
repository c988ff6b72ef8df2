"""Commands of the analysis core: assess, explain, timeline, occurrences, law, code."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from corroborate.errors import UserError
from corroborate.services import analysis
from corroborate.services import search as search_service

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    SearchKindChoice,
    StanceChoice,
    StoreArg,
    actor_for,
    assignments,
    emit_json,
    handles_errors,
    out,
    secrets,
    table,
)

__all__ = ["register"]

StandardOpt = Annotated[
    Path | None,
    typer.Option("--standard", metavar="FILE", help="standard of proof (YAML); default: Corroborate's own"),
]


@handles_errors
def assess(
    store: StoreArg,
    case: CaseOpt = None,
    standard: StandardOpt = None,
    proposition: Annotated[
        str | None,
        typer.Option("--proposition", metavar="KEY", help="only this proposition, read alone from the store"),
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """Grade every proposition under a standard of proof, with sources, diversity and agreement."""
    result = analysis.assess(store, actor=actor_for(store), case=case, standard=standard, proposition=proposition)
    if format is Format.json:
        emit_json(result.to_json())
        return
    t = table("Proposition", "Grade", "Sources", "Witn.", "Docs", "Origins", "1st-hand", "Against",
              "Disagree on", wrap=("Disagree on",))  # fmt: skip
    for a in result.assessments:
        j = a.to_json()
        s = j["support"]
        t.add_row(a.proposition.key, a.grade, str(s["groups"]), str(s["witnesses"]), str(s["documents"]),
                  str(len(s["origins"])), str(s["first_hand"]), str(j["against"]["groups"]),
                  ", ".join(dict.fromkeys(c["attribute"] for c in j["conflicts"])))  # fmt: skip
    out.print(f"Standard of proof: {result.standard.name}", markup=False)
    out.print(t)


@handles_errors
def explain(
    store: StoreArg,
    proposition: Annotated[
        str, typer.Argument(metavar="PROPOSITION", help="proposition key, e.g. policy.crossers.imprisoned")
    ],
    case: CaseOpt = None,
    standard: StandardOpt = None,
) -> None:
    """Show the working behind one proposition's grade: sources counted, merged, and who said what."""
    result = analysis.explain(store, proposition, actor=actor_for(store), case=case, standard=standard)
    out.print(result.explanation, markup=False)


def _between(start: date | None, end: date | None) -> str:
    first = start.isoformat() if start else "…"
    last = end.isoformat() if end else "…"
    return first if first == last else f"{first} – {last}"


@handles_errors
def timeline(store: StoreArg, case: CaseOpt = None, format: FormatOpt = Format.table) -> None:
    """Every dated claim in order of its fuzzy date, uncertainty kept; disagreements within one occurrence marked."""
    entries, patterns = analysis.timeline(store, actor=actor_for(store), case=case)
    if format is Format.json:
        emit_json({"entries": [e.to_json() for e in entries], "patterns": [p.to_json() for p in patterns]})
        return
    t = table("Between", "Proposition", "Sources", "Notes", "Sources disagree", wrap=("Sources", "Sources disagree"))
    for e in entries:
        flag = f"also: {', '.join(e.other_dates)}" if e.disagreement else ""
        what = f"{e.attribute}; {e.occurrence}" if e.occurrence else e.attribute
        t.add_row(_between(e.interval.start, e.interval.end), f"{e.proposition} ({what})", "; ".join(e.sources),
                  ", ".join(str(n) for n in e.notes), flag)  # fmt: skip
    out.print(t)
    if patterns:
        p = table("Pattern", "Span", "Occurrences", title="Patterns: repeated conduct, one row per occurrence",
                  wrap=("Occurrences",))  # fmt: skip
        for span in patterns:
            dated = [o for o in span.occurrences if o.dates]
            told = "; ".join(f"{o.name} {_between(o.start, o.end)}" for o in dated)
            undated = sum(len(o.claims) for o in span.occurrences if not o.dates)
            if undated:
                told += f"{'; ' if told else ''}and {undated} undated claim(s)"
            p.add_row(span.proposition, _between(span.start, span.end), told)
        out.print(p)


@handles_errors
def occurrences(
    store: StoreArg,
    proposition: Annotated[
        str, typer.Argument(metavar="PROPOSITION", help="a pattern's key, e.g. policy.crossers.imprisoned")
    ],
    case: CaseOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """A pattern's occurrences, and the occurrence proposed for each dated claim that names none."""
    span, suggestions = analysis.occurrences(store, proposition, actor=actor_for(store), case=case)
    if format is Format.json:
        emit_json({**span.to_json(), "suggestions": [vars(s) for s in suggestions]})
        return
    t = table("Occurrence", "Between", "Claims", title=f"{span.proposition}: {_between(span.start, span.end)}",
              wrap=("Claims",))  # fmt: skip
    for o in span.occurrences:
        t.add_row(o.label or "(names none)", _between(o.start, o.end) if o.dates else "undated", ", ".join(o.claims))
    out.print(t)
    if not suggestions:
        out.print("no suggestion: every dated claim names its occurrence", markup=False)
        return
    s = table("Claim", "Suggested occurrence", "Because", title="Suggestions (the coder decides)", wrap=("Because",))
    for item in suggestions:
        s.add_row(item.claim, item.occurrence + (" (new)" if item.new else ""), item.reason)
    out.print(s)


@handles_errors
def law(
    store: StoreArg,
    case: CaseOpt = None,
    law_file: Annotated[
        Path | None, typer.Option("--law", metavar="FILE", help="extra instruments/articles (YAML), merged")
    ] = None,
    violations: Annotated[
        Path | None,
        typer.Option("--violations", metavar="FILE", help="extra proposition-to-article mappings (YAML), merged"),
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """Map supported propositions to treaty articles and say whether each state was bound at the time."""
    findings = analysis.law(store, actor=actor_for(store), case=case, law_file=law_file, violations_file=violations)
    if format is Format.json:
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


@handles_errors
def code(
    store: StoreArg,
    excerpt: Annotated[str, typer.Argument(metavar="EXCERPT", help="excerpt id, e.g. E-n12")],
    case: CaseOpt = None,
    accept: Annotated[int | None, typer.Option("--accept", help="accept suggestion N (1 = best) as a claim")] = None,
    claim_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="id of the new claim (default: C-<excerpt>-<n>)")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="NAME=VALUE", help="edit an attribute before accepting (repeatable)"),
    ] = None,
    drop: Annotated[
        list[str] | None, typer.Option("--drop", metavar="NAME", help="leave out a suggested attribute")
    ] = None,
    stance: Annotated[StanceChoice | None, typer.Option("--stance", help="override the suggested stance")] = None,
    occurrence: Annotated[
        str | None,
        typer.Option("--occurrence", metavar="LABEL", help="for a pattern: the occurrence the claim describes"),
    ] = None,
    thesaurus: Annotated[
        Path | None, typer.Option("--thesaurus", metavar="FILE", help="the case's own thesaurus (YAML)")
    ] = None,
) -> None:
    """Show proposed claims for an excerpt; with --accept, code the chosen one (nothing is coded silently)."""
    actor = actor_for(store)
    found, suggestions = analysis.code_suggestions(store, excerpt, actor=actor, case=case, thesaurus=thesaurus)
    if accept is None:
        out.print(f"{excerpt}: {found.text}", markup=False)
        if not suggestions:
            out.print("no suggestion: code it by hand in the casefile", markup=False)
            return
        t = table("#", "Proposition", "Stance", "Score", "Attributes", "Because of", wrap=("Attributes", "Because of"))
        for n, s in enumerate(suggestions, start=1):
            because = ", ".join(dict.fromkeys(f"“{e.text}”" for e in s.evidence))
            attrs = "; ".join(f"{k}={v}" for k, v in s.attributes.items())
            t.add_row(str(n), s.proposition, s.stance, f"{s.score:.2f}", attrs, because)
        out.print(t)
        out.print(f"accept one with: corroborate code {store} {excerpt} --accept N [--set NAME=VALUE]", markup=False)
        return
    if not 1 <= accept <= len(suggestions):
        raise UserError(f"--accept {accept}: there are {len(suggestions)} suggestion(s)")
    edits: dict[str, str | None] = {**dict.fromkeys(drop or []), **assignments(set_)}
    chosen = suggestions[accept - 1]
    claim = chosen.to_claim(claim_id or f"C-{excerpt}-{accept}", excerpt, attributes=edits,
                            stance=stance.value if stance else None, occurrence=occurrence)  # fmt: skip
    saved = analysis.add_claim(store, claim, actor=actor, case=case, secrets=secrets())
    attrs = "; ".join(f"{k}={v}" for k, v in saved.attributes.items())
    out.print(f"coded {saved.id}: {saved.excerpt} {saved.stance} {saved.proposition} ({attrs})", markup=False)


@handles_errors
def search(
    store: StoreArg,
    query: Annotated[str, typer.Argument(metavar="QUERY", help='words to find, e.g. Chungjin or "regular prison"')],
    case: CaseOpt = None,
    kind: Annotated[
        list[SearchKindChoice] | None, typer.Option("--kind", help="only this kind of record (repeatable)")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="show the best N results")] = 20,
    format: FormatOpt = Format.table,
) -> None:
    """Find excerpts, documents, propositions and witnesses by their public text (never identities)."""
    hits = search_service.search(store, query, actor=actor_for(store), case=case,
                                 kinds=[k.value for k in kind] if kind else None, limit=limit)  # fmt: skip
    if format is Format.json:
        emit_json([h.__dict__ for h in hits])
        return
    if not hits:
        out.print("nothing matches", markup=False)
        return
    t = table("Kind", "Id", "Match", "Why", wrap=("Match", "Why"))
    for h in hits:
        snippet = Text(h.snippet)
        for start, end in h.highlights:
            snippet.stylize("bold reverse", start, end)
        t.add_row(h.kind, h.ref, snippet, h.because or "")
    out.print(t)


def register(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    for command in (assess, explain, timeline, occurrences, law, code, search):
        app.command()(command)
