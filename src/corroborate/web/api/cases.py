"""Cases, unlocking a case for this token or session, and personal API tokens.

A token is made from a signed-in browser session (or with `corroborate token create`), never from another
token: a script cannot mint itself more access. Its value is in the answer once and never again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from corroborate.errors import Forbidden
from corroborate.services import Action, CaseCounts, Role, apitokens, case_ids, summary, websessions

from .callers import Calling, acts
from .models import CaseOut
from .problems import responses

__all__ = ["UNLOCK_MINUTES", "router"]

router = APIRouter()
UNLOCK_MINUTES = 60


class Unlock(BaseModel):
    passphrase: str = Field(min_length=1, description="the case's passphrase; it is checked, never kept")


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="what the token is for, e.g. 'intake form'")
    case: str = Field(min_length=1)
    role: Role = Field(description="no higher than yours on the case")
    days: int = Field(default=apitokens.DEFAULT_DAYS, ge=1, le=apitokens.MAX_DAYS)


class TokenOut(BaseModel):
    """A token as listed: never its value."""

    number: int
    name: str
    case: str
    role: str
    created_at: str
    expires_at: str
    used_at: str | None
    revoked_at: str | None


class NewTokenOut(BaseModel):
    """A token just made: ``token`` is shown this once; keep it like a password."""

    number: int
    token: str
    case: str
    role: str
    expires_at: str


@router.get("/cases", response_model=list[CaseOut], responses=responses(), tags=["cases"],
            openapi_extra=acts(Action.list_cases),
            summary="The cases you have a role on")  # fmt: skip
def cases(request: Request, who: Calling) -> Any:
    found = case_ids(request.app.state.location, actor=who.actor)
    return [CaseOut(id=ref, role=str(who.actor.role_for(ref))) for ref in found]


@router.get("/cases/{case}", response_model=CaseCounts, responses=responses("forbidden", "not-found"),
            openapi_extra=acts(Action.summary),
            tags=["cases"], summary="What a case holds")  # fmt: skip
def case_summary(request: Request, case: str, who: Calling) -> Any:
    return summary(request.app.state.location, actor=who.actor, case=case)


@router.post("/cases/{case}/unlock", status_code=204,
             responses=responses("invalid", "forbidden", "not-found", "too-many"),
             openapi_extra=acts(Action.unlock),
             tags=["cases"], summary="Open the case's keys for this token or session for an hour")  # fmt: skip
def unlock(request: Request, case: str, who: Calling, body: Annotated[Unlock, Body()]) -> Response:
    location = request.app.state.location
    address = request.client.host if request.client else "unknown"
    keys = websessions.open_keys(location, actor=who.actor, passphrase=body.passphrase, case=case, address=address)
    if who.by_token:
        apitokens.keep_unlocked(location, who.token, keys, minutes=UNLOCK_MINUTES)
    else:
        websessions.keep_unlocked(location, who.token, keys, minutes=UNLOCK_MINUTES)
    return Response(status_code=204)


@router.get("/tokens", response_model=list[TokenOut], responses=responses(), tags=["tokens"], openapi_extra=acts(None),
            summary="Your API tokens (never their values)")  # fmt: skip
def tokens(request: Request, who: Calling) -> Any:
    return [TokenOut(number=t.pk, name=t.name, case=t.case, role=t.role, created_at=t.created_at,
                     expires_at=t.expires_at, used_at=t.used_at, revoked_at=t.revoked_at)
            for t in apitokens.list_tokens(request.app.state.location, actor=who.actor)]  # fmt: skip


@router.post("/tokens", response_model=NewTokenOut, status_code=201, tags=["tokens"], openapi_extra=acts(None),
             responses=responses("invalid", "forbidden", "not-found"),
             summary="Make a token (from a browser session only); its value is shown once")  # fmt: skip
def create_token(request: Request, who: Calling, body: Annotated[TokenRequest, Body()]) -> Any:
    if who.by_token:
        raise Forbidden(who.actor.name, "API token", "make tokens (sign in with a browser or use the CLI)")
    made = apitokens.create_token(request.app.state.location, actor=who.actor, name=body.name, case=body.case,
                                  role=body.role, days=body.days)  # fmt: skip
    return NewTokenOut(number=made.number, token=made.token, case=made.case, role=made.role.value,
                       expires_at=made.expires_at)  # fmt: skip


@router.delete("/tokens/{number}", status_code=204, responses=responses("invalid"), tags=["tokens"],
               openapi_extra=acts(None),
               summary="Revoke one of your tokens at once")  # fmt: skip
def revoke_token(request: Request, number: Annotated[int, Path(ge=1, le=2**63 - 1)], who: Calling) -> Response:
    apitokens.revoke_token(request.app.state.location, number, actor=who.actor)
    return Response(status_code=204)
