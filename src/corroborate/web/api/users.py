"""Users and their roles through the API, as on the users page: listed, added (with a role on one case or on
every case), removed. Managing users is a store-wide right (``manage_users`` of docs/security.md) that an API
token, made for one case, never carries: these routes answer a browser session (with its CSRF token) only.
Passwords are taken, never answered; a change is signed with the keys of the cases it touches, which the
session must have unlocked (423 otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from corroborate.services import Action, Role, UserListing, add_user, list_users, remove_user

from .callers import Calling, acts
from .problems import responses

__all__ = ["router"]

router = APIRouter()
_MANAGE = acts(Action.manage_users)
Username = Annotated[str, Path(description="the user's name")]


class NewUser(BaseModel):
    """A user to add: a password of at least 10 characters, a role, and the case it is on (none: every case)."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(description="at least 10 characters; never answered, never logged")
    role: Role
    case: str | None = Field(default=None, description="the case the role is on; none for every case")


@router.get("/users", response_model=list[UserListing], responses=responses("forbidden"), tags=["users"],
            openapi_extra=_MANAGE, summary="Every user with their roles (a browser session only)")  # fmt: skip
def users(request: Request, who: Calling) -> Any:
    return list_users(request.app.state.location, actor=who.actor)


@router.post("/users", status_code=204, responses=responses("invalid", "forbidden", "not-found", "locked"),
             tags=["users"], openapi_extra=_MANAGE,
             summary="Add a user with a role on one case or on every case (a browser session only)")  # fmt: skip
def user_add(request: Request, who: Calling, body: Annotated[NewUser, Body()]) -> Response:
    add_user(request.app.state.location, body.username.strip(), body.password, body.role, actor=who.actor,
             case=body.case, secrets=who.secrets())  # fmt: skip
    return Response(status_code=204)


@router.delete("/users/{username}", status_code=204, responses=responses("invalid", "forbidden", "locked"),
               tags=["users"], openapi_extra=_MANAGE,
               summary="Remove a user: roles revoked, account disabled (a browser session only)")  # fmt: skip
def user_remove(request: Request, username: Username, who: Calling) -> Response:
    remove_user(request.app.state.location, username, actor=who.actor, secrets=who.secrets())
    return Response(status_code=204)
