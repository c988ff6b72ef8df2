"""Publishing from the browser: a briefing's disclosure checks, a paragraph drafted on top of it, and the
publish button the checks can block.

The briefings are the outline files the server was started with (``corroborate serve --briefing FILE``).
A drafted paragraph travels in the form, is checked and published with the outline, and is never stored:
a draft that names a witness leaves nothing behind. Published files go to the server's publication folder
(``--publish-dir``), one folder per case, and are offered for download. Checks and publishing render the
whole briefing, PDF included, so they take a few seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response

from corroborate.errors import CaseLocked, DisclosureBlocked, Forbidden, UserError
from corroborate.services import Action, allowed
from corroborate.services import publish as publishing

from .auth import Signed, Viewer, check_csrf
from .pages import nav
from .rendering import render
from .unlocks import secrets_for

__all__ = ["router"]

router = APIRouter()
MEDIA = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}
# A briefing's page carries its own stylesheet: its preview may use inline style, and nothing else at all.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def _may_publish(who: Viewer, case: str) -> None:
    if not allowed(who.actor, Action.publish, case=case):
        raise Forbidden(who.name, str(who.actor.role_for(case) or "no role"), "publish", case)


def _briefings(request: Request) -> dict[str, Path]:
    """The server's briefing outlines by name (the file's name without .yaml)."""
    return {Path(p).stem: Path(p) for p in request.app.state.briefings}


def _published(request: Request, case: str) -> list[Path]:
    folder: Path | None = request.app.state.publish_dir
    if folder is None or not (folder / case).is_dir():
        return []
    return sorted(p for p in (folder / case).iterdir() if p.suffix in MEDIA and not p.name.startswith("."))


def _briefing(request: Request, name: str) -> publishing.Briefing:
    path = _briefings(request).get(name)
    if path is None:
        raise UserError(f"this workbench has no briefing called {name!r}")
    return publishing.read_briefing(path)


@router.get("/cases/{case}/publication")
def publication(request: Request, case: str, who: Signed) -> Response:
    _may_publish(who, case)
    return render(request, "publication.html", {
        "case": case, "nav": nav(case, who), "query": "", "briefings": sorted(_briefings(request)),
        "published": _published(request, case), "folder": request.app.state.publish_dir,
    })  # fmt: skip


def _page(request: Request, case: str, who: Viewer, name: str, status: int = 200, **more: Any) -> Response:
    briefing = _briefing(request, name)
    context = {"case": case, "nav": nav(case, who), "query": "", "name": name, "outline": briefing.outline,
               "report": None, "blocked": None, "written": [], "locked": False, "section": 0, "paragraph": "",
               "error": None, "may_unlock": allowed(who.actor, Action.unlock, case=case), **more}  # fmt: skip
    return render(request, "briefing.html", context, status=status)


@router.get("/cases/{case}/publication/{name}")
def briefing(request: Request, case: str, name: str, who: Signed) -> Response:
    _may_publish(who, case)
    return _page(request, case, who, name)


@router.post("/cases/{case}/publication/{name}")
def check_or_publish(
    request: Request, case: str, name: str, who: Signed, csrf: Annotated[str, Form()],
    do: Annotated[str, Form()] = "check", section: Annotated[int, Form()] = 0,
    paragraph: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Run the disclosure checks on the briefing (with the drafted paragraph, if any); publish it if asked
    and every check passes."""
    check_csrf(who, csrf)
    _may_publish(who, case)
    draft: dict[str, Any] = {"section": section, "paragraph": paragraph}
    location = request.app.state.location
    secrets = secrets_for(request, who, case, scan=True)
    try:
        chosen = _briefing(request, name)
        if paragraph.strip():
            chosen = publishing.with_paragraph(chosen, section, paragraph)
        if do == "publish":
            folder: Path | None = request.app.state.publish_dir
            if folder is None:
                raise UserError("this workbench has no publication folder: start it with `corroborate serve "
                                "--publish-dir DIR`")  # fmt: skip
            done = publishing.publish(location, chosen, folder / case, actor=who.actor, secrets=secrets, case=case,
                                      name=name)  # fmt: skip
            return _page(request, case, who, name, report=done.report, written=[p.name for p in done.files], **draft)
        report, page = publishing.preview(location, chosen, actor=who.actor, secrets=secrets, case=case)
        if do == "preview" and page is not None:
            return Response(
                page, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": PREVIEW_CSP}
            )
    except DisclosureBlocked as exc:
        return _page(request, case, who, name, status=409, blocked=exc.problems, **draft)
    except CaseLocked:
        return _page(request, case, who, name, status=403, locked=True, **draft)
    except Forbidden:
        raise
    except UserError as exc:
        return _page(request, case, who, name, status=400, error=str(exc), **draft)
    return _page(request, case, who, name, report=report, **draft)


@router.get("/cases/{case}/publication/files/{filename}")
def published_file(request: Request, case: str, filename: str, who: Signed) -> Response:
    """A published file, as a download (only a name listed in the case's publication folder)."""
    _may_publish(who, case)
    for path in _published(request, case):
        if path.name == filename:
            return FileResponse(path, media_type=MEDIA[path.suffix], filename=path.name)
    raise UserError(f"no published file called {filename!r}")
