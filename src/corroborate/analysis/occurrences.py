"""Event identity: which claims describe the same occurrence of what a proposition states.

A proposition of kind ``event`` has one occurrence: every claim describes it,
so their attributes are compared and a different date is a disagreement. A
``pattern`` (announcements repeated over the years, separate incidents at the
border) has many: claims naming the same occurrence are compared with each
other; a claim that names none is an occurrence of its own. Disagreement is
only ever reported within one occurrence.

Naming the occurrence is the coder's choice; ``suggest_occurrences`` proposes
one for each unnamed claim of a pattern from its dates and place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from corroborate.domain import Case, Claim, DateInterval, Proposition, date_interval, hull

__all__ = [
    "Occurrence",
    "OccurrenceSuggestion",
    "PatternSpan",
    "occurrence_scope",
    "pattern_spans",
    "suggest_occurrences",
]


def occurrence_scope(kind: str, claim_id: str, occurrence: str | None) -> str:
    """The key of the occurrence a claim describes: one for an event, the named or the claim's own for a pattern.

    An unnamed claim's own scope starts with '#', which no occurrence label can.
    """
    if kind == "event":
        return ""
    return occurrence if occurrence is not None else f"#{claim_id}"


@dataclass
class Occurrence:
    """One occurrence of a pattern: the claims that describe it and the days their dates may denote."""

    label: str | None  # None: a claim that names no occurrence
    claims: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # the EDTF dates its claims give
    start: date | None = None  # the hull of those dates; None: open or undated
    end: date | None = None

    @property
    def name(self) -> str:
        return self.label or f"({self.claims[0]})"


@dataclass
class PatternSpan:
    """A pattern proposition's occurrences in chronological order, and the span they cover."""

    proposition: str
    statement: str
    occurrences: list[Occurrence]
    start: date | None
    end: date | None

    def to_json(self) -> dict[str, object]:
        return {
            "proposition": self.proposition,
            "statement": self.statement,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "occurrences": [
                {
                    "label": o.label,
                    "claims": o.claims,
                    "dates": o.dates,
                    "start": o.start.isoformat() if o.start else None,
                    "end": o.end.isoformat() if o.end else None,
                }
                for o in self.occurrences
            ],  # fmt: skip
        }


@dataclass(frozen=True)
class OccurrenceSuggestion:
    """The occurrence proposed for a claim of a pattern that names none."""

    claim: str
    occurrence: str
    new: bool  # True: no claim names this occurrence yet
    reason: str


def _claim_dates(claim: Claim, proposition: Proposition) -> list[str]:
    return [
        str(value)
        for name, value in claim.attributes.items()
        if (spec := proposition.attributes.get(name)) is not None and spec.type == "date"
    ]


def _hull(dates: list[str]) -> tuple[date | None, date | None]:
    span = hull(date_interval(d) for d in dates)
    return span.start, span.end


def _chronological(o: Occurrence) -> tuple[date, date, str]:
    first = o.start or o.end or date.max
    return first, o.end or first, o.name


def pattern_spans(case: Case) -> list[PatternSpan]:
    """Every pattern proposition of a case with its occurrences (supporting claims only) and their span."""
    spans = []
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in case.claims:
        if claim.stance == "supports":
            claims_of[claim.proposition].append(claim)
    for proposition in case.propositions:
        if proposition.kind != "pattern":
            continue
        occurrences: dict[str, Occurrence] = {}
        for claim in claims_of[proposition.key]:
            scope = occurrence_scope("pattern", claim.id, claim.occurrence)
            occurrence = occurrences.setdefault(scope, Occurrence(claim.occurrence))
            occurrence.claims.append(claim.id)
            occurrence.dates += [d for d in _claim_dates(claim, proposition) if d not in occurrence.dates]
        for occurrence in occurrences.values():
            occurrence.start, occurrence.end = _hull(occurrence.dates)
        ordered = sorted(occurrences.values(), key=_chronological)
        start, end = _hull([d for o in ordered for d in o.dates])
        spans.append(PatternSpan(proposition.key, proposition.statement, ordered, start, end))
    return spans


