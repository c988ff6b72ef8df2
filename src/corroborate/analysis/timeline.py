"""The timeline: every dated claim in order of its fuzzy interval, uncertainty kept.

Entries are ordered by the earliest day they may denote, then the latest (an
interval open at one end by its known end);
nothing is collapsed to a single day. When sources disagree on the date of
one occurrence (the same proposition, date attribute and occurrence, intervals
that cannot all be true at once), every entry of it says so and lists the
others. The occurrences of a pattern (repeated warnings, separate incidents)
are never compared with each other; ``pattern_spans`` gives their span.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corroborate.domain import Case, DateInterval, date_interval

from .occurrences import occurrence_scope
from .sources import SourceIndex

__all__ = ["TimelineEntry", "build_timeline"]


@dataclass
class TimelineEntry:
    """One date of one event, with every source that gives it."""

    when: str  # EDTF
    interval: DateInterval
    proposition: str
    statement: str
    attribute: str
    stance: str
    occurrence: str | None = None  # the occurrence of a pattern the claims name
    claims: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # public labels
    notes: list[int] = field(default_factory=list)
    disagreement: bool = False
    other_dates: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "when": self.when,
            "start": self.interval.start.isoformat() if self.interval.start else None,
            "end": self.interval.end.isoformat() if self.interval.end else None,
            "proposition": self.proposition,
            "statement": self.statement,
            "attribute": self.attribute,
            "stance": self.stance,
            "occurrence": self.occurrence,
            "claims": self.claims,
            "sources": self.sources,
            "notes": self.notes,
            "disagreement": self.disagreement,
            "other_dates": self.other_dates,
        }


def build_timeline(case: Case) -> list[TimelineEntry]:
    """Every dated claim of a case, in chronological order of its interval."""
    index = SourceIndex(case)
    propositions = {p.key: p for p in case.propositions}
    # (proposition, attribute, occurrence scope, date, stance) -> entry
    entries: dict[tuple[str, str, str, str, str], TimelineEntry] = {}
    for claim in case.claims:
        proposition = propositions[claim.proposition]
        scope = occurrence_scope(proposition.kind, claim.id, claim.occurrence)
        for name, value in claim.attributes.items():
            spec = proposition.attributes.get(name)
            if spec is None or spec.type != "date":
                continue
            key = (claim.proposition, name, scope, str(value), claim.stance)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = TimelineEntry(
                    str(value),
                    date_interval(str(value)),
                    claim.proposition,
                    proposition.statement,
                    name,
                    claim.stance,
                    claim.occurrence,  # None on an event: it has one occurrence (integrity checks it)
                )
            source = index.by_excerpt[claim.excerpt]
            entry.claims.append(claim.id)
            label = index.label(source.source)
            if label not in entry.sources:
                entry.sources.append(label)
            if source.note is not None and source.note not in entry.notes:
                entry.notes.append(source.note)
    events: dict[tuple[str, str, str], list[TimelineEntry]] = defaultdict(list)
    for (proposition_key, attribute, scope, _, _), entry in entries.items():
        entry.claims.sort()
        entry.sources.sort()
        entry.notes.sort()
        events[(proposition_key, attribute, scope)].append(entry)
    for same_event in events.values():
        latest_start = max(e.interval.start or date.min for e in same_event)
        earliest_end = min(e.interval.end or date.max for e in same_event)
        if latest_start > earliest_end:
            for e in same_event:
                e.disagreement = True
                e.other_dates = sorted({o.when for o in same_event if o.when != e.when})
    return sorted(entries.values(), key=_chronological)


def _chronological(e: TimelineEntry) -> tuple[date, date, str, str, str]:
    # An interval open at one end is placed by its known end ("by April 2006" sits at April 2006).
    start, end = e.interval.start, e.interval.end
    first = start or end or date.min
    last = end or start or date.max
    return first, last, e.proposition, e.when, e.stance
