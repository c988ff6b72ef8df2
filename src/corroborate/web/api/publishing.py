"""Looking after a case and publishing from it: its audit log (read a page at a time, and verified), the
briefing outlines the server offers, their disclosure checks, and publishing.

The audit log holds ids and hashes only, and disclosure reports name witnesses by pseudonym (an editor's only
which block holds a restricted value): no answer here carries a restricted value. A drafted paragraph is
checked and published with its outline and never stored. A publication that fails a check answers the
``disclosure`` problem (409) with the reasons, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from corroborate import services
from corroborate.errors import UserError
from corroborate.services import Action, AuditEntry, Secrets
from corroborate.services import publish as publishing

from ..unlocks import unlocked_secrets
from .callers import Caller, Calling, acts
from .models import Page, cursor_after, next_cursor
from .problems import responses

__all__ = ["router"]

router = APIRouter()


class AuditProblem(BaseModel):
    """What verification found wrong, at one entry (when there is one)."""

    seq: int | None
    entity: str
    entity_id: str
    message: str
    case: str | None


class CaseKey(BaseModel):
    """A case's signing key: its fingerprint, and whether the server's trust file pins it."""

    case: str
    fingerprint: str
    pinned: Literal["yes", "no", "DIFFERENT"]


class Verification(BaseModel):
    """What verifying the audit log found, for the cases the caller may see (others' problems only counted)."""

    ok: bool
    entries: int
    head: str = Field(description="the hash of the newest entry")
    signed: int = Field(description="the newest entry with a valid signature")
    unsigned: int = Field(description="entries after it that need none (disclosure checks)")
    problems: list[AuditProblem]
    hidden_problems: int = Field(description="problems in cases the caller has no role on")
    keys: list[CaseKey]
    newly_pinned: list[str] = Field(description="cases whose key this verification pinned")


class Section(BaseModel):
    number: int = Field(description="counted from 0: what `section` names in a check")
    heading: str
    blocks: int


class Briefing(BaseModel):
    """A briefing outline the server was started with (`corroborate serve --briefing FILE`)."""

    name: str = Field(description="the file's name without .yaml: what a check names")
    title: str
    subtitle: str | None
    sections: list[Section]


class Draft(BaseModel):
    """Which briefing to check or publish, with one drafted paragraph at the end of a section if wanted."""

    briefing: str = Field(min_length=1, description="a briefing's name, as listed")
    section: int = Field(default=0, ge=0, description="the section the paragraph goes at the end of (from 0)")
    paragraph: str | None = Field(default=None, max_length=20_000,
                                  description="checked and published with the briefing, never stored")  # fmt: skip


class DisclosureReport(BaseModel):
    """The disclosure checks on the briefing's HTML and PDF exactly as a reader would get them."""

    ok: bool
    problems: list[str] = Field(description="one line per problem; none names a restricted value")
    verdict: str
    blind: bool = Field(description="the caller may not see identities: a leak says only which block holds it")
    required_k: int
    cited_witnesses: int
    scanned_witnesses: int
    k_anonymity: int
    leaks: int
    consent: int
    wording: int


class Publication(BaseModel):
    """What publishing wrote into the server's publication folder (a folder per case)."""

    files: list[str]
    notes: int
    report: DisclosureReport


def _state(request: Request, name: str) -> Any:
    return getattr(request.app.state, name)


@router.get("/cases/{case}/audit", response_model=Page[AuditEntry], openapi_extra=acts(Action.audit_log),
            responses=responses("invalid", "forbidden", "not-found"), tags=["audit"],
            summary="The case's audit log, newest first (ids and hashes only)")  # fmt: skip
def audit(
    request: Request, case: str, who: Calling,
    limit: Annotated[int, Query(ge=1, le=500, description="how many per page")] = 50,
    cursor: Annotated[str | None, Query(description="the `next` of the page before (older entries)")] = None,
    entity: Annotated[str | None, Query(description="only entries about this kind of record, e.g. claim")] = None,
    action: Annotated[str | None, Query(description="only this action: create, update, delete, ...")] = None,
    actor: Annotated[str | None, Query(description="only changes by this user")] = None,
) -> Any:  # fmt: skip
    before = _seq(cursor_after(cursor))
    found = services.audit_entries(request.app.state.location, actor=who.actor, case=case, limit=limit + 1,
                                   before=before, entity=entity, action=action, by=actor)  # fmt: skip
    newest = sorted(found, key=lambda e: -e.seq)
    shown = newest[:limit]
    more = len(newest) > limit
    return {"items": shown,
            "next": next_cursor([str(e.seq) for e in shown], limit) if more else None}  # fmt: skip


def _seq(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise UserError("this cursor did not come from this API; start again without one")
    return int(after)


@router.post("/cases/{case}/audit/verify", response_model=Verification, openapi_extra=acts(Action.audit_verify),
             responses=responses("forbidden", "not-found"), tags=["audit"],
             summary="Verify the audit log: chain, signatures against pinned keys, every audited row")  # fmt: skip
def verify(request: Request, case: str, who: Calling) -> Any:
    chosen = _state(request, "trust_file")
    trust = Path(chosen) if chosen is not None else services.default_trust_file()
    result = services.verify(request.app.state.location, actor=who.actor, trust_file=trust, case=case)
    report = result.report
    return Verification(ok=result.ok, entries=report.entries, head=report.head, signed=report.signed,
                        unsigned=report.unsigned, problems=[AuditProblem(**vars(p)) for p in report.problems],
                        hidden_problems=result.hidden_problems, keys=[CaseKey(**vars(k)) for k in result.keys],
                        newly_pinned=result.newly_pinned)  # fmt: skip


def _outlines(request: Request) -> dict[str, Path]:
    """The server's briefing outlines by name (the file's name without .yaml), as the publication page has them."""
    return {Path(p).stem: Path(p) for p in _state(request, "briefings")}


@router.get("/cases/{case}/briefings", response_model=list[Briefing], openapi_extra=acts(Action.publish),
            responses=responses("invalid", "forbidden", "not-found"), tags=["publishing"],
            summary="The briefing outlines this server offers")  # fmt: skip
def briefings(request: Request, case: str, who: Calling) -> Any:
    outlines = _outlines(request)
    paths = [outlines[name] for name in sorted(outlines)]
    found = []
    for read in publishing.read_briefings(request.app.state.location, paths, actor=who.actor, case=case):
        outline = read.outline
        found.append(Briefing(name=read.path.stem, title=outline.title, subtitle=outline.subtitle,
                              sections=[Section(number=n, heading=s.heading, blocks=len(s.blocks))
                                        for n, s in enumerate(outline.sections)]))  # fmt: skip
    return found


def _offered(request: Request, who: Caller, case: str, name: str) -> publishing.Briefing | None:
    """The briefing of this name the server offers (None: no such briefing), read by the service only once the
    caller may publish the case."""
    path = _outlines(request).get(name)
    found = publishing.read_briefings(request.app.state.location, [path] if path is not None else [],
                                      actor=who.actor, case=case)  # fmt: skip
    return found[0] if found else None


def _drafted(offered: publishing.Briefing | None, draft: Draft) -> publishing.Briefing:
    """The briefing the draft names, with its paragraph if it has one."""
    if offered is None:
        raise UserError(f"this server has no briefing called {draft.briefing!r}; list them at .../briefings")
    if draft.paragraph is not None and draft.paragraph.strip():
        return publishing.with_paragraph(offered, draft.section, draft.paragraph)
    return offered


def _secrets(request: Request, who: Caller, case: str) -> Secrets:
    """The keys this caller unlocked; else the scan key an owner or investigator opened for the editors, while
    it lasts (web.unlocks): the scan key alone, no identity."""
    return unlocked_secrets(request, who.opened, case, scan=True)


def _report(report: Any) -> DisclosureReport:
    lines = report.summary()
    return DisclosureReport(
        ok=report.ok, problems=lines[:-1], verdict=lines[-1], blind=report.blind, required_k=report.required_k,
        cited_witnesses=report.cited_witnesses, scanned_witnesses=report.scanned_witnesses,
        k_anonymity=len(report.k_anonymity), leaks=len(report.leaks), consent=len(report.consent),
        wording=len(report.wording),
    )  # fmt: skip


_CHECKED = responses("invalid", "forbidden", "not-found", "locked")


@router.post("/cases/{case}/disclosure-check", response_model=DisclosureReport, openapi_extra=acts(Action.publish),
             responses=_CHECKED, tags=["publishing"],
             summary="Run every disclosure check on a briefing (and a drafted paragraph); write nothing")  # fmt: skip
def check(request: Request, case: str, who: Calling, draft: Annotated[Draft, Body()]) -> Any:
    chosen = _drafted(_offered(request, who, case, draft.briefing), draft)
    report = publishing.check_disclosure(request.app.state.location, chosen, actor=who.actor,
                                         secrets=_secrets(request, who, case), case=case)  # fmt: skip
    return _report(report)


@router.post("/cases/{case}/publish", response_model=Publication, openapi_extra=acts(Action.publish),
             responses=responses("invalid", "forbidden", "not-found", "locked", "disclosure"),
             tags=["publishing"],
             summary="Publish a briefing (HTML, PDF) into the server's folder, only if every check passes")  # fmt: skip
def publish(request: Request, case: str, who: Calling, draft: Annotated[Draft, Body()]) -> Any:
    offered = _offered(request, who, case, draft.briefing)
    folder: Path | None = _state(request, "publish_dir")
    if folder is None:
        raise UserError("this server has no publication folder: start it with `corroborate serve --publish-dir DIR`")
    done = publishing.publish(request.app.state.location, _drafted(offered, draft), folder / case, actor=who.actor,
                              secrets=_secrets(request, who, case), case=case, name=draft.briefing)  # fmt: skip
    return Publication(files=[p.name for p in done.files], notes=done.notes, report=_report(done.report))
