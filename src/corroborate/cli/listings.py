"""Listing commands: `witnesses`, `interviews`, `excerpts`, `claims`, each filtered, sorted and paged.

Thin shells over ``corroborate.services.listings``; they list pseudonyms and public fields only.
A long listing is read a page at a time with ``--limit N`` and then ``--after ID`` (the last id shown).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from corroborate import services
from corroborate.services import Listed
from corroborate.services.listings import SORTS

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    GenderChoice,
    LimitOpt,
    ModeChoice,
    OffsetOpt,
    StanceChoice,
    StoreArg,
    actor_for,
    emit_json,
    handles_errors,
    out,
    table,
)

__all__ = ["register"]

WitnessSort = StrEnum("WitnessSort", {k: k for k in SORTS["witnesses"]})  # type: ignore[misc]
InterviewSort = StrEnum("InterviewSort", {k: k for k in SORTS["interviews"]})  # type: ignore[misc]
ExcerptSort = StrEnum("ExcerptSort", {k: k for k in SORTS["excerpts"]})  # type: ignore[misc]
ClaimSort = StrEnum("ClaimSort", {k: k for k in SORTS["claims"]})  # type: ignore[misc]

GenderOpt = Annotated[GenderChoice | None, typer.Option("--gender", help="only witnesses of this gender")]
OriginOpt = Annotated[
    str | None, typer.Option("--origin", metavar="PLACE", help="only witnesses from PLACE, any spelling")
]
NationalityOpt = Annotated[
    str | None, typer.Option("--nationality", metavar="COUNTRY", help="only this nationality (KP, CN, ...)")
]
AgeOpt = Annotated[str | None, typer.Option("--age", metavar="BAND", help="only ages that may lie in BAND, e.g. 30-39")]
FromOpt = Annotated[
    str | None, typer.Option("--from", metavar="DATE", help="only interviews maybe on or after DATE, e.g. 2006-11")
]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="DATE", help="only interviews maybe on or before DATE")]
AfterOpt = Annotated[
    str | None, typer.Option("--after", metavar="ID", help="start after this record, the last of the previous page")
]
WitnessOpt = Annotated[str | None, typer.Option("--witness", metavar="ID", help="only this witness's (by pseudonym)")]
ProposedOpt = Annotated[str | None, typer.Option("--proposition", metavar="KEY", help="only those on this proposition")]
ModeOpt = Annotated[ModeChoice | None, typer.Option("--mode", help="only those known this way")]


def _listed(witness: str | None, gender: GenderChoice | None, origin: str | None, nationality: str | None,
            age: str | None, start: str | None, end: str | None, sort: StrEnum, limit: int | None, offset: int,
            after: str | None) -> Listed:  # fmt: skip
    return Listed(witness, gender.value if gender else None, origin, nationality, age, start, end, sort.value, limit,
                  offset, after)  # fmt: skip


def _age(listing: services.WitnessListing) -> str:
    d = listing.witness.descriptor
    if d.age is not None:
        return str(d.age)
    return str(d.age_band) if d.age_band else ""


@handles_errors
def witnesses(
    store: StoreArg, case: CaseOpt = None, gender: GenderOpt = None, origin: OriginOpt = None,
    nationality: NationalityOpt = None, age: AgeOpt = None, start: FromOpt = None, end: ToOpt = None,
    sort: Annotated[WitnessSort, typer.Option("--sort", help="order by")] = WitnessSort.case,  # type: ignore[attr-defined]
    limit: LimitOpt = None, offset: OffsetOpt = 0, after: AfterOpt = None, format: FormatOpt = Format.table,
) -> None:  # fmt: skip
    """List witnesses by pseudonym with their public descriptors (never their identities)."""
    listed = _listed(None, gender, origin, nationality, age, start, end, sort, limit, offset, after)
    rows = services.witnesses(store, actor=actor_for(store), case=case, listed=listed)
    if format is Format.json:
        emit_json([{"id": r.witness.id, **r.witness.descriptor.model_dump(mode="json"),
                    "independence_group": r.witness.independence_group, "interviews": r.interviews,
                    "interview_dates": r.interview_dates} for r in rows])  # fmt: skip
        return
    t = table("Pseudonym", "Gender", "Age", "Origin", "Nationality", "Interviews", "Dates")
    for r in rows:
        d = r.witness.descriptor
        t.add_row(r.witness.id, d.gender or "", _age(r), d.origin or d.role or "", d.nationality, str(r.interviews),
                  ", ".join(r.interview_dates))  # fmt: skip
    out.print(t)


@handles_errors
def interviews(
    store: StoreArg, case: CaseOpt = None,
    witness: WitnessOpt = None,
    gender: GenderOpt = None, origin: OriginOpt = None, nationality: NationalityOpt = None, age: AgeOpt = None,
    start: FromOpt = None, end: ToOpt = None,
    sort: Annotated[InterviewSort, typer.Option("--sort", help="order by")] = InterviewSort.case,  # type: ignore[attr-defined]
    limit: LimitOpt = None, offset: OffsetOpt = 0, after: AfterOpt = None, format: FormatOpt = Format.table,
) -> None:  # fmt: skip
    """List interviews with their witness's pseudonym, date, place, language, consent and excerpt count."""
    listed = _listed(witness, gender, origin, nationality, age, start, end, sort, limit, offset, after)
    rows = services.interviews(store, actor=actor_for(store), case=case, listed=listed)
    if format is Format.json:
        emit_json([r.__dict__ for r in rows])
        return
    t = table("Interview", "Witness", "Date", "Country", "Town", "Language", "Consent", "Excerpts")
    for r in rows:
        t.add_row(r.id, r.witness, r.date, r.country, r.town or "", r.language or "", r.consent, str(r.excerpts))
    out.print(t)


