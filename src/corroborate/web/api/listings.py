"""Listings of a case, filtered and sorted in the store, a page at a time with cursors.

Each listing takes ``limit`` (1 to 500, default 50) and ``cursor`` (the ``next`` of the page before); filters
are given as a user types them (a place in any spelling the gazetteer knows, an age band in words, a country
name, fuzzy dates). Nothing listed is a restricted field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from corroborate.domain import PublicDescriptor
from corroborate.domain.entities import ExcerptMode, Proposition, Recommendation, Stance
from corroborate.services import Action, Listed, listings
from corroborate.services import recommendations as recommending
from corroborate.services.listings import ClaimListing, DocumentListing, ExcerptListing, InterviewListing

from .callers import Calling, acts
from .models import Page, cursor_after, next_cursor
from .problems import responses

__all__ = ["router"]

router = APIRouter()
_LISTED = responses("invalid", "forbidden", "not-found")


@dataclass
class Paging:
    """``limit`` and ``cursor`` of a listing."""

    limit: Annotated[int, Query(ge=1, le=500, description="how many per page")] = 50
    cursor: Annotated[str | None, Query(description="the `next` of the page before")] = None


@dataclass
class WhoFilter:
    """Filters on the witness a record comes from, and on when they were interviewed."""

    gender: Annotated[str | None, Query(description="female, male, ...")] = None
    origin: Annotated[str | None, Query(description="place of origin, any spelling the gazetteer knows")] = None
    nationality: Annotated[str | None, Query(description="country code or name")] = None
    age: Annotated[str | None, Query(description="an age or band: 30-39, in her thirties, 60+")] = None
    start: Annotated[str | None, Query(description="interviewed on or after (fuzzy date)")] = None
    end: Annotated[str | None, Query(description="interviewed on or before (fuzzy date)")] = None
    witness: Annotated[str | None, Query(description="one witness's pseudonym")] = None

    def listed(self, paging: Paging, sort: str = "case") -> Listed:
        return Listed(witness=self.witness, gender=self.gender, origin=self.origin, nationality=self.nationality,
                      age=self.age, start=self.start, end=self.end, sort=sort, limit=paging.limit + 1,
                      after=cursor_after(paging.cursor))  # fmt: skip


Paged = Annotated[Paging, Depends()]
Who = Annotated[WhoFilter, Depends()]


# Not services.WitnessListing itself: that holds the whole Witness record (its independence note too, and room
# for an identity); a listing answers the pseudonym, public descriptor and group, flat, beside the interviews.
class WitnessItem(BaseModel):
    """A witness as a listing shows it: pseudonym, public descriptor and interview dates."""

    id: str
    descriptor: PublicDescriptor
    independence_group: str | None
    interviews: int
    interview_dates: list[str]


def _page(found: list[Any], limit: int, ref: str = "id") -> dict[str, Any]:
    """A page of ``limit`` from ``found`` (read one more than the page, to know whether another page follows)."""
    items = found[:limit]
    more = len(found) > limit
    return {"items": items, "next": next_cursor([str(getattr(i, ref)) for i in items], limit) if more else None}


@router.get("/cases/{case}/witnesses", openapi_extra=acts(Action.list_witnesses),
            response_model=Page[WitnessItem], responses=_LISTED, tags=["witnesses"],
            summary="Witnesses by pseudonym with their public descriptors")  # fmt: skip
def witnesses(request: Request, case: str, who: Calling, paging: Paged, filters: Who,
              sort: Literal["case", "id", "origin", "age"] = "case") -> Any:  # fmt: skip
    found = listings.witnesses(request.app.state.location, actor=who.actor, case=case,
                               listed=filters.listed(paging, sort))  # fmt: skip
    items = [WitnessItem(id=w.witness.id, descriptor=w.witness.descriptor,
                         independence_group=w.witness.independence_group, interviews=w.interviews,
                         interview_dates=w.interview_dates) for w in found]  # fmt: skip
    return _page(items, paging.limit)


@router.get("/cases/{case}/interviews", openapi_extra=acts(Action.list_interviews),
            response_model=Page[InterviewListing], responses=_LISTED,
            tags=["interviews"], summary="Interviews with their witness's pseudonym")  # fmt: skip
def interviews(request: Request, case: str, who: Calling, paging: Paged, filters: Who,
               sort: Literal["case", "id", "date"] = "case") -> Any:  # fmt: skip
    found = listings.interviews(request.app.state.location, actor=who.actor, case=case,
                                listed=filters.listed(paging, sort))  # fmt: skip
    return _page(found, paging.limit)


@router.get("/cases/{case}/documents", openapi_extra=acts(Action.list_documents),
            response_model=Page[DocumentListing], responses=_LISTED, tags=["documents"],
            summary="Documents in the case's order")  # fmt: skip
def documents(request: Request, case: str, who: Calling, paging: Paged) -> Any:
    found = listings.documents(request.app.state.location, actor=who.actor, case=case, limit=paging.limit + 1,
                               after=cursor_after(paging.cursor))  # fmt: skip
    return _page(found, paging.limit)


@router.get("/cases/{case}/excerpts", openapi_extra=acts(Action.list_excerpts),
            response_model=Page[ExcerptListing], responses=_LISTED, tags=["excerpts"],
            summary="Excerpts with their source and witness's pseudonym")  # fmt: skip
def excerpts(
    request: Request, case: str, who: Calling, paging: Paged, filters: Who,
    source: Annotated[str | None, Query(description="an interview's or document's id")] = None,
    proposition: Annotated[str | None, Query(description="excerpts coded against this proposition")] = None,
    mode: Annotated[ExcerptMode | None, Query()] = None,
    sort: Literal["case", "id"] = "case",
) -> Any:  # fmt: skip
    found = listings.excerpts(request.app.state.location, actor=who.actor, case=case, source=source,
                              proposition=proposition, mode=mode, listed=filters.listed(paging, sort))  # fmt: skip
    return _page(found, paging.limit)


@router.get("/cases/{case}/claims", openapi_extra=acts(Action.list_claims),
            response_model=Page[ClaimListing], responses=_LISTED, tags=["claims"],
            summary="Claims with their proposition, stance, excerpt and witness's pseudonym")  # fmt: skip
def claims(
    request: Request, case: str, who: Calling, paging: Paged, filters: Who,
    proposition: Annotated[str | None, Query()] = None, stance: Annotated[Stance | None, Query()] = None,
    mode: Annotated[ExcerptMode | None, Query()] = None,
    excerpt: Annotated[str | None, Query(description="the claims coding this excerpt")] = None,
    sort: Literal["case", "id"] = "case",
) -> Any:  # fmt: skip
    found = listings.claims(request.app.state.location, actor=who.actor, case=case, proposition=proposition,
                            stance=stance, mode=mode, excerpt=excerpt, listed=filters.listed(paging, sort))  # fmt: skip
    return _page(found, paging.limit)


@router.get("/cases/{case}/propositions", openapi_extra=acts(Action.analyse),
            response_model=Page[Proposition], responses=_LISTED,
            tags=["propositions"], summary="Propositions in the case's order")  # fmt: skip
def propositions(request: Request, case: str, who: Calling, paging: Paged) -> Any:
    found = listings.propositions(request.app.state.location, actor=who.actor, case=case, limit=paging.limit + 1,
                                  after=cursor_after(paging.cursor))  # fmt: skip
    return _page(found, paging.limit, ref="key")


@router.get("/cases/{case}/recommendations", openapi_extra=acts(Action.list_recommendations),
            response_model=list[Recommendation], responses=_LISTED,
            tags=["recommendations"], summary="Recommendations with their follow-up and current status")  # fmt: skip
def recommendations(
    request: Request, case: str, who: Calling,
    addressee: Annotated[str | None, Query(description="to whom, e.g. DPRK")] = None,
    status: Annotated[str | None, Query(description="current status, or none")] = None,
) -> Any:  # fmt: skip
    return recommending.recommendations(request.app.state.location, actor=who.actor, case=case,
                                        addressee=addressee, status=status)  # fmt: skip
