"""Signing in and out: the session cookie, the form token every change must carry, and who is asking.

The cookie holds a random token (HttpOnly, SameSite=Strict, Secure behind HTTPS); the store keeps only its
hash. Every POST carries the session's CSRF token in a form field (``csrf``), checked in constant time; the
sign-in form carries one of its own, from a cookie set with the form.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from corroborate.errors import NotAuthenticated, TooManyAttempts, UserError
from corroborate.services import Actor, websessions

from .i18n import LANGUAGES, N_
from .rendering import render

__all__ = ["SESSION_COOKIE", "Viewer", "check_csrf", "router", "viewer"]

SESSION_COOKIE = "corroborate_session"
LOGIN_COOKIE = "corroborate_login"

router = APIRouter()


@dataclass(frozen=True)
class Viewer:
    """Who is asking: their actor (roles as of now, with their signing key), their session's form token and
    language, and the keys of the cases they unlocked in this session (case -> keys, unexpired)."""

    actor: Actor
    csrf: str
    language: str | None
    token: str
    opened: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.actor.name


def viewer(request: Request) -> Viewer:
    """The signed-in user of this request (NotAuthenticated, which sends the browser to sign in, otherwise).

    Everything the session holds comes from the store, sealed under the cookie's token: any worker of a
    server answers any request (services.websessions).
    """
    token = request.cookies.get(SESSION_COOKIE)
    found = websessions.session_for(request.app.state.location, token)
    if found is None or token is None:
        raise NotAuthenticated("please sign in")
    signed = Viewer(found.actor, found.csrf, found.language, token, found.opened)
    request.state.viewer = signed
    return signed


Signed = Annotated[Viewer, Depends(viewer)]


def check_csrf(who: Viewer, token: str) -> None:
    """Refuse a change whose form did not carry this session's token."""
    if not hmac.compare_digest(who.csrf.encode(), token.encode()):
        raise UserError(N_("this form has expired or did not come from this workbench; reload the page and try again"))


def _local(target: str | None) -> str:
    """Where to go after signing in: a path on this site only."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")  # fmt: skip


def _login_page(request: Request, *, error: str | None = None, status: int = 200, next_: str = "/") -> Response:
    form_token = secrets.token_urlsafe(32)
    accounts = websessions.has_accounts(request.app.state.location)
    response = render(request, "login.html", {"error": error, "form_token": form_token, "next": _local(next_),
                                              "accounts": accounts}, status=status)  # fmt: skip
    _cookie(response, request, LOGIN_COOKIE, form_token, 3600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_=next)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    form_token: Annotated[str, Form()],
    totp: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), form_token.encode()):
        return _login_page(request, error=N_("The sign-in form expired; please try again."), status=400, next_=next)
    address = request.client.host if request.client else "unknown"
    try:
        started = websessions.start_session(request.app.state.location, username, password, totp or None,
                                            address=address)  # fmt: skip
    except TooManyAttempts as exc:
        response = _login_page(request, error=str(exc).capitalize() + ".", status=429, next_=next)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotAuthenticated as exc:
        return _login_page(request, error=str(exc).capitalize() + ".", status=401, next_=next)
    response = RedirectResponse(_local(next), status_code=303)
    _cookie(response, request, SESSION_COOKIE, started.token, None)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, who: Signed, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(who, csrf)
    websessions.end_session(request.app.state.location, who.token)  # what it held sealed goes with it
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, who: Signed, csrf: Annotated[str, Form()]) -> Response:
    check_csrf(who, csrf)
    websessions.end_everywhere(request.app.state.location, who.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def choose_language(
    request: Request, who: Signed, csrf: Annotated[str, Form()], language: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:  # fmt: skip
    """Keep the interface language the user chose for the rest of the session."""
    check_csrf(who, csrf)
    if language not in LANGUAGES:
        raise UserError(f"the workbench speaks {', '.join(LANGUAGES)}, not {language!r}")
    websessions.set_language(request.app.state.location, who.token, language)
    return RedirectResponse(_local(next), status_code=303)
