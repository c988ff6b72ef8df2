"""The coding assistant: proposes claims for an excerpt from the thesaurus; it never codes one itself.

``suggest`` reads a passage for thesaurus terms, cue phrases, durations, fuzzy
dates and gazetteer places, scores the case's propositions by their cues and
gives each suggested claim the values that stand nearest to its own anchor
cues ("six months at a forced labour facility" and "three years in regular
prison" in one passage go to different claims). Every suggestion carries the
spans it rests on, so a user interface can show why; the analyst accepts,
edits or rejects it, and only ``Suggestion.to_claim`` makes a claim.

Reads nothing but the passage and the thesaurus; never sees a witness's identity.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from corroborate.domain import (
    AttributeSpec,
    AttributeValue,
    Claim,
    Excerpt,
    Gazetteer,
    Proposition,
    Stance,
    coerce_attribute,
    is_edtf,
    phrase_to_edtf,
)

from .thesaurus import DurationMatch, TermMatch, Thesaurus, tokenize

__all__ = ["MatchedSpan", "Suggestion", "suggest"]

# Distance between a value and a cue: characters, plus a cost per clause and sentence boundary between them.
_SENTENCE, _CLAUSE, _SLACK = 200, 60, 40
_BOUNDARIES = [
    (re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)"), _SENTENCE),
    (re.compile(r";|,\s*but\b|\s+but\s+|\s[–—-]\s"), _CLAUSE),  # not ":", which goes on with the same thought
]
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_YEAR = r"(?:(?:1[89]|20)\d\d(?!\d|,\d)(?!s\b)|(?:this|last|next|that)\s+year(?:\s*\[\s*\d{4}\s*\])?)"
_PART = (
    r"early|mid|middle\s+of|late|end\s+of|beginning\s+of|(?:first|second)\s+half\s+of"
    r"|(?:first|second|third|fourth)\s+quarter\s+of|spring\s+of|summer\s+of|autumn\s+of|fall\s+of"
)
_DATE = re.compile(
    r"(?<![\w\[])(?:(?P<prefix>by|before|until|till|up\s+to|since|after|from|starting\s+(?:in|from|on)"
    r"|beginning\s+(?:in|from|on)|as\s+of)\s+(?:about\s+|around\s+|approximately\s+)?)?"
    rf"(?P<date>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}|\d{{1,2}}\s+{_MONTH},?\s+{_YEAR}"
    rf"|(?:early|mid|late)[\s-]+{_MONTH},?\s+{_YEAR}|{_MONTH}\s+(?:or|to|and|-|–)\s+{_MONTH},?\s+{_YEAR}"
    rf"|winter\s+of\s+\d{{4}}\s*[-–/]\s*\d{{2,4}}|(?:the\s+)?(?:{_PART})[\s-]+(?:the\s+)?{_YEAR}"
    rf"|{_MONTH},?\s+(?:of\s+)?{_YEAR}|(?<![\d.,]){_YEAR})",
    re.I,
)
_RELATIVE_YEAR = re.compile(r"(this|last|next|that)\s+year(?:\s*\[\s*(\d{4})\s*\])?", re.I)
_EFFECT = re.compile(r"(?:took|take|takes)\s+effect|effective|(?:came|entered)\s+into\s+(?:force|effect)", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no|nobody|none|neither|nor|without|hardly|no\s+one)\b|n[’']t\b", re.I)
_NOT_NEGATION = re.compile(r"\bno\s+(?:more|less|longer)\s+than\b|\bno\s+longer\b|\bnot\s+(?:only|just)\b", re.I)
_TIME_UNITS = {"year": 365.25, "month": 30.4375, "week": 7.0, "day": 1.0}
_STOP = frozenset(
    "that this with from have been were their they them when what which while into than then also more most "
    "such some other only over under after before since between about there these those whom whose".split()
)


class MatchedSpan(BaseModel):
    """A stretch of the passage a suggestion rests on, for highlighting."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int
    end: int
    text: str
    scheme: str = Field(
        description="a thesaurus scheme, or propositions, durations, dates, gazetteer, statement, negation"
    )
    term: str = Field(description="term id, key#cue, duration pattern, EDTF date, place id or word")
    attribute: str | None = Field(default=None, description="the attribute this span gave its value to")


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
        stance: Stance | None = None,
        attributes: Mapping[str, AttributeValue | None] | None = None,
        note: str | None = None,
        occurrence: str | None = None,
    ) -> Claim:
        """The claim the analyst accepts; ``attributes`` edits the suggested values (None removes one)."""
        values = dict(self.attributes)
        for name, value in (attributes or {}).items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return Claim(
            id=claim_id,
            excerpt=excerpt_id,
            proposition=self.proposition,
            stance=stance or self.stance,
            attributes=values,
            occurrence=occurrence,
            note=note,
        )


