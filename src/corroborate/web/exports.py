"""Every listing as CSV: the rows the page lists (all pages, the same filters), public fields only.

A restricted identity enters an export only when an owner or investigator who unlocked the case asks for
it (witnesses with ``identities=yes``: the file's name says RESTRICTED); otherwise witnesses are exported
by pseudonym and public descriptor, as listed. A cell a spreadsheet would read as a formula (starting
with = + - @, a tab or a carriage return) is written with a leading apostrophe, so opening an export
never runs what a source's text happens to hold. Large listings are read and sent a page at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from corroborate import services
from corroborate.errors import Forbidden, UserError
from corroborate.services import Action, Listed, allowed
from corroborate.services import analysis as analysing
from corroborate.services import recommendations as recommending

from .auth import Signed
from .unlocks import is_unlocked, secrets_for

__all__ = ["cell", "router"]

router = APIRouter()
BATCH = 1000  # rows read from the store at a time
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as a CSV cell that a spreadsheet shows as text (never evaluates)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    lines = _lines(header, rows)
    first = next(lines)  # the first rows are read now: a refusal (role, filter) is an error page, not a broken file
    return StreamingResponse(
        _chain(first, lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield "\ufeff" + first  # a byte-order mark: spreadsheets then read Hangul as UTF-8
    yield from rest


def _paged(read: Callable[[str | None], list[Any]], key: Callable[[Any], str]) -> Iterator[Any]:
    """Every row of a listing, ``BATCH`` at a time (keyset pages: ``after`` the last key read)."""
    after: str | None = None
    while True:
        rows = read(after)
        yield from rows
        if len(rows) < BATCH:
            return
        after = key(rows[-1])


@router.get("/cases/{case}/witnesses.csv")
def witnesses_csv(
    request: Request, case: str, who: Signed,
    gender: str = "", origin: str = "", nationality: str = "", age: str = "",
    start: Annotated[str, Query(alias="from")] = "", end: Annotated[str, Query(alias="to")] = "",
    identities: str = "",
) -> Response:  # fmt: skip
    """The witnesses as listed; with ``identities=yes``, owners and investigators who unlocked the case in this
    browser session also get the restricted identities (a file marked RESTRICTED in its name)."""
    restricted: dict[str, Any] | None = None
    if identities == "yes":
        if not allowed(who.actor, Action.export_full, case=case):
            raise Forbidden(who.name, str(who.actor.role_for(case) or "no role"), "export identities", case)
        if not is_unlocked(who, case):
            raise UserError("unlock the case first: the identities are sealed with its key")
        secrets = secrets_for(request, who, case)
        restricted = services.identities(request.app.state.location, actor=who.actor, secrets=secrets, case=case)

    def read(after: str | None) -> list[Any]:
        listed = Listed(gender=gender or None, origin=origin or None, nationality=nationality or None,
                        age=age or None, start=start or None, end=end or None, limit=BATCH, after=after)  # fmt: skip
        return services.witnesses(request.app.state.location, actor=who.actor, case=case, listed=listed)

    rows = (
        (r.witness.id, d.gender, d.age, d.age_band, d.origin, d.origin_as_written, d.nationality, d.role,
         r.interviews, "; ".join(r.interview_dates))
        for r in _paged(read, lambda r: r.witness.id) for d in [r.witness.descriptor]
    )  # fmt: skip
    header = ("pseudonym", "gender", "age", "age_band", "origin", "origin_as_written", "nationality", "role",
              "interviews", "interview_dates")  # fmt: skip
    if restricted is None:
        return _csv(f"{case}-witnesses.csv", header, rows)
    known = restricted
    fields = ("name", "name_hangul", "aliases", "contacts", "birth_date", "current_location", "notes")
    with_identity = (
        (*row, *(_joined(getattr(known[row[0]], f)) if row[0] in known else "" for f in fields)) for row in rows
    )
    return _csv(f"{case}-witnesses-RESTRICTED.csv", (*header, *fields), with_identity)


def _joined(value: Any) -> Any:
    return "; ".join(value) if isinstance(value, list) else value


@router.get("/cases/{case}/excerpts.csv")
def excerpts_csv(request: Request, case: str, who: Signed, source: str = "", proposition: str = "",
                 mode: str = "") -> Response:  # fmt: skip
    def read(after: str | None) -> list[Any]:
        return services.excerpts(request.app.state.location, actor=who.actor, case=case, source=source or None,
                                 proposition=proposition or None, mode=mode or None,
                                 listed=Listed(limit=BATCH, after=after))  # fmt: skip

    rows = ((e.id, e.source, e.witness, e.mode, "yes" if e.quote else "no", e.pages, e.claims, e.text)
            for e in _paged(read, lambda e: e.id))  # fmt: skip
    return _csv(f"{case}-excerpts.csv", ("id", "source", "witness", "mode", "quote", "pages", "claims", "text"), rows)


@router.get("/cases/{case}/propositions.csv")
def propositions_csv(request: Request, case: str, who: Signed) -> Response:
    assessed = analysing.assess(request.app.state.location, actor=who.actor, case=case)
    rows = []
    for a in assessed.assessments:
        j = a.to_json()
        rows.append((a.proposition.key, a.proposition.statement, a.grade, j["support"]["groups"],
                     j["support"]["witnesses"], j["support"]["documents"], j["against"]["groups"],
                     "; ".join(f.name for f in a.conflicts)))  # fmt: skip
    header = ("key", "statement", "grade", "independent_sources", "witnesses", "documents", "against", "conflicts")
    return _csv(f"{case}-propositions.csv", header, rows)


@router.get("/cases/{case}/interviews.csv")
def interviews_csv(request: Request, case: str, who: Signed, witness: str = "") -> Response:
    def read(after: str | None) -> list[Any]:
        return services.interviews(request.app.state.location, actor=who.actor, case=case,
                                   listed=Listed(witness=witness or None, limit=BATCH, after=after))  # fmt: skip

    rows = ((v.id, v.witness, v.date, v.country, v.town, v.language, v.consent, v.excerpts)
            for v in _paged(read, lambda v: v.id))  # fmt: skip
    header = ("id", "witness", "date", "country", "town", "language", "consent", "excerpts")
    return _csv(f"{case}-interviews.csv", header, rows)


@router.get("/cases/{case}/documents.csv")
def documents_csv(request: Request, case: str, who: Signed) -> Response:
    def read(after: str | None) -> list[Any]:
        return services.documents(request.app.state.location, actor=who.actor, case=case, limit=BATCH, after=after)

    rows = ((d.id, d.kind, d.title, d.outlet, d.publisher, d.date, d.symbol, d.excerpts)
            for d in _paged(read, lambda d: d.id))  # fmt: skip
    header = ("id", "kind", "title", "outlet", "publisher", "date", "symbol", "excerpts")
    return _csv(f"{case}-documents.csv", header, rows)


@router.get("/cases/{case}/recommendations.csv")
def recommendations_csv(request: Request, case: str, who: Signed, addressee: str = "", status: str = "") -> Response:
    found = recommending.recommendations(request.app.state.location, actor=who.actor, case=case,
                                     addressee=addressee or None, status=status or None)  # fmt: skip
    rows = []
    for r in found:
        now = r.current
        history = "; ".join(f"{s.date} {s.status}" + (f" ({', '.join(s.sources)})" if s.sources else "")
                            for s in r.follow_up)  # fmt: skip
        rows.append((r.id, r.addressee, r.addressee_kind, r.text, now.status if now else "", now.date if now else "",
                     history))  # fmt: skip
    header = ("id", "addressee", "addressee_kind", "text", "status", "status_date", "history")
    return _csv(f"{case}-recommendations.csv", header, rows)
