"""The coding assistant: proposes claims for an excerpt from the thesaurus; it never codes one itself.

``suggest`` reads a passage for thesaurus terms, cue phrases, durations, fuzzy
dates and gazetteer places, scores the case's propositions by their cues and
gives each suggested claim the values that stand nearest to its own anchor
cues ("six months at a forced labour facility" and "three years in regular
prison" in one passage go to different claims). Every suggestion carries the
spans it rests on, so a user interface can show why; the analyst accepts,
edits or rejects it, and only ``Suggestion.to_claim`` makes a claim.

Reading the passage (terms, durations, dates, places, distances) lives in
``passage.py``; this module scores propositions and assigns the values.
Reads nothing but the passage and the thesaurus; never sees a witness's identity.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from corroborate.domain import (
    AttributeSpec,
    AttributeValue,
    Claim,
    Excerpt,
    Proposition,
    Stance,
    coerce_attribute,
)

from .passage import SENTENCE, SLACK, MatchedSpan, Passage, Value
from .thesaurus import Thesaurus, tokenize

__all__ = ["MatchedSpan", "Suggestion", "suggest"]

_NEGATION = re.compile(r"\b(?:not|never|no|nobody|none|neither|nor|without|hardly|no\s+one)\b|n[’']t\b", re.I)
_NOT_NEGATION = re.compile(r"\bno\s+(?:more|less|longer)\s+than\b|\bno\s+longer\b|\bnot\s+(?:only|just)\b", re.I)
_TIME_UNITS = {"year": 365.25, "month": 30.4375, "week": 7.0, "day": 1.0}
_STOP = frozenset(
    "that this with from have been were their they them when what which while into than then also more most "
    "such some other only over under after before since between about there these those whom whose".split()
)


class Suggestion(BaseModel):
    """A proposed claim: proposition, stance, typed attribute values, score and the spans behind them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proposition: str
    stance: Stance = "supports"
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    score: float = Field(ge=0, le=1)
    evidence: tuple[MatchedSpan, ...] = ()

    def to_claim(
        self,
        claim_id: str,
        excerpt_id: str,
        *,
        stance: str | None = None,
        attributes: Mapping[str, AttributeValue | None] | None = None,
        note: str | None = None,
        occurrence: str | None = None,
    ) -> Claim:
        """The claim the analyst accepts; ``attributes`` edits the suggested values (None removes one).

        The analyst's edits (stance, occurrence label) are checked as any claim is: ValidationError if wrong.
        """
        values = dict(self.attributes)
        for name, value in (attributes or {}).items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return Claim.model_validate(
            {
                "id": claim_id,
                "excerpt": excerpt_id,
                "proposition": self.proposition,
                "stance": stance or self.stance,
                "attributes": values,
                "occurrence": occurrence,
                "note": note,
            }
        )


@dataclass(frozen=True)
class _Slot:
    """What one attribute of a proposition can take from a passage."""

    name: str
    spec: AttributeSpec
    kind: str  # duration, date, term or place
    days: float = 365.25  # length of the attribute's unit, for durations
    role: str = "event"  # for dates: announced, effective or event


def _slots(proposition: Proposition) -> list[_Slot]:
    slots = []
    for name, spec in proposition.attributes.items():
        unit = (spec.unit or name.rsplit("_", 1)[-1]).lower().rstrip("s")
        if spec.type in ("range", "number") and unit in _TIME_UNITS:
            slots.append(_Slot(name, spec, "duration", _TIME_UNITS[unit]))
        elif spec.type == "date":
            role = next((r for r in ("announced", "effective") if name.startswith(r[:7])), "event")
            slots.append(_Slot(name, spec, "date", role=role))
        elif spec.type == "category" and spec.values or spec.type == "place":
            slots.append(_Slot(name, spec, "term" if spec.type == "category" else "place"))
    return slots


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    words = (t.text for t in tokenize(text.replace(".", " ").replace("_", " ")))
    return frozenset(w[:6] for w in words if len(w) > 3 and w not in _STOP)


@dataclass
class _Candidate:
    proposition: Proposition
    score: float
    cues: list[MatchedSpan]
    anchors: list[MatchedSpan]
    slots: list[_Slot]
    anchored: bool = True  # False when no anchor cue fired: it then takes only values of the whole passage
    by_rule: bool = True  # False when suggested by the words of its statement (never "contradicts" then)

    def nearest(self, passage: Passage, value: Value) -> float:
        return min((passage.distance(a, value) for a in self.anchors), default=math.inf)


