"""Do sources agree on a proposition's attributes? Ranges, dates, numbers and categories compared.

Values agree when they can all be true at once: numeric ranges and fuzzy date
intervals share a common point (in one dimension, pairwise overlap is the
same as max(start) <= min(end)), numbers and categories are equal. Free text,
and attributes that describe the source rather than what happened (how a
witness learned of it), are listed, never judged.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import groupby
from operator import itemgetter

from corroborate.domain import AttributeSpec, date_interval, parse_range

__all__ = ["AttributeFinding", "compare_attribute", "compare_in_occurrences", "compare_sorted"]


@dataclass(frozen=True)
class AttributeFinding:
    """What the supporting sources say about one attribute."""

    name: str
    type: str
    values: dict[str, list[str]]  # value -> sources that gave it, in order of first appearance
    consistent: bool
    decisive: bool
    span: str | None  # for ranges and dates: from the lowest to the highest value
    of_source: bool = False  # the value describes the source (how it learned), so it is never compared
    occurrences: int = 1  # how many occurrences gave a value (more than one only for a pattern)
    # a pattern's occurrences whose sources disagree, each with its own finding
    disagreeing: dict[str, AttributeFinding] = field(default_factory=dict)

    @property
    def distinct(self) -> list[str]:
        return list(self.values)


_VALUE, _SOURCE, _OCCURRENCE = itemgetter(0), itemgetter(1), itemgetter(2)  # of a (value, source, occurrence)


@functools.lru_cache(maxsize=65536)
def _range(value: str) -> tuple[float, float]:
    r = parse_range(value)
    return r.low, float("inf") if r.high is None else r.high


def _fmt(x: float) -> str:
    return str(int(x)) if x.is_integer() else str(x)


def compare_attribute(name: str, spec: AttributeSpec, given: Iterable[tuple[str, str]]) -> AttributeFinding:
    """Compare the (value, source) pairs the supporting claims give for an attribute."""
    seen: dict[str, dict[str, None]] = {}  # value -> its sources, each once, in order of first appearance
    for value, source in given:
        sources = seen.get(value)
        if sources is None:
            seen[value] = {source: None}
        else:
            sources[source] = None
    return _finding(name, spec, {value: list(sources) for value, sources in seen.items()})


def _finding(name: str, spec: AttributeSpec, values: dict[str, list[str]]) -> AttributeFinding:
    """The finding on the values given and the sources that gave each (at least one value)."""
    span = None
    if spec.type in ("range", "number"):
        bounds = [_range(v) for v in values]
        low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
        consistent = max(b[0] for b in bounds) <= min(b[1] for b in bounds)
        span = f"{_fmt(low)}..{'' if high == float('inf') else _fmt(high)}"
    elif spec.type == "date":
        intervals = [date_interval(v) for v in values]
        starts = [i.start or date.min for i in intervals]
        ends = [i.end or date.max for i in intervals]
        consistent = max(starts) <= min(ends)
        first, last = min(starts), max(ends)
        span = f"{'..' if first == date.min else first.isoformat()}/{'..' if last == date.max else last.isoformat()}"
    elif spec.type == "text":
        consistent = True  # free text is shown side by side, not judged
    else:
        consistent = len(values) <= 1
    if spec.of_source:
        consistent = True  # it describes each source (how it learned), so sources cannot disagree on it
    return AttributeFinding(name, spec.type, values, consistent, spec.decisive, span, of_source=spec.of_source)


def compare_in_occurrences(name: str, spec: AttributeSpec, given: Iterable[tuple[str, str, str]]) -> AttributeFinding:
    """Compare (occurrence, value, source) triples: values disagree only within one occurrence.

    The finding lists every value and the span of all of them; it is
    consistent when the sources of each occurrence agree among themselves.
    """
    return compare_sorted(name, spec, sorted((value, source, occurrence) for occurrence, value, source in given))


def compare_sorted(name: str, spec: AttributeSpec, ordered: Sequence[tuple[str, str, str]]) -> AttributeFinding:
    """``compare_in_occurrences`` of (value, source, occurrence) triples already sorted.

    Only which triples are given matters, not how often: a value a source
    repeats in one occurrence neither adds a value nor a disagreement.
    """
    # Sorted, each value's triples are together and its sources in order: grouped, not looked up one by one.
    values = {value: list(dict.fromkeys(map(_SOURCE, triples))) for value, triples in groupby(ordered, _VALUE)}
    whole = _finding(name, spec, values)
    if len(set(map(_OCCURRENCE, ordered))) <= 1:
        return whole
    by_occurrence: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for value, source, occurrence in ordered:
        by_occurrence[occurrence].append((value, source))
    disagreeing = {}
    for occurrence, pairs in sorted(by_occurrence.items()):
        if len(pairs) > 1:
            finding = compare_attribute(name, spec, pairs)
            if not finding.consistent:
                disagreeing[occurrence] = finding
    return replace(whole, consistent=not disagreeing, occurrences=len(by_occurrence), disagreeing=disagreeing)
