"""Use cases that list a case's witnesses, interviews, excerpts and claims, filtered, sorted and paged.

Filters are given as a user types them (a place in any spelling, an age band in words, a country's name,
fuzzy dates) and turned into the store's terms here; nothing listed is ever a restricted field.
"""

from __future__ import annotations

from dataclasses import dataclass

from corroborate.domain import (
    DateInterval,
    Gazetteer,
    Proposition,
    Witness,
    country_code,
    date_interval,
    normalise_fuzzy_date,
    parse_age,
)
from corroborate.errors import UserError
from corroborate.store import (
    CLAIM_SORTS,
    EXCERPT_SORTS,
    INTERVIEW_SORTS,
    WITNESS_SORTS,
    ClaimListing,
    DocumentListing,
    ExcerptListing,
    InterviewListing,
    Page,
    WitnessFilter,
    list_claims,
    list_documents,
    list_excerpts,
    list_interviews,
    list_propositions,
    list_witnesses,
    named_places,
    next_ref,
    open_store,
    origin_counts,
)

from .access import Action, Actor
from .cases import actor_case

__all__ = [
    "SORTS",
    "ClaimListing",
    "DocumentListing",
    "ExcerptListing",
    "InterviewListing",
    "Listed",
    "WitnessListing",
    "claims",
    "documents",
    "excerpts",
    "interviews",
    "named",
    "next_id",
    "origins",
    "propositions",
    "witnesses",
]

# How each listing may be sorted (then always by the case's order), for the CLI's and the web's choices.
SORTS: dict[str, tuple[str, ...]] = {
    "witnesses": tuple(WITNESS_SORTS),
    "interviews": tuple(INTERVIEW_SORTS),
    "excerpts": tuple(EXCERPT_SORTS),
    "claims": tuple(CLAIM_SORTS),
}


@dataclass(frozen=True)
class WitnessListing:
    """A witness as a listing shows it: pseudonym and public descriptor only."""

    witness: Witness
    interviews: int
    interview_dates: list[str]


@dataclass(frozen=True)
class Listed:
    """The filters of a listing as a user gives them; ``start``/``end`` bound the interview dates (fuzzy
    dates: an interview is kept when its date may lie between the first day of ``start`` and the last of
    ``end``); ``witness`` keeps one witness (by pseudonym) and what they told; ``after`` is the id of the
    last record of the previous page."""

    witness: str | None = None
    gender: str | None = None
    origin: str | None = None
    nationality: str | None = None
    age: str | None = None
    start: str | None = None
    end: str | None = None
    sort: str = "case"
    limit: int | None = None
    offset: int = 0
    after: str | None = None

    def who(self) -> WitnessFilter:
        place = Gazetteer.default().lookup(self.origin).name if self.origin is not None else None
        band = parse_age(self.age) if self.age is not None else None
        try:
            code = country_code(self.nationality) if self.nationality is not None else None
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return WitnessFilter(self.gender, place, code, band, self.witness)

    def interviewed(self) -> DateInterval | None:
        if self.start is None and self.end is None:
            return None
        first = date_interval(normalise_fuzzy_date(self.start)).start if self.start is not None else None
        last = date_interval(normalise_fuzzy_date(self.end)).end if self.end is not None else None
        if first is not None and last is not None and first > last:
            raise UserError(f"the date range from {self.start} to {self.end} is empty (it ends before it starts)")
        return DateInterval(first, last)

    def page(self, listing: str) -> Page:
        if self.limit is not None and self.limit < 1 or self.offset < 0:
            raise UserError("a page needs a limit of at least 1 and an offset of 0 or more")
        if self.sort not in SORTS[listing]:
            raise UserError(f"{listing} sort by {', '.join(SORTS[listing])}, not {self.sort!r}")
        return Page(self.limit, self.offset, self.after)


