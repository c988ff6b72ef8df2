"""The front-end libraries the workbench serves itself, from the ``node_modules`` folder ``make`` installs.

``make`` runs ``npm ci`` (package-lock.json pins the versions), so no library file is ever copied into the
repository and nothing is fetched from another origin at run time. Only the files named in ``VENDOR`` are
served, at ``/static/vendor/<name>``: the rest of ``node_modules`` is never reachable (axe-core, for one, is
for the browser tests only, which inject it themselves). Missing files stop the app at start-up, not at the
first page a user opens.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

from corroborate.errors import UserError

__all__ = ["ASSETS_VARIABLE", "VENDOR", "node_modules", "router"]

ASSETS_VARIABLE = "CORROBORATE_WEB_ASSETS"  # a node_modules folder to use instead of the repository's
# What is served under /static/vendor/: its name there → its path inside node_modules (an allow-list).
VENDOR = {"htmx.min.js": "htmx.org/dist/htmx.min.js"}
LOCKFILE = "package-lock.json"  # marks the repository root, where `npm ci` makes node_modules


def node_modules() -> Path:
    """The node_modules folder: the one ``CORROBORATE_WEB_ASSETS`` names, else the repository's own."""
    named = os.environ.get(ASSETS_VARIABLE)
    if named:
        return Path(named).expanduser()
    here = Path(__file__).resolve()
    for folder in here.parents:  # from the package up to the repository (an editable install's checkout)
        if (folder / LOCKFILE).is_file():
            return folder / "node_modules"
    return here.parents[3] / "node_modules"  # src/corroborate/web/ → the checkout; only said in the error


def vendor_files() -> dict[str, Path]:
    """Each allow-listed file by its served name; raises ``UserError`` naming every missing one."""
    folder = node_modules()
    files = {name: folder / inside for name, inside in VENDOR.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise UserError(
            f"the web workbench's front-end libraries are missing ({', '.join(missing)}): run `make` in the "
            f"repository (it installs them with `npm ci`), or set {ASSETS_VARIABLE} to a node_modules folder "
            "that has them"
        )
    return files


def router() -> APIRouter:
    """``GET /static/vendor/<name>`` for the allow-listed files; checks now that they are all installed."""
    files = vendor_files()
    routes = APIRouter()

    @routes.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = files.get(name)
        if path is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return FileResponse(path, media_type="text/javascript; charset=utf-8")

    return routes
