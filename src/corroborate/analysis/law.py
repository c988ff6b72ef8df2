"""The law check: the articles each proposition engages, and whether the state was bound when the conduct happened.

The conduct period of a proposition is the span of the date attributes of its
supporting claims, kept as fuzzy as the claims are. A claim dated only by an
upper or a lower bound ("by December 2005") is read as falling within the
period the other claims give, when it can; the finding names such claims. The
check is pure: it reads the case and the law book, never a store or the network.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from corroborate.domain import Case, Claim, DateInterval, Proposition, date_interval, hull

from .lawbook import LawBook
from .lawfile import Binding, BindingStatus, DateStatus, ViolationMapping

__all__ = ["ConductPeriod", "LawFinding", "check_law", "conduct_period", "format_period"]

_STATUS_WORDS = {
    "verified": "verified",
    "derived": "derived by the treaty's rule from a verified date",
    "unverified": "UNVERIFIED, best knowledge",
    "n/a": "not applicable",
}


class LawFinding(BaseModel):
    """One article engaged by one proposition, checked against the dates of the conduct."""

    model_config = ConfigDict(frozen=True)

    proposition: str
    instrument: str
    instrument_short: str
    article: str
    article_title: str
    duty_bearer: str
    why: str
    binding: Binding
    period: DateInterval | None
    period_text: str | None
    dated_claims: tuple[str, ...]
    undated_claims: tuple[str, ...]
    open_ended_claims: tuple[str, ...]
    party: bool | None
    bound_since: date | None
    date_status: DateStatus
    verified: bool
    bound_throughout: bool | None
    source: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ConductPeriod:
    """When the conduct a proposition describes took place, from its supporting claims' dates."""

    interval: DateInterval | None
    dated: tuple[str, ...]
    undated: tuple[str, ...]
    open_ended: tuple[str, ...]  # claims whose open end was read as lying within the dated claims' span
    dates: tuple[str, ...] = ()  # the distinct EDTF values the period was made from


def conduct_period(proposition: Proposition, claims: Iterable[Claim]) -> ConductPeriod:
    """The hull of the date attributes of ``claims``; None when no claim is dated.

    An open start ("by 2005-12") does not pull the period back to the beginning
    of time when another claim gives a start on or before its end: the claims
    support one proposition, so it is read as falling within their span.
    Otherwise the open end stays open. Likewise for open ends.
    """
    date_names = [name for name, spec in proposition.attributes.items() if spec.type == "date"]
    spans: list[tuple[str, DateInterval]] = []
    texts: list[str] = []
    dated: list[str] = []
    undated: list[str] = []
    for claim in claims:
        values = [claim.attributes[n] for n in date_names if n in claim.attributes]
        (dated if values else undated).append(claim.id)
        spans += [(claim.id, date_interval(str(v))) for v in values]
        texts += [str(v) for v in values]
    if not spans:
        return ConductPeriod(None, (), tuple(undated), ())
    period = hull(s for _, s in spans)
    start, end = period.start, period.end
    open_ended = [c for c, s in spans if (s.start is None and start is not None) or (s.end is None and end is not None)]
    return ConductPeriod(
        period,
        tuple(dated),
        tuple(undated),
        tuple(dict.fromkeys(open_ended)),
        tuple(dict.fromkeys(texts)),
    )


def _day(d: date | None, *, end: bool) -> str:
    if d is None:
        return ".."
    if end:
        if (d.month, d.day) == (12, 31):
            return f"{d.year:04d}"
        if d.day == calendar.monthrange(d.year, d.month)[1]:
            return f"{d.year:04d}-{d.month:02d}"
    else:
        if (d.month, d.day) == (1, 1):
            return f"{d.year:04d}"
        if d.day == 1:
            return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def format_period(interval: DateInterval) -> str:
    """A period as people read it: '2004-09 … 2006-10', '2006', '.. … 2002-11'."""
    start, end = _day(interval.start, end=False), _day(interval.end, end=True)
    return start if start == end else f"{start} … {end}"


def _bound_throughout(period: DateInterval | None, status: BindingStatus) -> bool | None:
    if status.binding == "declaration":
        return None
    if not status.party or status.since is None:
        return False
    if period is None:
        return None
    if status.until is not None and (period.end is None or period.end >= status.until):
        return False
    if period.start is None:
        return False if period.end is not None and period.end < status.since else None
    return period.start >= status.since


def _sources(source: Sequence[str]) -> str:
    if not source:
        return "no source found"
    more = f" and {len(source) - 1} more" if len(source) > 1 else ""
    return f"source: {source[0]}{more}"


def _since_clause(book: LawBook, m: ViolationMapping, status: BindingStatus) -> str:
    state = book.state_name(m.duty_bearer)
    inst = book.instrument(m.instrument)
    where = f"{inst.short} art. {m.article}"
    details = [f"entry into force {_STATUS_WORDS[status.status]}"]
    if status.deposit is not None and status.deposit.date is not None:
        act = status.act or "instrument deposited"
        details.append(f"{act} {status.deposit.date.isoformat()}, {_STATUS_WORDS[status.deposit.status]}")
    details.append(_sources(status.source))
    text = f"{state} has been bound by {where} since {status.since} ({'; '.join(details)})"
    effects = [e.effect for e in status.events if e.effect]
    return "; ".join([text, *effects])


