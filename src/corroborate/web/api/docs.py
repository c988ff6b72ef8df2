"""The API's docs pages: Swagger UI over ``/api/v1/openapi.json``, its files served by this server from the
``node_modules`` folder ``make`` installs (swagger-ui-dist, pinned in package-lock.json), never a CDN.

The page has no inline script: a small script of the workbench's own starts Swagger UI. Swagger UI sets
styles on its elements as it draws, so this page alone allows inline styles.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from corroborate.web.assets import node_modules

__all__ = ["DOCS_CSP", "FILES", "router"]

router = APIRouter(include_in_schema=False)

# What is served under /api/v1/docs/<name>: its name there -> path inside node_modules, media type.
FILES = {
    "swagger-ui.css": ("swagger-ui-dist/swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": ("swagger-ui-dist/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
}
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Corroborate API</title>
<link rel="stylesheet" href="{root}/docs/swagger-ui.css">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
</head>
<body data-spec="{root}/openapi.json">
<div id="swagger-ui"></div>
<script src="{root}/docs/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
def docs(request: Request) -> Response:
    root = request.scope.get("root_path", "")
    return HTMLResponse(_PAGE.format(root=root), headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs/{name}")
def docs_file(name: str) -> Response:
    found = FILES.get(name)
    if found is None:
        return Response("Not Found", status_code=404, media_type="text/plain")
    inside, media_type = found
    return FileResponse(node_modules() / inside, media_type=media_type)