@handles_errors
def documents(
    store: StoreArg, case: CaseOpt = None, limit: LimitOpt = None, after: AfterOpt = None,
    format: FormatOpt = Format.table,
) -> None:  # fmt: skip
    """List documents in the case's order with their kind, title, outlet or publisher, date and excerpt count."""
    rows = services.documents(store, actor=actor_for(store), case=case, limit=limit, after=after)
    if format is Format.json:
        emit_json([r.__dict__ for r in rows])
        return
    t = table("Document", "Kind", "Title", "Outlet or publisher", "Date", "Excerpts")
    for r in rows:
        t.add_row(r.id, r.kind, _short(r.title), r.outlet or r.publisher or "", r.date or "", str(r.excerpts))
    out.print(t)


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@handles_errors
def excerpts(
    store: StoreArg, case: CaseOpt = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="ID", help="only this interview's or document's")
    ] = None,
    proposition: ProposedOpt = None, mode: ModeOpt = None, witness: WitnessOpt = None, gender: GenderOpt = None,
    origin: OriginOpt = None, nationality: NationalityOpt = None, age: AgeOpt = None, start: FromOpt = None,
    end: ToOpt = None, sort: Annotated[ExcerptSort, typer.Option("--sort", help="order by")] = ExcerptSort.case,  # type: ignore[attr-defined]
    limit: LimitOpt = None, offset: OffsetOpt = 0, after: AfterOpt = None, format: FormatOpt = Format.table,
) -> None:  # fmt: skip
    """List excerpts with their source, witness pseudonym, mode, claim count and (shortened) text."""
    listed = _listed(witness, gender, origin, nationality, age, start, end, sort, limit, offset, after)
    rows = services.excerpts(store, actor=actor_for(store), case=case, source=source, proposition=proposition,
                             mode=mode.value if mode else None, listed=listed)  # fmt: skip
    if format is Format.json:
        emit_json([r.__dict__ for r in rows])
        return
    t = table("Excerpt", "Source", "Witness", "Mode", "Claims", "Text")
    for r in rows:
        t.add_row(r.id, r.source, r.witness or "", r.mode, str(r.claims), _short(r.text))
    out.print(t)


@handles_errors
def claims(
    store: StoreArg, case: CaseOpt = None, proposition: ProposedOpt = None,
    stance: Annotated[StanceChoice | None, typer.Option("--stance", help="only claims of this stance")] = None,
    mode: ModeOpt = None, witness: WitnessOpt = None, gender: GenderOpt = None, origin: OriginOpt = None,
    nationality: NationalityOpt = None, age: AgeOpt = None, start: FromOpt = None, end: ToOpt = None,
    sort: Annotated[ClaimSort, typer.Option("--sort", help="order by")] = ClaimSort.case,  # type: ignore[attr-defined]
    limit: LimitOpt = None, offset: OffsetOpt = 0, after: AfterOpt = None, format: FormatOpt = Format.table,
) -> None:  # fmt: skip
    """List claims with their proposition, stance, excerpt, source and witness pseudonym."""
    listed = _listed(witness, gender, origin, nationality, age, start, end, sort, limit, offset, after)
    rows = services.claims(store, actor=actor_for(store), case=case, proposition=proposition,
                           stance=stance.value if stance else None, mode=mode.value if mode else None,
                           listed=listed)  # fmt: skip
    if format is Format.json:
        emit_json([r.__dict__ for r in rows])
        return
    t = table("Claim", "Proposition", "Stance", "Excerpt", "Source", "Witness", "Mode", "Attributes")
    for r in rows:
        attrs = "; ".join(f"{k}={v}" for k, v in r.attributes.items())
        t.add_row(r.id, r.proposition, r.stance, r.excerpt, r.source, r.witness or "", r.mode, attrs)
    out.print(t)


def register(app: typer.Typer) -> None:
    """Add the listing commands to the main app."""
    for command in (witnesses, interviews, documents, excerpts, claims):
        app.command()(command)