def _common(intervals: list[DateInterval]) -> DateInterval | None:
    """The days every interval may denote; None when they share none."""
    starts = [i.start for i in intervals if i.start is not None]
    ends = [i.end for i in intervals if i.end is not None]
    common = DateInterval(max(starts) if starts else None, min(ends) if ends else None)
    if common.start is not None and common.end is not None and common.start > common.end:
        return None
    return common


def _places(claim: Claim, proposition: Proposition) -> set[str]:
    return {
        str(value).casefold()
        for name, value in claim.attributes.items()
        if (spec := proposition.attributes.get(name)) is not None and spec.type == "place"
    }


def _label(key: str, when: DateInterval) -> str:
    day = when.start or when.end
    stem = key.rsplit(".", 1)[-1].replace("_", "-")
    return f"{stem}-{day.strftime('%Y-%m')}" if day else stem


def suggest_occurrences(case: Case, key: str) -> list[OccurrenceSuggestion]:
    """An occurrence for every dated claim of a pattern that names none, from date overlap and place.

    A claim joins a named occurrence whose claims' dates it shares a day with
    (and whose place, when both give one, is the same); the narrowest such
    occurrence when several fit. Claims that fit none are grouped with the
    unnamed claims they share days and place with, under a new label.
    Undated claims get no suggestion: nothing says which occurrence they describe.
    """
    proposition = next((p for p in case.propositions if p.key == key), None)
    if proposition is None:
        raise KeyError(key)
    if proposition.kind != "pattern":
        return []
    claims = [c for c in case.claims if c.proposition == key]
    named: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.occurrence is not None:
            named[claim.occurrence].append(claim)
    known: dict[str, tuple[DateInterval, set[str]]] = {}
    for label, members in named.items():
        common = _common([date_interval(d) for c in members for d in _claim_dates(c, proposition)])
        if common is not None and (common.start or common.end):
            known[label] = (common, set().union(*(_places(c, proposition) for c in members)))
    suggestions: list[OccurrenceSuggestion] = []
    groups: list[tuple[DateInterval, set[str], str, list[Claim]]] = []  # new occurrences being formed
    for claim in sorted((c for c in claims if c.occurrence is None), key=lambda c: c.id):
        dates = _claim_dates(claim, proposition)
        when = _common([date_interval(d) for d in dates]) if dates else None
        if when is None:
            continue
        places = _places(claim, proposition)
        fits = [
            (label, interval)
            for label, (interval, where) in known.items()
            if interval.overlaps(when) and (not places or not where or places & where)
        ]
        if fits:
            label, interval = min(fits, key=lambda f: (_width(f[1]), f[0]))
            also = sorted(f[0] for f in fits if f[0] != label)
            others = f"; also possible: {', '.join(also)}" if also else ""
            reason = f"its dates ({', '.join(dates)}) share days with {label}'s{others}"
            suggestions.append(OccurrenceSuggestion(claim.id, label, False, reason))
            continue
        bounded = when.start is not None and when.end is not None  # "by 2007" alone says too little to group
        for i, (interval, where, label, members) in enumerate(groups):
            if bounded and interval.overlaps(when) and (not places or not where or places & where):
                members.append(claim)
                narrowed = _common([interval, when]) or interval
                groups[i] = (narrowed, where | places, label, members)
                break
        else:
            groups.append((when, places, _label(key, when), [claim]))
    taken = set(named)
    for _interval, _where, label, members in groups:
        unique, n = label, 2
        while unique in taken:
            unique, n = f"{label}-{n}", n + 1
        taken.add(unique)
        for claim in members:
            fellows = [c.id for c in members if c is not claim]
            shared = f"; the same occurrence as {', '.join(fellows)}" if fellows else ""
            reason = f"no named occurrence shares its dates ({', '.join(_claim_dates(claim, proposition))}){shared}"
            suggestions.append(OccurrenceSuggestion(claim.id, unique, True, reason))
    return sorted(suggestions, key=lambda s: s.claim)


def _width(interval: DateInterval) -> int:
    if interval.start is None or interval.end is None:
        return 1 << 30
    return (interval.end - interval.start).days
