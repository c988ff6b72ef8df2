"""The application: one store, its routes, security headers on every answer, errors rendered as pages."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from corroborate import services
from corroborate.errors import CorroborateError, Forbidden, NotAuthenticated, StoreError

from . import (
    administration,
    api,
    assets,
    auth,
    evidence,
    exports,
    findings,
    geography,
    pages,
    publication,
    records,
    sources,
    tokens,
)
from .i18n import N_
from .rendering import render

__all__ = [
    "BRIEFINGS_VARIABLE",
    "PUBLISH_DIR_VARIABLE",
    "SERVER_KEY_VARIABLE",
    "STORE_VARIABLE",
    "app_from_environment",
    "create_app",
]

log = logging.getLogger("corroborate.web")

STATIC = Path(__file__).parent / "static"

# No inline script or style anywhere; nothing is loaded from another origin; no page may be framed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """The same security headers on every answer; pages are never cached (they may hold case data)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():  # a page that sets a stricter policy of its own keeps it
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def create_app(
    location: str,
    *,
    briefings: Sequence[Path] = (),
    publish_dir: Path | None = None,
    trust_file: Path | None = None,
    server_key: bytes | None = None,
) -> FastAPI:
    """The workbench for the store at ``location`` (a SQLite path or a database URL).

    ``briefings``: the briefing outlines its publication page offers; ``publish_dir``: where publishing writes
    (a folder per case; without one, briefings can be checked but not published); ``trust_file``: where
    verifying the audit log pins the case's signing key (default: the user's, see services.trust);
    ``server_key``: 32 bytes every worker of one server shares (default: random, for a server of one process).
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with services.kept_open(location):  # connections pooled for the server's life, not made per request
            yield

    app = FastAPI(title="Corroborate", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.location = location
    app.state.briefings = [Path(p) for p in briefings]
    app.state.publish_dir = Path(publish_dir) if publish_dir is not None else None
    app.state.trust_file = Path(trust_file) if trust_file is not None else None
    # Seals what every worker of this server shares through the store (the editors' scan key, web.unlocks).
    app.state.server_key = server_key if server_key is not None else os.urandom(32)
    app.add_middleware(SecurityHeaders)
    app.include_router(assets.router())  # before the /static mount, which would answer /static/vendor/ too
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(records.router)
    app.include_router(evidence.router)
    app.include_router(publication.router)
    app.include_router(exports.router)
    app.include_router(sources.router)
    app.include_router(administration.router)
    app.include_router(findings.router)
    app.include_router(geography.router)
    app.include_router(tokens.router)
    app.mount(api.PREFIX, api.create_api(app.state))  # JSON, with its own OpenAPI document and problem details

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(api.PREFIX + "/") or request.url.path == api.PREFIX:
            # A path the API's mount does not take (say, a newline in a segment): still a problem, in JSON.
            kind = "not-found" if exc.status_code == 404 else "http"
            return api.problems.problem(request, kind, str(exc.detail), status=exc.status_code)
        return await http_exception_handler(request, exc)

    @app.exception_handler(NotAuthenticated)
    async def _signed_out(request: Request, exc: NotAuthenticated) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", {"title": N_("Not allowed"), "message": str(exc)}, status=403)

    @app.exception_handler(StoreError)
    async def _store_failed(request: Request, exc: StoreError) -> Response:
        log.error("store error on %s: %s", request.url.path, type(exc).__name__)
        message = N_("The case store could not answer. Nothing was changed; try again, or ask whoever runs it.")
        return render(request, "error.html", {"title": N_("Store error"), "message": message}, status=500)

    @app.exception_handler(CorroborateError)
    async def _user_error(request: Request, exc: CorroborateError) -> Response:
        return render(request, "error.html", {"title": N_("Cannot do that"), "message": str(exc)}, status=400)

    return app


STORE_VARIABLE = "CORROBORATE_WEB_STORE"
BRIEFINGS_VARIABLE = "CORROBORATE_WEB_BRIEFINGS"  # outline files, separated by os.pathsep
PUBLISH_DIR_VARIABLE = "CORROBORATE_WEB_PUBLISH_DIR"
TRUST_FILE_VARIABLE = "CORROBORATE_TRUST_FILE"  # the same setting as the command line's (docs/settings.md)
SERVER_KEY_VARIABLE = "CORROBORATE_WEB_SERVER_KEY"  # made by `corroborate serve` for its workers, never stored


def app_from_environment() -> FastAPI:
    """The workbench `corroborate serve` describes in the environment (how each server worker finds it)."""
    named = os.environ.get(BRIEFINGS_VARIABLE, "")
    folder = os.environ.get(PUBLISH_DIR_VARIABLE)
    trust = os.environ.get(TRUST_FILE_VARIABLE)
    shared = os.environ.get(SERVER_KEY_VARIABLE)
    return create_app(os.environ[STORE_VARIABLE], briefings=[Path(p) for p in named.split(os.pathsep) if p],
                      publish_dir=Path(folder) if folder else None, trust_file=Path(trust) if trust else None,
                      server_key=bytes.fromhex(shared) if shared else None)  # fmt: skip
