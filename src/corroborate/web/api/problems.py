"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``).

Every error a service raises becomes a problem with a stable ``type`` (a URN naming the kind of problem),
the HTTP status, a short ``title`` and the service's own sentence as ``detail`` (the same words the CLI and
the pages show, which never carry a restricted value). Request bodies that do not validate are listed field
by field in ``errors``, without the values sent: a witness's identity typed wrong is never echoed back.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from corroborate.errors import (
    CaseLocked,
    CaseNotFound,
    CorroborateError,
    DisclosureBlocked,
    Forbidden,
    NotAuthenticated,
    RecordConflict,
    RecordExists,
    RecordInUse,
    RecordNotFound,
    RequestForged,
    SigningKeyNeeded,
    StoreError,
    TooManyAttempts,
    VersionNeeded,
)

__all__ = ["MEDIA_TYPE", "PROBLEMS", "FieldProblem", "ProblemDetails", "install", "problem", "responses"]

log = logging.getLogger("corroborate.web.api")

MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    """One field of a request that did not validate: where it is and what is wrong (never its value)."""

    location: list[str | int] = Field(description="where the field is: body, query, path or header, then its path")
    message: str


class ProblemDetails(BaseModel):
    """An error (RFC 9457)."""

    type: str = Field(description="a URN naming the kind of problem, e.g. urn:corroborate:problem:forbidden")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="the path of the request")
    errors: list[FieldProblem] | None = Field(default=None, description="for a request that did not validate")


# kind of problem -> (status, title); the kinds a route may answer are listed in its OpenAPI responses.
PROBLEMS: dict[str, tuple[int, str]] = {
    "invalid": (400, "The request cannot be done"),
    "unauthenticated": (401, "Not signed in"),
    "forbidden": (403, "Not allowed"),
    "not-found": (404, "Not found"),
    "exists": (409, "Already exists"),
    "in-use": (409, "Still in use"),
    "locked": (423, "Case locked"),
    "stale": (412, "Changed since read"),
    "precondition-required": (428, "Version needed"),
    "validation": (422, "The request did not validate"),
    "too-many": (429, "Too many attempts"),
    "disclosure": (409, "Publication blocked"),
    "store": (500, "Store error"),
    "http": (400, "Bad request"),
}


def problem(
    request: Request, kind: str, detail: str | None, *, status: int | None = None, title: str | None = None,
    errors: list[FieldProblem] | None = None, headers: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """A problem-details answer of one kind."""
    code, default_title = PROBLEMS[kind]
    body = ProblemDetails(type=f"urn:corroborate:problem:{kind}", title=title or default_title,
                          status=status or code, detail=detail, instance=request.url.path, errors=errors)  # fmt: skip
    return JSONResponse(body.model_dump(exclude_none=True), status_code=body.status, media_type=MEDIA_TYPE,
                        headers=headers)  # fmt: skip


def _kind(exc: CorroborateError) -> str:
    if isinstance(exc, StoreError):
        return "store"
    if isinstance(exc, SigningKeyNeeded) and not exc.legacy:  # a case to unlock first (a legacy one: to sign)
        return "locked"
    for cls, kind in ((NotAuthenticated, "unauthenticated"), (Forbidden, "forbidden"), (TooManyAttempts, "too-many"),
                      (RequestForged, "forbidden"), (VersionNeeded, "precondition-required"),
                      (RecordConflict, "stale"), (RecordNotFound, "not-found"), (CaseNotFound, "not-found"),
                      (RecordExists, "exists"), (RecordInUse, "in-use"), (CaseLocked, "locked"),
                      (DisclosureBlocked, "disclosure")):  # fmt: skip
        if isinstance(exc, cls):
            return kind
    return "invalid"


def _field_problems(exc: RequestValidationError, *, identity: bool) -> list[FieldProblem]:
    """Each field that did not validate, with the validator's words but never the value sent: a validator may
    quote what it was given, and what was given may be a witness's identity (``identity``: the whole body is)."""
    found = []
    for error in exc.errors():
        location = [p if isinstance(p, int) else str(p) for p in error.get("loc", ())]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        sent = error.get("input")
        if identity or "restricted" in location:
            message = "invalid value"
        elif isinstance(sent, str | int | float) and len(str(sent)) > 2 and str(sent) in message:
            message = message.replace(str(sent), "(the value sent)")
        found.append(FieldProblem(location=location, message=message))
    return found


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as problem details."""

    @app.exception_handler(CorroborateError)
    async def _service_error(request: Request, exc: CorroborateError) -> Response:
        kind = _kind(exc)
        if kind == "store":
            log.error("store error on %s: %s", request.url.path, type(exc).__name__)
            detail = "The case store could not answer. Nothing was changed; try again, or ask whoever runs it."
            return problem(request, kind, detail)
        headers = {}
        if kind == "unauthenticated":
            headers["WWW-Authenticate"] = 'Bearer realm="corroborate"'
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        detail = str(exc)
        locked = [exc.case_id] if isinstance(exc, CaseLocked) else getattr(exc, "cases", [])
        if locked and kind == "locked":  # the command-line advice of these messages means nothing to an API client
            routes = ", ".join(f"{request.scope.get('root_path', '')}/cases/{case}/unlock" for case in locked)
            named = ", ".join(repr(case) for case in locked)
            detail = f"case {named} is locked for this token or session: POST its passphrase to {routes} first"
        if isinstance(exc, DisclosureBlocked):
            detail = "; ".join([detail, *exc.problems])
        return problem(request, kind, detail, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        identity = request.url.path.endswith("/identity")
        return problem(request, "validation", "fix the fields listed in errors and send it again",
                       errors=_field_problems(exc, identity=identity))  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = "not-found" if exc.status_code == 404 else "http"
        title = None if exc.status_code == 404 else str(exc.detail)
        return problem(request, kind, str(exc.detail), status=exc.status_code, title=title,
                       headers=getattr(exc, "headers", None))  # fmt: skip


def responses(*kinds: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route for the kinds of problem it may answer (401, 422, 500 always)."""
    found: dict[int | str, dict[str, Any]] = {}
    for kind in ("unauthenticated", "validation", "store", *kinds):
        status, title = PROBLEMS[kind]
        schema = {"$ref": "#/components/schemas/ProblemDetails"}
        entry = found.setdefault(status, {"description": title, "model": ProblemDetails,
                                          "content": {MEDIA_TYPE: {"schema": schema}}})  # fmt: skip
        if title not in entry["description"]:
            entry["description"] += f"; {title.lower()}"
    return found