@dataclass(frozen=True)
class _Value:
    """A value found in the passage: a duration, a date, a term or a place."""

    kind: str
    start: int
    end: int
    text: str
    scheme: str
    term: str
    marked: bool = False  # a channel the source says it learnt through; a date the text says took effect
    gap: int = 0  # words between a reporting word and the channel it marks
    duration: DurationMatch | None = None

    def span(self, attribute: str | None = None) -> MatchedSpan:
        return _span(self, self.scheme, self.term, attribute)


def _span(found: _Value | TermMatch, scheme: str, term: str, attribute: str | None = None) -> MatchedSpan:
    return MatchedSpan(start=found.start, end=found.end, text=found.text, scheme=scheme, term=term, attribute=attribute)


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
def _place(name: str) -> tuple[str, str] | None:
    place = Gazetteer.default().find(name)
    return None if place is None else (place.id, place.name)


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    words = (t.text for t in tokenize(text.replace(".", " ").replace("_", " ")))
    return frozenset(w[:6] for w in words if len(w) > 3 and w not in _STOP)


class _Passage:
    """Everything found in one passage, computed once for all propositions."""

    def __init__(self, text: str, thesaurus: Thesaurus, context_year: int | None) -> None:
        self.text, self.thesaurus, self.context_year = text, thesaurus, context_year
        found = sorted((m.start(), cost) for regex, cost in _BOUNDARIES for m in regex.finditer(text))
        self._bounds = [pos for pos, _ in found]
        self._costs = [0]
        for _, cost in found:
            self._costs.append(self._costs[-1] + cost)
        self.tokens = tokenize(text)
        self._starts = [t.start for t in self.tokens]
        self.cues: dict[str, dict[str, list[MatchedSpan]]] = {}
        self.terms: list[_Value] = []
        for match in thesaurus.find_terms(text, self.tokens):
            for kind, scheme, term in match.refs:
                if kind == "cue":  # here "scheme" is a proposition key and "term" one of its cues
                    self.cues.setdefault(scheme, {}).setdefault(term, []).append(
                        _span(match, "propositions", f"{scheme}#{term}")
                    )
                    continue
                gap = self._reported(match, scheme)
                self.terms.append(
                    _Value("term", match.start, match.end, match.text, scheme, term, gap is not None, gap or 0)
                )
                for key, cue in thesaurus.cues_of_term(scheme, term):
                    self.cues.setdefault(key, {}).setdefault(cue, []).append(_span(match, scheme, term))
        self.reports = [t for t in self.terms if thesaurus.schemes[t.scheme].reported_by]
        self.durations = [
            _Value("duration", d.start, d.end, d.text, "durations", d.pattern, duration=d)
            for d in thesaurus.find_durations(text)
        ]
        self.dates = list(self._dates())

    def distance(self, a: _Value | MatchedSpan, b: _Value | MatchedSpan) -> float:
        """Characters between two spans, plus the cost of every clause and sentence boundary between them."""
        lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
        return 0.0 if hi <= lo else hi - lo + self.crossing(lo, hi)

    def crossing(self, lo: int, hi: int) -> int:
        """The cost of the boundaries between two positions (0 within one clause)."""
        return self._costs[bisect.bisect_left(self._bounds, hi)] - self._costs[bisect.bisect_left(self._bounds, lo)]

    def clause_start(self, pos: int) -> int:
        return self._bounds[i - 1] if (i := bisect.bisect_left(self._bounds, pos)) else 0

    def _reported(self, match: TermMatch, scheme: str) -> int | None:
        """Words from a reporting word ("heard", "told", "through") to the term in its sentence, or None."""
        words = self.thesaurus.schemes[scheme].reported_by
        i = bisect.bisect_left(self._starts, match.start)
        for gap, token in enumerate(reversed(self.tokens[max(0, i - 8) : i + 1] if words else [])):
            if token.start < self.clause_start(match.start):
                break
            if token.text in words:
                return max(gap - 1, 0)
        return None

    def _dates(self) -> Iterator[_Value]:
        for m in _DATE.finditer(self.text):
            phrase = _RELATIVE_YEAR.sub(self._year, m.group("date"))
            if "?" in phrase:
                continue  # "that year", or "this year" with no year to read it by
            prefix = " ".join((m.group("prefix") or "").lower().split())
            prefix = {"till": "until", "up to": "until"}.get(prefix, prefix)
            if prefix in ("by", "before", "until", "since", "after", "from"):
                phrase = f"{prefix} {phrase}"  # "starting in", "as of": the date itself
            try:
                edtf = phrase_to_edtf(phrase)
            except ValueError:
                continue
            if edtf is not None and is_edtf(edtf):
                effect = bool(_EFFECT.search(self.text, max(0, m.start() - 24), m.start()))
                yield _Value("date", m.start(), m.end(), m.group(), "dates", edtf, marked=effect)

    def _year(self, m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(2)  # "this year [2006]": the editor's year
        offset = {"this": 0, "last": -1, "next": 1}.get(m.group(1).lower())
        return "?" if offset is None or self.context_year is None else str(self.context_year + offset)

    @functools.cached_property
    def places(self) -> list[_Value]:
        """Gazetteer places named in the passage (capitalised or Hangul words, up to three of them)."""
        found: list[_Value] = []
        tokens = [t for t in self.tokens if self.text[t.start].isupper() or not t.text.isascii()]
        i = 0
        while i < len(tokens):
            for n in (3, 2, 1):
                window = tokens[i : i + n]
                if len(window) == n and all(b.start - a.end <= 2 for a, b in zip(window, window[1:], strict=False)):
                    start, end = window[0].start, window[-1].end
                    if (hit := _place(self.text[start:end])) is not None:
                        found.append(_Value("place", start, end, self.text[start:end], "gazetteer", hit[0]))
                        i += n - 1
                        break
            i += 1
        return found


@dataclass
class _Candidate:
    proposition: Proposition
    score: float
    cues: list[MatchedSpan]
    anchors: list[MatchedSpan]
    slots: list[_Slot]
    anchored: bool = True  # False when no anchor cue fired: it then takes only values of the whole passage
    by_rule: bool = True  # False when suggested by the words of its statement (never "contradicts" then)

    def nearest(self, passage: _Passage, value: _Value) -> float:
        return min((passage.distance(a, value) for a in self.anchors), default=math.inf)


def _category(passage: _Passage, value: _Value, slot: _Slot) -> str | None:
    """The category value a term gives a slot: the term, or its nearest broader term, if the slot allows it."""
    if value.kind != "term":
        return None
    return next(
        (t for t in passage.thesaurus.schemes[value.scheme].ancestors(value.term) if t in (slot.spec.values or [])),
        None,
    )


def _fits(passage: _Passage, slot: _Slot, value: _Value) -> bool:
    return slot.kind == value.kind and (value.kind != "term" or _category(passage, value, slot) is not None)


def _score(passage: _Passage, proposition: Proposition) -> _Candidate:
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


def _stance(passage: _Passage, candidate: _Candidate) -> tuple[Stance, list[MatchedSpan]]:
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


def _choose(
    passage: _Passage, candidate: _Candidate, slot: _Slot, pool: list[_Value], taken: list[_Value]
) -> list[_Value]:
    """The values one attribute takes, from those this candidate may claim and has not given another attribute."""
    pool = [v for v in pool if v not in taken]
    if slot.role == "announced":
        # The date of an announcement the passage reports belongs to every claim in it: the date in
        # the sentence of a channel ("a state instruction on November 27, 2004"), nearest first.
        dates = [v for v in passage.dates if v not in taken]
        near = [(min((passage.distance(r, v) for r in passage.reports), default=math.inf), v) for v in dates]
        if near and (closest := min(near, key=lambda dv: (dv[0], dv[1].start)))[0] < _SENTENCE:
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
    return [v for v in pool if passage.distance(v, best) < _SENTENCE and _ordinal(passage, v) == ordinal]


_ORDINAL = re.compile(r"\b(first|second|third|repeat)(?:[- ]time\b|\s+offen[cs]e)", re.I)


def _ordinal(passage: _Passage, value: _Value) -> str | None:
    """The offence a duration is said for ("first-time offenders serve one year"): the nearest ordinal
    before it in its clause, lower-cased; None when the clause names none."""
    clause = passage.text[passage.clause_start(value.start) : value.start]
    found = [m.group(1).lower() for m in _ORDINAL.finditer(clause)]
    return found[-1] if found else None


def _render(slot: _Slot, values: list[_Value]) -> AttributeValue:
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


def _owners(passage: _Passage, candidates: list[_Candidate], values: list[_Value]) -> list[list[int]]:
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
            [i for d, i, _ in takers if wide or d <= best + _SLACK or _same_clause(passage, candidates[i], value)]
        )
    return owners


def _same_clause(passage: _Passage, candidate: _Candidate, value: _Value) -> bool:
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
    passage = _Passage(
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
        taken: list[_Value] = []
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
