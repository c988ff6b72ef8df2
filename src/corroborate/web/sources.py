"""Interviews and documents, their evidence files, and the text viewer where selecting a passage of a
transcript or statement makes an excerpt that keeps its position (as documentalists do in Uwazi).

Evidence files are restricted (a recording or a signed statement can identify a witness): only owners and
investigators see them, and only once the case is unlocked in this browser session, since their content
is sealed under the case's key. The excerpt's text is cut from the file's text by the server at the
position chosen, never taken from the form, so an excerpt always says exactly what the file says there.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from corroborate import services
from corroborate.errors import CaseLocked, Forbidden, PassageInvalid, UserError
from corroborate.services import Action, Listed, allowed, attachments, records, vocabulary

from .auth import Signed, Viewer, check_csrf
from .i18n import N_
from .pages import nav
from .records import form_problems, locked_page
from .rendering import render
from .unlocks import secrets_for

__all__ = ["router"]

router = APIRouter()
PAGE = 25


def _evidence(request: Request, case: str, who: Viewer, source: str) -> dict[str, Any]:
    """The source's evidence files for who may see them: the files, or why they are not shown."""
    if not allowed(who.actor, Action.read_attachments, case=case):
        return {"files": None, "files_locked": False}
    try:
        found = attachments.list_attachments(request.app.state.location, actor=who.actor, case=case, source=source,
                                             secrets=secrets_for(request, who, case))  # fmt: skip
    except CaseLocked:
        return {"files": None, "files_locked": True}
    return {"files": found, "files_locked": False}


@router.get("/cases/{case}/interviews")
def interviews(request: Request, case: str, who: Signed, witness: str = "", after: str = "") -> Response:
    rows = services.interviews(request.app.state.location, actor=who.actor, case=case,
                               listed=Listed(witness=witness or None, limit=PAGE + 1, after=after or None))  # fmt: skip
    return render(request, "interviews.html", {
        "case": case, "nav": nav(case, who), "query": "", "rows": rows[:PAGE], "filters": {"witness": witness},
        "next": rows[PAGE - 1].id if len(rows) > PAGE else None,
    })  # fmt: skip


@router.get("/cases/{case}/interviews/{ref}")
def interview(request: Request, case: str, ref: str, who: Signed) -> Response:
    return _source_page(request, case, "interview", ref, who)


@router.get("/cases/{case}/documents")
def documents(request: Request, case: str, who: Signed, after: str = "") -> Response:
    rows = services.documents(request.app.state.location, actor=who.actor, case=case, limit=PAGE + 1,
                              after=after or None)  # fmt: skip
    return render(request, "documents.html", {
        "case": case, "nav": nav(case, who), "query": "", "rows": rows[:PAGE], "filters": {},
        "next": rows[PAGE - 1].id if len(rows) > PAGE else None,
    })  # fmt: skip


@router.get("/cases/{case}/documents/{ref}")
def document(request: Request, case: str, ref: str, who: Signed) -> Response:
    return _source_page(request, case, "document", ref, who)


def _source_page(request: Request, case: str, kind: str, ref: str, who: Viewer) -> Response:
    """An interview's or a document's page: the record, its excerpts, its evidence files (for who may see them)."""
    location = request.app.state.location
    stored = records.get_record(location, kind, ref, actor=who.actor, case=case)
    excerpts = services.excerpts(location, actor=who.actor, case=case, source=ref)
    return render(request, "source.html", {
        "case": case, "nav": nav(case, who), "query": "", "kind": kind, "item": stored.item,
        "excerpts": excerpts, **_evidence(request, case, who, ref),
    })  # fmt: skip


def _marked(text: str, spans: list[Any]) -> list[tuple[str, str | None]]:
    """The page's text in pieces: (text, excerpt id) for a selected passage, (text, None) between them."""
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for span in spans:
        start, end = max(span.start, at), min(span.end, len(text))
        if start >= end:
            continue  # overlaps one shown already, or lies past the end of this text
        pieces += [(text[at:start], None), (text[start:end], span.id)]
        at = end
    pieces.append((text[at:], None))
    return [p for p in pieces if p[0]]


def _viewer(request: Request, case: str, ref: str, who: Viewer, page: int, *, status: int = 200,
            error: str | None = None, form: dict[str, Any] | None = None) -> Response:  # fmt: skip
    try:
        shown = attachments.attachment_text(request.app.state.location, ref, actor=who.actor, case=case,
                                            secrets=secrets_for(request, who, case))  # fmt: skip
    except CaseLocked:
        return locked_page(request, case, who, f"/cases/{case}/attachments/{ref}/text")
    text = attachments.page_text(shown, page)
    pdf = shown.info.media_type == "application/pdf"
    spans = [e for e in shown.excerpts if (e.page or 1) == page]
    return render(request, "viewer.html", {
        "case": case, "nav": nav(case, who), "query": "", "info": shown.info, "page": page, "pages": len(shown.pages),
        "pdf": pdf, "pieces": _marked(text, spans), "spans": spans, "error": error,
        "modes": vocabulary.EXCERPT_MODES, "may_add": allowed(who.actor, Action.edit_records, case=case),
        "form": form or {"mode": "witnessed" if shown.info.source_kind == "interview" else "document"},
    }, status=status)  # fmt: skip


@router.get("/cases/{case}/attachments/{ref}/text")
def viewer(request: Request, case: str, ref: str, who: Signed, page: int = 1) -> Response:
    return _viewer(request, case, ref, who, page)


@router.post("/cases/{case}/attachments/{ref}/excerpts")
def excerpt_from_selection(
    request: Request, case: str, ref: str, who: Signed, csrf: Annotated[str, Form()],
    start: Annotated[int, Form()], end: Annotated[int, Form()], mode: Annotated[str, Form()],
    page: Annotated[int, Form()] = 1, quote: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Add an excerpt of the characters ``start`` to ``end`` of the file's page, anchored there."""
    check_csrf(who, csrf)
    location = request.app.state.location
    form = {"start": start, "end": end, "mode": mode, "quote": quote}
    back = f"/cases/{case}/attachments/{ref}/text?page={page}"
    try:
        excerpt_id = services.next_id(location, "excerpt", "X", actor=who.actor, case=case)
        _, made = attachments.excerpt_from_passage(
            location, ref, excerpt_id=excerpt_id, page=page, start=start, end=end, mode=mode,
            quote=quote == "yes", actor=who.actor, secrets=secrets_for(request, who, case), case=case,
        )  # fmt: skip
    except CaseLocked:
        return locked_page(request, case, who, back)
    except PassageInvalid:  # a page the file lacks is refused by the viewer itself
        return _viewer(request, case, ref, who, page, status=400, form=form,
                       error=N_("Select a passage of the text first (its first and last characters)."))  # fmt: skip
    except ValidationError as exc:
        return _viewer(request, case, ref, who, page, status=400, form=form, error=form_problems(exc))
    except Forbidden:
        raise
    except UserError as exc:
        return _viewer(request, case, ref, who, page, status=400, form=form, error=str(exc))
    return RedirectResponse(f"/cases/{case}/excerpts/{made.id}", status_code=303)