def _category(passage: Passage, value: Value, slot: _Slot) -> str | None:
    """The category value a term gives a slot: the term, or its nearest broader term, if the slot allows it."""
    if value.kind != "term":
        return None
    return next(
        (t for t in passage.thesaurus.schemes[value.scheme].ancestors(value.term) if t in (slot.spec.values or [])),
        None,
    )


def _fits(passage: Passage, slot: _Slot, value: Value) -> bool:
    return slot.kind == value.kind and (value.kind != "term" or _category(passage, value, slot) is not None)


def _score(passage: Passage, proposition: Proposition) -> _Candidate:
    rule = passage.thesaurus.rules.get(proposition.key)
    slots = _slots(proposition)
    if rule is None:  # no rule: the words the passage shares with the proposition's statement
        wanted = _stems(f"{proposition.statement} {proposition.key}")
        spans = [
            MatchedSpan(start=t.start, end=t.end, text=passage.text[t.start : t.end], scheme="statement", term=t.text)
            for t in passage.tokens
            if len(t.text) > 3 and t.text[:6] in wanted
        ]
        share = len({s.term[:6] for s in spans}) / max(2, min(4, len(wanted)))
        return _Candidate(proposition, round(0.7 * min(1.0, share), 4), spans, spans, slots, by_rule=False)
    fired = passage.cues.get(proposition.key, {})
    weights = {cue.id: cue.weight for cue in rule.cues}
    score = 1 - math.prod(1 - weights[c] for c in fired if c in weights)
    spans = sorted((s for found in fired.values() for s in found), key=lambda s: s.start)
    anchor_ids = {cue.id for cue in rule.cues if cue.anchor}
    anchors = [s for c, found in fired.items() if c in anchor_ids for s in found]
    return _Candidate(proposition, round(score, 4), spans, anchors or spans, slots, bool(anchors))


def _stance(passage: Passage, candidate: _Candidate) -> tuple[Stance, list[MatchedSpan]]:
    """``contradicts`` only when every anchor is plainly negated in its own clause ("guards never beat us")."""
    negations: list[MatchedSpan] = []
    for anchor in candidate.anchors if candidate.anchored and candidate.by_rule else []:
        start = max(passage.clause_start(anchor.start), anchor.start - 40)
        window = _NOT_NEGATION.sub(lambda m: " " * len(m.group()), passage.text[start : anchor.start])
        words = [w.start() for w in re.finditer(r"\S+", window)][-4:]
        m = _NEGATION.search(window, words[0]) if words else None
        if m is None:
            return "supports", []
        negations.append(
            MatchedSpan(
                start=start + m.start(), end=start + m.end(), text=m.group(), scheme="negation", term="negation"
            )
        )
    return ("contradicts", negations) if negations else ("supports", [])


def _choose(passage: Passage, candidate: _Candidate, slot: _Slot, pool: list[Value], taken: list[Value]) -> list[Value]:
    """The values one attribute takes, from those this candidate may claim and has not given another attribute."""
    pool = [v for v in pool if v not in taken]
    if slot.role == "announced":
        # The date of an announcement the passage reports belongs to every claim in it: the date in
        # the sentence of a channel ("a state instruction on November 27, 2004"), nearest first.
        dates = [v for v in passage.dates if v not in taken]
        near = [(min((passage.distance(r, v) for r in passage.reports), default=math.inf), v) for v in dates]
        if near and (closest := min(near, key=lambda dv: (dv[0], dv[1].start)))[0] < SENTENCE:
            return [closest[1]]
    pool = [v for v in pool if _fits(passage, slot, v)]
    if slot.role == "effective" or not pool:
        return [v for v in pool if v.marked][:1]
    if slot.kind == "term" and any(v.marked for v in pool):  # "I heard it FROM a People's Committee Meeting"
        gap = min(v.gap for v in pool if v.marked)
        pool = [v for v in pool if v.marked and v.gap == gap]
    if slot.kind == "date":
        pool = [v for v in pool if not v.marked] or pool
    best = min(pool, key=lambda v: (candidate.nearest(passage, v), v.start))
    if slot.kind != "duration" or slot.spec.type != "range":
        return [best]
    # The durations of one sentence ("one to five years", "three or four months") make one range, unless
    # each belongs to a different offence ("first-time offenders one year, second-time offenders three").
    ordinal = _ordinal(passage, best)
    return [v for v in pool if passage.distance(v, best) < SENTENCE and _ordinal(passage, v) == ordinal]


_ORDINAL = re.compile(r"\b(first|second|third|repeat)(?:[- ]time\b|\s+offen[cs]e)", re.I)


