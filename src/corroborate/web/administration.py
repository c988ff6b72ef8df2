"""Pages that look after a case rather than its evidence: its recommendations and what became of them, the
audit log (with a button that verifies it), and the users of the store with their roles (owners only).

The audit log shows ids and hashes only: an entry never holds a restricted value, so no page here can show
one. Changes to users are signed in the audit log with the cases' keys, so an owner unlocks the case first
(see ``records``); the unlock page sends them back here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from corroborate import services
from corroborate.errors import CaseLocked, Forbidden, SigningKeyNeeded, UserError
from corroborate.services import Action, Role, Secrets, Verification, allowed
from corroborate.services import recommendations as recs

from .auth import Signed, Viewer, check_csrf
from .i18n import N_
from .pages import nav
from .records import UNLOCK_MINUTES
from .rendering import render
from .unlocks import secrets_for

__all__ = ["router"]

router = APIRouter()
PAGE = 50  # audit entries per page

# Shown with {{ _(label) }} (a recommendation's status is shown with the ``word`` filter, see vocabularywords).
ADDRESSEE_KINDS = {
    "state": N_("a state"),
    "agency": N_("an agency"),
    "un": N_("a UN body"),
    "donor": N_("donors"),
    "other": N_("other"),
}
ROLE_LABELS = {
    Role.owner: N_("owner"),
    Role.investigator: N_("investigator"),
    Role.analyst: N_("analyst"),
    Role.editor: N_("editor"),
    Role.viewer: N_("viewer"),
}


# Recommendations ---------------------------------------------------------------------------------------------


@router.get("/cases/{case}/recommendations")
def recommendations(request: Request, case: str, who: Signed, addressee: str = "", status: str = "") -> Response:
    location = request.app.state.location
    every = recs.recommendations(location, actor=who.actor, case=case)  # also checks the role
    error = None
    try:
        shown = recs.recommendations(location, actor=who.actor, case=case, addressee=addressee or None,
                                     status=status or None)  # fmt: skip
    except UserError as exc:  # a status that means nothing: said beside the form
        shown, error = [], str(exc)
    addressees = sorted({r.addressee for r in every}, key=str.casefold)
    return render(request, "recommendations.html", {
        "case": case, "nav": nav(case, who), "query": "", "rows": shown, "total": len(every), "error": error,
        "filters": {"addressee": addressee, "status": status}, "addressees": addressees,
        "statuses": recs.STATUSES, "kinds": ADDRESSEE_KINDS,
    })  # fmt: skip


# The audit log -------------------------------------------------------------------------------------------------


def trust_file(request: Request) -> Path:
    """The trust file verification pins keys in: the server's (``app.state.trust_file``), else the default."""
    chosen = getattr(request.app.state, "trust_file", None)
    return Path(chosen) if chosen is not None else services.default_trust_file()


def _entries(request: Request, case: str, who: Viewer, filters: dict[str, str], before: int | None) -> dict[str, Any]:
    """One page of the case's log, newest first, and where the next (older) page starts."""
    found = services.audit_entries(request.app.state.location, actor=who.actor, case=case, limit=PAGE + 1,
                                   before=before, entity=filters["entity"] or None,
                                   action=filters["action"] or None, by=filters["actor"] or None)  # fmt: skip
    newest_first = sorted(found, key=lambda e: -e.seq)
    shown = newest_first[:PAGE]
    return {"entries": shown, "older": shown[-1].seq if len(newest_first) > PAGE else None}


def _outcome(result: Verification) -> dict[str, Any]:
    """What a verification found, for the page: its counts, keys, and each problem in words."""
    report = result.report
    return {
        "ok": result.ok, "entries": report.entries, "head": report.head, "signed": report.signed,
        "unsigned": report.unsigned, "problems": [str(p) for p in report.problems], "hidden": result.hidden_problems,
        "keys": result.keys, "pinned": result.newly_pinned,
    }  # fmt: skip