def _period_clause(book: LawBook, m: ViolationMapping, period: ConductPeriod, status: BindingStatus) -> str:
    interval = period.interval
    if interval is None:
        return "no supporting claim is dated, so the conduct cannot be placed against that date"
    since, when = status.since, format_period(interval)
    if status.until is not None and (interval.end is None or interval.end >= status.until):
        return f"the conduct ({when}) runs past {status.until}, when the obligation ended"
    if since is None:  # not reached for parties; kept for type narrowing
        return f"the conduct ({when})"
    if interval.start is None and (interval.end is None or interval.end >= since):
        return (
            f"the claims' dates ({'; '.join(period.dates)}) give the conduct no start, so whether any of it "
            f"predates {since} cannot be told; what happened from {since} on is covered"
        )
    if interval.start is not None and interval.start >= since:
        text = f"the conduct ({when}) falls entirely after that date"
    elif interval.end is not None and interval.end < since:
        inst, state = book.instrument(m.instrument).short, book.state_name(m.duty_bearer)
        text = f"the conduct ({when}) falls entirely before that date, when {inst} did not yet bind {state}"
    else:
        text = f"the conduct ({when}) may begin before that date: only what happened from {since} on is covered"
    if period.open_ended:
        text += f" (claims dated only by one bound, read as within that span: {', '.join(period.open_ended)})"
    return text


def _robustness(period: ConductPeriod, status: BindingStatus, throughout: bool | None) -> str | None:
    if status.status != "unverified":
        return None
    if status.known_within is None or period.interval is None or period.interval.start is None:
        return "the date of entry into force is unverified"
    latest = status.latest_possible_since()
    if throughout and latest is not None and period.interval.start >= latest:
        return (
            f"the exact date is unverified, but it fell within {status.known_within} "
            f"({status.known_within_status}), and the conduct starts after any day of it"
        )
    return f"the exact date is unverified (known within {status.known_within}, {status.known_within_status})"


def _explain(
    book: LawBook, m: ViolationMapping, status: BindingStatus, period: ConductPeriod, throughout: bool | None
) -> str:
    inst = book.instrument(m.instrument)
    state = book.state_name(m.duty_bearer)
    when = f" (conduct {format_period(period.interval)})" if period.interval is not None else ""
    if status.binding == "declaration":
        adopted = f", adopted {inst.adopted.date}" if inst.adopted.date else ""
        return (
            f"{inst.short} art. {m.article} is in a declaration ({inst.title}{adopted}), not a treaty: no state "
            f"becomes bound by it through ratification, so no date is checked for {state}{when}; "
            "it states the standard the conduct is measured against"
        )
    if not status.party:
        signed = status.signature.date if status.signature is not None else None
        how = (
            f"it signed on {signed} but has not ratified, and a signature binds only not to defeat the "
            "treaty's object and purpose (VCLT art. 18)"
            if signed
            else "it has neither ratified nor acceded"
        )
        return (
            f"{state} is not a party to {inst.short} (non-party status {_STATUS_WORDS[status.status]}; "
            f"{_sources(status.source)}): {how}, so art. {m.article} does not bind it as a treaty{when}"
        )
    parts = [_since_clause(book, m, status), _period_clause(book, m, period, status)]
    robust = _robustness(period, status, throughout)
    if robust:
        parts.append(robust)
    return "; ".join(parts)


def _finding(
    book: LawBook, proposition: str, m: ViolationMapping, period: ConductPeriod, status: BindingStatus
) -> LawFinding:
    throughout = _bound_throughout(period.interval, status)
    inst = book.instrument(m.instrument)
    return LawFinding(
        proposition=proposition,
        instrument=m.instrument,
        instrument_short=inst.short,
        article=m.article,
        article_title=inst.articles[m.article].title,
        duty_bearer=m.duty_bearer,
        why=m.why,
        binding=status.binding,
        period=period.interval,
        period_text=format_period(period.interval) if period.interval is not None else None,
        dated_claims=period.dated,
        undated_claims=period.undated,
        open_ended_claims=period.open_ended,
        party=status.party,
        bound_since=status.since,
        date_status=status.status,
        verified=status.verified,
        bound_throughout=throughout,
        source=status.source,
        explanation=_explain(book, m, status, period, throughout),
    )


def check_law(case: Case, book: LawBook | None = None) -> list[LawFinding]:
    """For every supported proposition with a mapping, each article it engages and whether the state was bound."""
    book = book or LawBook.default()
    supporting: dict[str, list[Claim]] = {}
    for claim in case.claims:
        if claim.stance == "supports":
            supporting.setdefault(claim.proposition, []).append(claim)
    findings: list[LawFinding] = []
    for proposition in case.propositions:
        claims = supporting.get(proposition.key)
        mappings = book.mappings_for(proposition.key) if claims else ()
        if not claims or not mappings:
            continue
        period = conduct_period(proposition, claims)
        for m in mappings:
            status = book.bound_since(m.instrument, m.duty_bearer)
            findings.append(_finding(book, proposition.key, m, period, status))
    return findings
