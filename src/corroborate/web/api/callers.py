"""Who calls the API: a script with a personal token (``Authorization: Bearer cbt_...``), or the workbench's
own pages with the browser's session cookie.

A token acts as its user with the token's role on its one case (services.apitokens). A request with the
session cookie acts as the signed-in user, and a change (POST, PUT, PATCH, DELETE) must also carry the
session's form token in the ``X-CSRF-Token`` header, so another site cannot make a browser change anything.
A request that presents a token is judged by the token alone, cookie or not.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from corroborate.errors import NotAuthenticated, RequestForged
from corroborate.services import Action, Actor, Secrets, apitokens, websessions

__all__ = ["ACTION_KEY", "CSRF_HEADER", "Caller", "Calling", "acts", "caller"]

CSRF_HEADER = "X-CSRF-Token"
ACTION_KEY = "x-corroborate-action"  # in each route's OpenAPI: the action of docs/security.md it needs
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "corroborate_session"  # the web's (web.auth.SESSION_COOKIE), named here to keep api apart

_bearer = HTTPBearer(
    auto_error=False, description="a personal API token (cbt_...), made with `corroborate token create`"
)
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="the workbench's session; changes also need the X-CSRF-Token header")  # fmt: skip


def acts(action: Action | None) -> dict[str, Any]:
    """A route's OpenAPI extra naming the action it needs (None: any signed-in caller, on their own things)."""
    return {ACTION_KEY: action.value if action is not None else "signed_in"}


@dataclass(frozen=True)
class Caller:
    """Who is calling: their actor (roles as of now, with their signing key), and the keys of the cases they
    unlocked through this token or session. ``token`` is the bearer token or the session's cookie token."""

    actor: Actor
    token: str = field(repr=False)
    by_token: bool
    opened: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def secrets(self, case: str | None = None) -> Secrets:
        """What a change needs to be signed by a case: the keys unlocked through this caller."""
        opened = dict(self.opened) if case is None else {case: self.opened[case]} if case in self.opened else {}
        return Secrets(opened=opened)


def caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Caller:
    """The caller of this request (NotAuthenticated, answered 401, otherwise)."""
    location = request.app.state.location
    if bearer is not None:
        found = apitokens.caller_for(location, bearer.credentials)
        if found is None:
            raise NotAuthenticated("the API token is unknown, revoked or expired")
        return Caller(found.actor, bearer.credentials, True, found.opened)
    session = websessions.session_for(location, cookie)
    if session is None or cookie is None:
        raise NotAuthenticated("send a personal API token (Authorization: Bearer ...) or sign in")
    if request.method not in SAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(session.csrf.encode(), sent.encode()):
            raise RequestForged(f"request (its {CSRF_HEADER} header)")
    return Caller(session.actor, cookie, False, session.opened)


Calling = Annotated[Caller, Depends(caller)]
