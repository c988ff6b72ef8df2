"""The page where a signed-in user makes and revokes their personal API tokens (docs/api.md).

A new token's value is shown on the answer to the form that made it, once, and never again; the store keeps
its hash. The page lists the user's own tokens only, never their values.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from corroborate import services
from corroborate.errors import UserError
from corroborate.services import Role, apitokens

from .administration import ROLE_LABELS
from .auth import Signed, Viewer, check_csrf
from .pages import nav
from .rendering import render

__all__ = ["router"]

router = APIRouter()


def _page(request: Request, who: Viewer, *, made: apitokens.NewToken | None = None, error: str | None = None,
          status: int = 200) -> Response:  # fmt: skip
    location = request.app.state.location
    cases = services.case_ids(location, actor=who.actor)
    # The roles a token may have on at least one of the user's cases (the service checks the case chosen).
    choices = [r for r in Role if any(apitokens.role_within(r, who.actor.role_for(c)) for c in cases)]
    case = cases[0] if len(cases) == 1 else ""
    return render(request, "tokens.html", {
        "case": case, "nav": nav(case, who) if case else None, "query": "", "cases": cases, "choices": choices,
        "roles": ROLE_LABELS,
        "tokens": apitokens.list_tokens(location, actor=who.actor), "made": made, "error": error,
        "days": apitokens.DEFAULT_DAYS, "max_days": apitokens.MAX_DAYS,
    }, status=status)  # fmt: skip


@router.get("/tokens")
def tokens(request: Request, who: Signed) -> Response:
    return _page(request, who)


@router.post("/tokens")
def create(
    request: Request, who: Signed, csrf: Annotated[str, Form()], name: Annotated[str, Form()],
    case: Annotated[str, Form()], role: Annotated[str, Form()], days: Annotated[int, Form()] = apitokens.DEFAULT_DAYS,
) -> Response:  # fmt: skip
    check_csrf(who, csrf)
    try:
        made = apitokens.create_token(request.app.state.location, actor=who.actor, name=name, case=case, role=role,
                                      days=days)  # fmt: skip
    except UserError as exc:
        return _page(request, who, error=str(exc), status=400)
    return _page(request, who, made=made)


@router.post("/tokens/{number}/revoke")
def revoke(request: Request, number: int, who: Signed, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(who, csrf)
    apitokens.revoke_token(request.app.state.location, number, actor=who.actor)
    return RedirectResponse("/tokens", status_code=303)
