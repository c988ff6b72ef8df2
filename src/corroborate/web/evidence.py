"""Pages of the evidence: propositions (grade, who supports what, the working in words), excerpts, and the
coding panel where an analyst accepts, edits or sets aside the coding assistant's suggestions.

The coding panel works with htmx (the panel alone is sent back after a change) and without it (the form
posts and the page reloads). Nothing is coded until the analyst accepts a suggestion.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from corroborate import services
from corroborate.errors import Forbidden, RecordExists, RecordNotFound, UserError
from corroborate.services import Action, Listed, allowed, grading, vocabulary
from corroborate.services import analysis as analysing

from .auth import Signed, Viewer, check_csrf
from .pages import nav
from .rendering import render

__all__ = ["router"]

router = APIRouter()
PAGE = 25


def _matrix(assessment: Any) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Sources × attributes of a proposition's supporting claims: which source gave which value."""
    names = [n for n, f in assessment.attributes.items() if not f.of_source]
    cells: dict[tuple[str, str], str] = {}
    for name in names:
        for value, sources in assessment.attributes[name].values.items():
            for source in sources:
                cells[(source, name)] = f"{cells[(source, name)]}; {value}" if (source, name) in cells else value
    sources = sorted({source for source, _ in cells})
    return sources, names, cells


@router.get("/cases/{case}/propositions")
def propositions(request: Request, case: str, who: Signed) -> Response:
    graded = grading.case_grades(request.app.state.location, actor=who.actor, case=case)  # kept between visits
    return render(request, "propositions.html", {"case": case, "graded": graded, "nav": nav(case, who)})


@router.get("/cases/{case}/propositions/{key}")
def proposition(request: Request, case: str, key: str, who: Signed) -> Response:
    assessment = analysing.explain(request.app.state.location, key, actor=who.actor, case=case)
    sources, names, cells = _matrix(assessment)
    return render(request, "proposition.html", {
        "case": case, "a": assessment, "sources": sources, "names": names, "cells": cells, "nav": nav(case, who),
    })  # fmt: skip


@router.get("/cases/{case}/excerpts")
def excerpts(request: Request, case: str, who: Signed, source: str = "", proposition: str = "", mode: str = "",
             after: str = "") -> Response:  # fmt: skip
    rows = services.excerpts(request.app.state.location, actor=who.actor, case=case, source=source or None,
                             proposition=proposition or None, mode=mode or None,
                             listed=Listed(limit=PAGE + 1, after=after or None))  # fmt: skip
    filters = {"source": source, "proposition": proposition, "mode": mode}
    return render(request, "excerpts.html", {
        "case": case, "rows": rows[:PAGE], "next": rows[PAGE - 1].id if len(rows) > PAGE else None,
        "filters": filters, "modes": vocabulary.EXCERPT_MODES, "nav": nav(case, who),
    })  # fmt: skip


def _panel(request: Request, case: str, ref: str, who: Viewer, *, done: str | None = None,
           error: str | None = None) -> dict[str, Any]:  # fmt: skip
    """What the coding panel shows: the excerpt's claims, the suggestions not yet coded, and the grade of the
    proposition just coded (when one was)."""
    location = request.app.state.location
    existing = services.claims(location, actor=who.actor, case=case, excerpt=ref)
    may_code = allowed(who.actor, Action.code_claims, case=case)
    suggestions: list[Any] = []
    if may_code:
        _, suggestions = analysing.code_suggestions(location, ref, actor=who.actor, case=case)
    taken = {(c.proposition, c.stance) for c in existing}
    offered = [(n, s) for n, s in enumerate(suggestions, start=1) if (s.proposition, s.stance) not in taken]
    graded = analysing.explain(location, done, actor=who.actor, case=case) if done else None
    return {"case": case, "ref": ref, "claims": existing, "offered": offered, "may_code": may_code,
            "graded": graded, "error": error, "stances": vocabulary.STANCES}  # fmt: skip


@router.get("/cases/{case}/excerpts/{ref}")
def excerpt(request: Request, case: str, ref: str, who: Signed) -> Response:
    location = request.app.state.location
    stored = services.records.get_record(location, "excerpt", ref, actor=who.actor, case=case)
    try:
        services.records.get_record(location, "interview", stored.item.source, actor=who.actor, case=case)
        source_path = "interviews"
    except RecordNotFound:
        source_path = "documents"
    return render(request, "excerpt.html", {"e": stored.item, "nav": nav(case, who), "source_path": source_path,
                                            **_panel(request, case, ref, who)})  # fmt: skip


@router.post("/cases/{case}/excerpts/{ref}/claims")
async def accept(request: Request, case: str, ref: str, who: Signed, csrf: Annotated[str, Form()],
                 suggestion: Annotated[int, Form()], stance: Annotated[str, Form()]) -> Response:  # fmt: skip
    """Code the excerpt with suggestion N, its attributes as the analyst left them in the form."""
    check_csrf(who, csrf)
    location = request.app.state.location
    form = await request.form()
    _, suggestions = analysing.code_suggestions(location, ref, actor=who.actor, case=case)
    if not 1 <= suggestion <= len(suggestions):
        raise UserError("that suggestion is no longer offered; reload the page")
    chosen = suggestions[suggestion - 1]
    edits: dict[str, Any] = {}
    for name in chosen.attributes:
        value = str(form.get(f"attr.{name}", "")).strip()
        edits[name] = value or None  # an emptied field leaves the attribute out
    done, error = None, None
    for attempt in range(1, 20):
        claim_id = f"C-{ref}-{suggestion}" + (f"-{attempt}" if attempt > 1 else "")
        try:
            claim = chosen.to_claim(claim_id, ref, stance=stance, attributes=edits)
            analysing.add_claim(location, claim, actor=who.actor, case=case)
            done = chosen.proposition
            break
        except RecordExists:
            continue
        except Forbidden:
            raise
        except UserError as exc:
            error = str(exc)
            break
    else:
        error = "every claim id tried for this suggestion is taken; code it from the command line (`corroborate code`)"
    if request.headers.get("HX-Request") != "true":
        return RedirectResponse(f"/cases/{case}/excerpts/{ref}", status_code=303)
    return render(request, "coding.html", _panel(request, case, ref, who, done=done, error=error))


@router.get("/cases/{case}/excerpts/{ref}/suggestions/{n}/set-aside", response_class=HTMLResponse)
def set_aside(case: str, ref: str, n: int, who: Signed) -> str:
    """Nothing is coded and nothing is stored: the suggestion leaves the panel until the page is reloaded."""
    return ""
