"""Adding records from the browser: unlock a case (owners and investigators), add an interview, add an
excerpt to an interview or a document.

A change made by an owner or investigator is signed with the case's key, so the case must be unlocked
first: the passphrase opens an unlock session (see ``services.unlocking``) whose token this process keeps
for the browser session, never the passphrase. Every form posts the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from corroborate import services
from corroborate.domain import Excerpt, Interview
from corroborate.errors import CaseLocked, Forbidden, TooManyAttempts, UserError
from corroborate.services import Action, allowed, keychanges, records, vocabulary, websessions

from .auth import Signed, Viewer, check_csrf
from .i18n import N_
from .pages import nav
from .rendering import render
from .unlocks import keep_editors_scan_key, secrets_for

__all__ = ["create_from_form", "form_problems", "locked_page", "router"]

router = APIRouter()
CONSENTS = ("quote", "paraphrase", "background")
UNLOCK_MINUTES = 60


def form_problems(exc: ValidationError) -> str:
    """A record's validation problems in one line, field by field."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())


@router.get("/cases/{case}/unlock")
def unlock_form(request: Request, case: str, who: Signed, next: str = "") -> Response:
    if not allowed(who.actor, Action.unlock, case=case):
        raise Forbidden(who.name, str(who.actor.role_for(case) or "no role"), "unlock", case)
    return render(request, "unlock.html", {"case": case, "next": next, "nav": nav(case, who), "error": None,
                                           "minutes": UNLOCK_MINUTES})  # fmt: skip


@router.post("/cases/{case}/unlock")
def unlock(request: Request, case: str, who: Signed, csrf: Annotated[str, Form()],
           passphrase: Annotated[str, Form()], next: Annotated[str, Form()] = "",
           editors: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """Open the case's key for this browser session; with ``editors``, also open the case's scan key for the
    editors' disclosure checks (never an identity) for as long."""
    check_csrf(who, csrf)
    location = request.app.state.location
    try:
        address = request.client.host if request.client else "unknown"
        keys = websessions.open_keys(location, actor=who.actor, passphrase=passphrase, case=case, address=address)
        websessions.keep_unlocked(location, who.token, keys, minutes=UNLOCK_MINUTES)
        if editors == "yes":
            secret = keychanges.open_scan_key(location, actor=who.actor, passphrase=passphrase, case=case)
            keep_editors_scan_key(request, case, secret, minutes=UNLOCK_MINUTES, opened_by=who.name)
    except Forbidden:
        raise
    except UserError as exc:
        page = render(request, "unlock.html", {"case": case, "next": next, "nav": nav(case, who), "error": str(exc),
                                               "minutes": UNLOCK_MINUTES}, status=400)  # fmt: skip
        if isinstance(exc, TooManyAttempts):
            page.status_code = 429
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    target = next if next.startswith(f"/cases/{case}/") else f"/cases/{case}"
    return RedirectResponse(target, status_code=303)


def locked_page(request: Request, case: str, who: Viewer, back: str) -> Response:
    return render(request, "unlock.html", {"case": case, "next": back, "nav": nav(case, who), "minutes": UNLOCK_MINUTES,
                                           "error": N_("Unlock the case first: this change is signed with its key.")},
                  status=403)  # fmt: skip


@router.get("/cases/{case}/interviews/new")
def new_interview(request: Request, case: str, who: Signed, witness: str = "") -> Response:
    location = request.app.state.location
    people = [w.witness.id for w in services.witnesses(location, actor=who.actor, case=case)]
    return render(request, "interview_new.html", {
        "case": case, "nav": nav(case, who), "witnesses": people, "consents": CONSENTS, "error": None,
        "form": {"id": services.next_id(location, "interview", "I", actor=who.actor, case=case), "witness": witness,
                 "date": "", "country": "China", "town": "",
                 "language": "ko", "consent": "paraphrase"},
    })  # fmt: skip


@dataclass(frozen=True)
class _Made:
    """A record added (``item``), or why not (``error``, said beside the form)."""

    item: Any = None
    error: str | None = None


async def _form(request: Request, who: Viewer, csrf: str) -> dict[str, Any]:
    check_csrf(who, csrf)
    return {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf"}


def create_from_form(
    request: Request, case: str, who: Viewer, kind: str, build: Callable[[], Any], back: str
) -> _Made | Response:
    """Build a record from a form and add it: the record, the problems to show beside the form, or the unlock
    page when the change needs the case's key."""
    try:
        item = build()
        records.create_record(request.app.state.location, kind, item, actor=who.actor, case=case,
                              secrets=secrets_for(request, who, case))  # fmt: skip
    except ValidationError as exc:
        return _Made(error=form_problems(exc))
    except CaseLocked:
        return locked_page(request, case, who, back)
    except Forbidden:
        raise
    except UserError as exc:
        return _Made(error=str(exc))
    return _Made(item=item)


@router.post("/cases/{case}/interviews")
async def add_interview(request: Request, case: str, who: Signed, csrf: Annotated[str, Form()]) -> Response:
    form = await _form(request, who, csrf)
    fields = {k: v for k, v in form.items() if v}
    back = f"/cases/{case}/interviews/new?witness={quote(form.get('witness', ''))}"  # after unlocking: the same witness
    made = create_from_form(request, case, who, "interview", lambda: Interview.model_validate(fields), back)
    if isinstance(made, Response):
        return made
    if made.item is not None:
        return RedirectResponse(f"/cases/{case}/excerpts/new?source={made.item.id}", status_code=303)
    people = [w.witness.id for w in services.witnesses(request.app.state.location, actor=who.actor, case=case)]
    return render(request, "interview_new.html", {"case": case, "nav": nav(case, who), "witnesses": people,
                                                  "consents": CONSENTS, "error": made.error, "form": form},
                  status=400)  # fmt: skip


@router.get("/cases/{case}/excerpts/new")
def new_excerpt(request: Request, case: str, who: Signed, source: str = "") -> Response:
    location = request.app.state.location
    return render(request, "excerpt_new.html", {
        "case": case, "nav": nav(case, who), "modes": vocabulary.EXCERPT_MODES, "error": None,
        "form": {"id": services.next_id(location, "excerpt", "X", actor=who.actor, case=case), "source": source,
                 "mode": "witnessed", "text": "", "pages": ""},
    })  # fmt: skip


@router.post("/cases/{case}/excerpts")
async def add_excerpt(request: Request, case: str, who: Signed, csrf: Annotated[str, Form()]) -> Response:
    form = await _form(request, who, csrf)
    back = f"/cases/{case}/excerpts/new?source={quote(form.get('source', ''))}"
    fields = {**{k: v for k, v in form.items() if v and k != "quote"}, "quote": form.get("quote") == "yes"}
    made = create_from_form(request, case, who, "excerpt", lambda: Excerpt.model_validate(fields), back)
    if isinstance(made, Response):
        return made
    if made.item is not None:
        return RedirectResponse(f"/cases/{case}/excerpts/{made.item.id}", status_code=303)
    return render(request, "excerpt_new.html", {"case": case, "nav": nav(case, who), "modes": vocabulary.EXCERPT_MODES,
                                                "error": made.error, "form": form}, status=400)  # fmt: skip
