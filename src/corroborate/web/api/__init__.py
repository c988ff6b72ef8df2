"""The JSON API, ``/api/v1``: the use cases of the workbench's pages for scripts, through the same services
and the same role checks (docs/api.md).

It is a FastAPI application of its own, mounted under the workbench, so that its OpenAPI document holds the
API alone (``/api/v1/openapi.json``, with docs pages at ``/api/v1/docs`` whose assets the server serves
itself) and its errors are problem details (RFC 9457), never HTML.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from . import cases, docs, evidence, findings, listings, problems, publishing, records, users

__all__ = ["PREFIX", "create_api"]

PREFIX = "/api/v1"
VERSION = "1.0.0"


def create_api(state: Any) -> FastAPI:
    """The API over the store the workbench's ``state`` names (its location, briefings and publish folder)."""
    api = FastAPI(title="Corroborate API", version=VERSION, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", description=__doc__)  # fmt: skip
    for name in ("location", "briefings", "publish_dir", "trust_file", "server_key"):
        setattr(api.state, name, getattr(state, name))
    problems.install(api)
    api.include_router(cases.router)
    api.include_router(listings.router)  # before records: /cases/{case}/witnesses lists, .../{ref} reads one
    api.include_router(records.router)
    api.include_router(evidence.router)
    api.include_router(findings.router)
    api.include_router(publishing.router)
    api.include_router(users.router)
    api.include_router(docs.router)
    return api