def _ordinal(passage: Passage, value: Value) -> str | None:
    """The offence a duration is said for ("first-time offenders serve one year"): the nearest ordinal
    before it in its clause, lower-cased; None when the clause names none."""
    clause = passage.text[passage.clause_start(value.start) : value.start]
    found = [m.group(1).lower() for m in _ORDINAL.finditer(clause)]
    return found[-1] if found else None


def _render(slot: _Slot, values: list[Value]) -> AttributeValue:
    """The raw attribute value of the chosen values (``coerce_attribute`` checks it afterwards)."""
    if slot.kind != "duration":
        return values[0].text if slot.kind == "place" else values[0].term
    durations = [v.duration for v in values if v.duration is not None]
    low = _rounded(min(d.low for d in durations) / slot.days)
    highs = [d.high for d in durations]
    high = None if None in highs else _rounded(max(h for h in highs if h is not None) / slot.days)
    if slot.spec.type == "number":
        return low if high == low else "not one number"
    return f"{low}.." if high is None else str(low) if high == low else f"{low}..{high}"


def _rounded(x: float) -> int | float:
    x = max(round(x, 2), 0.01) if x > 0 else 0.0
    return int(x) if x.is_integer() else x


def _owners(passage: Passage, candidates: list[_Candidate], values: list[Value]) -> list[list[int]]:
    """For each value, the candidates that may take it: those whose anchors stand (nearly) nearest to it."""
    owners = []
    for value in values:
        takers = [
            (c.nearest(passage, value), i, c.anchored)
            for i, c in enumerate(candidates)
            if any(_fits(passage, s, value) for s in c.slots)
        ]
        wide = (
            value.kind == "place" or value.kind == "term" and passage.thesaurus.schemes[value.scheme].scope == "excerpt"
        )
        takers = [t for t in takers if t[2] or wide]  # without an anchor, only what the whole passage says
        best = min((d for d, _, _ in takers), default=math.inf)
        owners.append(
            [i for d, i, _ in takers if wide or d <= best + SLACK or _same_clause(passage, candidates[i], value)]
        )
    return owners


def _same_clause(passage: Passage, candidate: _Candidate, value: Value) -> bool:
    return any(passage.crossing(min(a.start, value.start), max(a.end, value.end)) == 0 for a in candidate.anchors)


def suggest(
    excerpt: Excerpt | str,
    *,
    propositions: Sequence[Proposition],
    thesaurus: Thesaurus | None = None,
    context_year: int | None = None,
    min_score: float = 0.1,
) -> list[Suggestion]:
    """Propose claims on ``propositions`` for an excerpt, best first; nothing is coded until the analyst accepts."""
    passage = Passage(
        excerpt.text if isinstance(excerpt, Excerpt) else excerpt, thesaurus or Thesaurus.default(), context_year
    )
    candidates = [c for c in (_score(passage, p) for p in propositions) if c.score >= min_score and c.cues]
    values = [*passage.durations, *passage.dates, *passage.terms]
    if any(slot.kind == "place" for c in candidates for slot in c.slots):
        values += passage.places
    owners = _owners(passage, candidates, values)
    suggestions = []
    for ci, candidate in enumerate(candidates):
        pool = [value for value, takers in zip(values, owners, strict=True) if ci in takers]
        attributes: dict[str, AttributeValue] = {}
        used: list[MatchedSpan] = []
        taken: list[Value] = []
        # An announcement or effect date is placed first; a date given to one attribute is not given to another.
        for slot in sorted(candidate.slots, key=lambda slot: slot.role == "event"):
            if chosen := _choose(passage, candidate, slot, pool, taken):
                try:
                    attributes[slot.name] = coerce_attribute(slot.spec, _render(slot, chosen))
                except ValueError:
                    continue
                used += [v.span(slot.name) for v in chosen]
                taken += [v for v in chosen if v.kind == "date"]
        stance, negations = _stance(passage, candidate)
        spans = {(s.start, s.end, s.scheme, s.term): s for s in [*candidate.cues, *negations, *used]}
        evidence = tuple(sorted(spans.values(), key=lambda s: (s.start, s.end)))
        suggestions.append(
            Suggestion(
                proposition=candidate.proposition.key,
                stance=stance,
                attributes={s.name: attributes[s.name] for s in candidate.slots if s.name in attributes},
                score=candidate.score,
                evidence=evidence,
            )
        )
    order = {p.key: i for i, p in enumerate(propositions)}
    return sorted(suggestions, key=lambda s: (-s.score, order[s.proposition]))
