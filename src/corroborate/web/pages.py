"""The case's pages: the list of cases, a case's dashboard, its witnesses (listed and one by one), search.

Each page asks the services with the signed-in user's actor, so the role table of docs/security.md decides
what it shows; a section the role may not see is left out, not shown empty.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from corroborate import services
from corroborate.errors import CaseLocked, Forbidden, UserError
from corroborate.services import Action, Listed, allowed, grading, records, search, vocabulary

from .auth import Signed
from .rendering import render
from .unlocks import is_unlocked, secrets_for

__all__ = ["nav", "router"]

router = APIRouter()
PAGE = 25  # rows per page of a listing


def nav(case: str, who: Any) -> dict[str, bool]:
    actor = who.actor
    return {
        "witnesses": allowed(actor, Action.list_witnesses, case=case),
        "propositions": allowed(actor, Action.analyse, case=case),
        "search": allowed(actor, Action.analyse, case=case),  # search reads the case's text as analysing does
        "excerpts": allowed(actor, Action.list_excerpts, case=case),
        "edit": allowed(actor, Action.edit_records, case=case),
        "audit": allowed(actor, Action.audit_log, case=case),
        "interviews": allowed(actor, Action.list_interviews, case=case),
        "documents": allowed(actor, Action.list_documents, case=case),
        "timeline": allowed(actor, Action.analyse, case=case),
        "map": allowed(actor, Action.list_witnesses, case=case),
        "law": allowed(actor, Action.analyse, case=case),
        "recommendations": allowed(actor, Action.list_recommendations, case=case),
        "publication": allowed(actor, Action.publish, case=case),
        "users": allowed(actor, Action.manage_users),
    }


@router.get("/")
def home(request: Request, who: Signed) -> Response:
    cases = services.case_ids(request.app.state.location, actor=who.actor)
    if len(cases) == 1:
        return RedirectResponse(f"/cases/{cases[0]}", status_code=303)
    return render(request, "cases.html", {"cases": cases})


@router.get("/cases/{case}")
def dashboard(request: Request, case: str, who: Signed) -> Response:
    location = request.app.state.location
    counts = services.summary(location, actor=who.actor, case=case)
    graded = None
    if allowed(who.actor, Action.analyse, case=case):  # kept between visits: grading reads every claim
        graded = grading.case_grades(location, actor=who.actor, case=case)
    activity = None
    if allowed(who.actor, Action.audit_log, case=case):
        activity = sorted(services.audit_entries(location, actor=who.actor, case=case, limit=10),
                          key=lambda e: -e.seq)  # fmt: skip
    return render(request, "dashboard.html", {
        "case": case, "counts": counts, "graded": graded,
        "activity": activity, "nav": nav(case, who), "query": "",
    })  # fmt: skip


@router.get("/cases/{case}/witnesses")
def witnesses(
    request: Request, case: str, who: Signed,
    gender: str = "", origin: str = "", nationality: str = "", age: str = "",
    start: Annotated[str, Query(alias="from")] = "", end: Annotated[str, Query(alias="to")] = "", after: str = "",
) -> Response:  # fmt: skip
    filters = {"gender": gender, "origin": origin, "nationality": nationality, "age": age, "from": start, "to": end}
    listed = Listed(gender=gender or None, origin=origin or None, nationality=nationality or None, age=age or None,
                    start=start or None, end=end or None, limit=PAGE + 1, after=after or None)  # fmt: skip
    error = None
    try:
        rows = services.witnesses(request.app.state.location, actor=who.actor, case=case, listed=listed)
    except Forbidden:
        raise
    except UserError as exc:  # a filter that means nothing (an age, a place, a date): said beside the form
        if after:
            raise
        rows, error = [], str(exc)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render(request, "witnesses.html", {
        "case": case, "rows": rows, "filters": filters, "error": error, "nav": nav(case, who), "query": "",
        "next": rows[-1].witness.id if more else None,
        "genders": vocabulary.GENDERS,
        "may_export_identities": allowed(who.actor, Action.export_full, case=case)
        and is_unlocked(who, case),
    })  # fmt: skip


@router.get("/cases/{case}/witnesses/{ref}")
def witness(request: Request, case: str, ref: str, who: Signed) -> Response:
    location = request.app.state.location
    stored = records.get_record(location, "witness", ref, actor=who.actor, case=case)
    interviews = services.interviews(location, actor=who.actor, case=case, listed=Listed(witness=ref))
    claims = services.claims(location, actor=who.actor, case=case, listed=Listed(witness=ref))
    supports = Counter(c.proposition for c in claims if c.stance == "supports")
    contradicts = Counter(c.proposition for c in claims if c.stance == "contradicts")
    return render(request, "witness.html", {
        "case": case, "witness": stored.item, "interviews": interviews, "claims": claims,
        "supports": sorted(supports.items()), "contradicts": sorted(contradicts.items()), "nav": nav(case, who),
        "query": "", **_identity(request, case, ref, who),
    })  # fmt: skip


def _identity(request: Request, case: str, ref: str, who: Any) -> dict[str, Any]:
    """The witness's restricted identity, only for who may see identities and unlocked the case in this
    browser session; for anyone else nothing of it reaches the page (not even that there is one)."""
    if not allowed(who.actor, Action.view_identities, case=case):
        return {"may_see_identity": False}
    if not is_unlocked(who, case):
        return {"may_see_identity": True, "identity_locked": True}
    secrets = secrets_for(request, who, case)
    try:
        opened = records.get_record(request.app.state.location, "witness", ref, actor=who.actor, case=case,
                                    secrets=secrets, identity=True)  # fmt: skip
    except CaseLocked:  # the unlock session ran out
        return {"may_see_identity": True, "identity_locked": True}
    return {"may_see_identity": True, "identity_locked": False, "identity": opened.item.restricted}


@router.get("/cases/{case}/search")
def find(request: Request, case: str, who: Signed, q: str = "") -> Response:
    hits = search.search(request.app.state.location, q, actor=who.actor, case=case, limit=50) if q.strip() else []
    return render(request, "search.html", {"case": case, "query": q, "hits": hits, "nav": nav(case, who)})