def witnesses(
    location: str, *, actor: Actor, case: str | None = None,
    listed: Listed = Listed(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[WitnessListing]:  # fmt: skip
    """Witnesses with their public descriptors (never their restricted identities), filtered, sorted and paged.

    ``origin`` may be any spelling the gazetteer knows; ``age`` a band ("30-39", "in her thirties", "60+")
    or an age; ``nationality`` a code or country name.
    """
    who, interviewed, page = listed.who(), listed.interviewed(), listed.page("witnesses")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_witnesses, case)
        found = list_witnesses(session, row.ref, who=who, interviewed=interviewed, sort=listed.sort, page=page)
        return [WitnessListing(w, n, dates) for w, n, dates in found]


def interviews(
    location: str, *, actor: Actor, case: str | None = None,
    listed: Listed = Listed(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[InterviewListing]:  # fmt: skip
    """Interviews with their witness's pseudonym, date, place, language, consent and excerpt count."""
    who, interviewed, page = listed.who(), listed.interviewed(), listed.page("interviews")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_interviews, case)
        return list_interviews(session, row.ref, who=who, interviewed=interviewed, sort=listed.sort, page=page)


_LISTED_BY = {"witness": Action.list_witnesses, "interview": Action.list_interviews, "document": Action.list_documents,
              "excerpt": Action.list_excerpts, "claim": Action.list_claims}  # fmt: skip


def next_id(location: str, kind: str, prefix: str, *, actor: Actor, case: str | None = None) -> str:
    """The id a new record of ``kind`` is offered: ``PREFIX-<number>`` one past the highest such id of the case
    (``PREFIX-001`` when there is none), found without listing the case's records."""
    if kind not in _LISTED_BY:
        raise UserError(f"no suggested ids for {kind} records")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, _LISTED_BY[kind], case)
        return next_ref(session, row, kind, prefix)


def origins(location: str, *, actor: Actor, case: str | None = None) -> dict[str | None, int]:
    """How many witnesses name each place of origin (None: no place given); public descriptors only."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_witnesses, case)
        return origin_counts(session, row.ref)


def named(location: str, *, actor: Actor, case: str | None = None) -> dict[str, tuple[int, int]]:
    """The places claims name (attributes of type place), as written: how many witnesses and claims name each."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_claims, case)
        return {place: (len(witnesses), claims) for place, (witnesses, claims) in named_places(session, row).items()}


def documents(
    location: str, *, actor: Actor, case: str | None = None, limit: int | None = None, after: str | None = None
) -> list[DocumentListing]:
    """Documents in the case's order, with their kind, title, outlet, date and excerpt count."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_documents, case)
        return list_documents(session, row.ref, page=Page(limit=limit, after=after))


def propositions(
    location: str, *, actor: Actor, case: str | None = None, limit: int | None = None, after: str | None = None
) -> list[Proposition]:
    """The case's propositions in its order (statements, kinds and attribute types), paged by key."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.analyse, case)
        return list_propositions(session, row, limit=limit, after=after)


def excerpts(
    location: str, *, actor: Actor, case: str | None = None, source: str | None = None,
    proposition: str | None = None, mode: str | None = None,
    listed: Listed = Listed(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[ExcerptListing]:  # fmt: skip
    """Excerpts with their source, witness pseudonym, mode, text and how many claims code them."""
    who, interviewed, page = listed.who(), listed.interviewed(), listed.page("excerpts")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_excerpts, case)
        return list_excerpts(session, row.ref, source=source, who=who, interviewed=interviewed,
                             proposition=proposition, mode=mode, sort=listed.sort, page=page)  # fmt: skip


def claims(
    location: str, *, actor: Actor, case: str | None = None, proposition: str | None = None,
    stance: str | None = None, mode: str | None = None, excerpt: str | None = None,
    listed: Listed = Listed(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[ClaimListing]:  # fmt: skip
    """Claims with their proposition, stance, excerpt, source and witness pseudonym, filtered and paged
    (``excerpt``: the claims coding that excerpt)."""
    who, interviewed, page = listed.who(), listed.interviewed(), listed.page("claims")
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_claims, case)
        return list_claims(session, row.ref, proposition=proposition, stance=stance, mode=mode, excerpt=excerpt,
                           who=who, interviewed=interviewed, sort=listed.sort, page=page)  # fmt: skip