def _audit_page(
    request: Request, case: str, who: Viewer, *, filters: dict[str, str], before: int | None,
    outcome: dict[str, Any] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    listing = _entries(request, case, who, filters, before) if allowed(who.actor, Action.audit_log, case=case) else None
    return render(request, "audit.html", {
        "case": case, "nav": nav(case, who), "query": "", "filters": filters, "before": before,
        "listing": listing, "outcome": outcome, "may_verify": allowed(who.actor, Action.audit_verify, case=case),
    }, status=status)  # fmt: skip


@router.get("/cases/{case}/audit")
def audit(
    request: Request, case: str, who: Signed, action: str = "", entity: str = "", actor: str = "",
    before: int | None = None,
) -> Response:  # fmt: skip
    if not allowed(who.actor, Action.audit_log, case=case):
        raise Forbidden(who.name, _role(who, case), Action.audit_log.value, case)
    filters = {"action": action.strip(), "entity": entity.strip(), "actor": actor.strip()}
    return _audit_page(request, case, who, filters=filters, before=before)


@router.post("/cases/{case}/audit/verify")
def verify(request: Request, case: str, who: Signed, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(who, csrf)
    result = services.verify(request.app.state.location, actor=who.actor, trust_file=trust_file(request), case=case)
    filters = {"action": "", "entity": "", "actor": ""}
    return _audit_page(request, case, who, filters=filters, before=None, outcome=_outcome(result))


def _role(who: Viewer, case: str | None) -> str | None:
    role = who.actor.role_for(case)
    return role.value if role else None


# Users and roles -----------------------------------------------------------------------------------------------


def _cases(request: Request, who: Viewer) -> list[str]:
    return services.case_ids(request.app.state.location, actor=who.actor)


def _store_secrets(request: Request, who: Viewer, cases: list[str]) -> Secrets:
    """What a store-wide change needs to be signed by the cases: the keys of every case this browser unlocked."""
    return secrets_for(request, who)


def _users_page(
    request: Request, who: Viewer, *, added: str = "", removed: str = "", error: str | None = None,
    form: dict[str, str] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    users = services.list_users(request.app.state.location, actor=who.actor)  # also checks the role
    # What the last change did, said only when the list agrees (a crafted link cannot make the page say it).
    added = added if any(u.username == added and not u.disabled for u in users) else ""
    removed = removed if any(u.username == removed and u.disabled for u in users) else ""
    cases = _cases(request, who)
    case = cases[0] if len(cases) == 1 else ""  # the case's links in the header, when the store has one
    return render(request, "users.html", {
        "case": case, "nav": nav(case, who) if case else None, "query": "", "users": users, "cases": cases,
        "roles": ROLE_LABELS, "added": added, "removed": removed, "error": error,
        "form": form or {"username": "", "role": Role.viewer.value, "scope": ""},
    }, status=status)  # fmt: skip


def _locked(request: Request, who: Viewer, case: str) -> Response:
    """The unlock page of the case whose key the change needs; once unlocked, back to the users page."""
    message = N_(
        "Unlock the case first: changes to users and roles are signed in the audit log with its key. "
        "Then make the change again."
    )
    return render(request, "unlock.html", {"case": case, "next": f"/cases/{case}/users", "nav": nav(case, who),
                                           "minutes": UNLOCK_MINUTES, "error": message}, status=403)  # fmt: skip


def _locked_case(exc: UserError, cases: list[str]) -> str:
    if isinstance(exc, SigningKeyNeeded) and exc.cases:
        return exc.cases[0]
    if isinstance(exc, CaseLocked):
        return exc.case_id
    return cases[0] if cases else ""


@router.get("/users")
def users(request: Request, who: Signed, added: str = "", removed: str = "") -> Response:
    return _users_page(request, who, added=added, removed=removed)


@router.get("/cases/{case}/users")
def back_to_users(case: str, who: Signed) -> Response:
    """Where unlocking a case for a change to users returns (the unlock page goes back within the case)."""
    return RedirectResponse("/users", status_code=303)


@router.post("/users")
def add_user(
    request: Request, who: Signed, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
    password_again: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    check_csrf(who, csrf)
    name = username.strip()
    form = {"username": name, "role": role, "scope": scope}
    cases = _cases(request, who)
    existing = {u.username for u in services.list_users(request.app.state.location, actor=who.actor)}
    problem = None
    if not name:
        problem = N_("Give the new user a name.")
    elif name in existing:
        problem = N_("There is already a user by that name (removed users' names are not reused); choose another.")
    elif role not in {r.value for r in Role}:
        problem = N_("Choose one of the roles.")
    elif scope and scope not in cases:
        problem = N_("Choose one of the cases, or every case.")
    elif password != password_again:
        problem = N_("The two passwords differ; type the same password twice.")
    if problem is not None:
        return _users_page(request, who, error=problem, form=form, status=400)
    secrets = secrets_for(request, who, scope) if scope else _store_secrets(request, who, cases)
    try:
        services.add_user(request.app.state.location, name, password, Role(role), actor=who.actor,
                          case=scope or None, secrets=secrets)  # fmt: skip
    except (SigningKeyNeeded, CaseLocked) as exc:
        return _locked(request, who, _locked_case(exc, cases))
    except Forbidden:
        raise
    except UserError as exc:  # a weak password, a removed name, the first account's rule: said beside the form
        return _users_page(request, who, error=str(exc), form=form, status=400)
    return RedirectResponse(f"/users?added={quote(name, safe='')}", status_code=303)


@router.post("/users/remove")
def remove_user(
    request: Request, who: Signed, username: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(who, csrf)
    cases = _cases(request, who)
    try:
        services.remove_user(request.app.state.location, username, actor=who.actor,
                             secrets=_store_secrets(request, who, cases))  # fmt: skip
    except (SigningKeyNeeded, CaseLocked) as exc:
        return _locked(request, who, _locked_case(exc, cases))
    except Forbidden:
        raise
    except UserError as exc:  # above all: the last owner may not leave
        return _users_page(request, who, error=str(exc), status=400)
    return RedirectResponse(f"/users?removed={quote(username, safe='')}", status_code=303)
