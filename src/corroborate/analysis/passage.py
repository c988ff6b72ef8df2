"""Reading a passage for the coding assistant: thesaurus terms and cues, durations, fuzzy dates, places,
and how far apart two of them stand (characters, plus a cost for each clause and sentence boundary).

Computed once per passage and shared by every proposition ``coding.suggest`` scores.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from corroborate.domain import Gazetteer, is_edtf, phrase_to_edtf
from corroborate.domain.calendarwords import MONTH_PATTERN

from .thesaurus import DurationMatch, TermMatch, Thesaurus, tokenize

__all__ = ["CLAUSE", "SENTENCE", "SLACK", "MatchedSpan", "Passage", "Value", "span"]

# Distance between a value and a cue: characters, plus a cost per clause and sentence boundary between them.
SENTENCE, CLAUSE, SLACK = 200, 60, 40
_BOUNDARIES = [
    (re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)"), SENTENCE),
    (re.compile(r";|,\s*but\b|\s+but\s+|\s[–—-]\s"), CLAUSE),  # not ":", which goes on with the same thought
]
_MONTH = MONTH_PATTERN
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


@dataclass(frozen=True)
class Value:
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
        return span(self, self.scheme, self.term, attribute)


def span(found: Value | TermMatch, scheme: str, term: str, attribute: str | None = None) -> MatchedSpan:
    return MatchedSpan(start=found.start, end=found.end, text=found.text, scheme=scheme, term=term, attribute=attribute)


@functools.lru_cache(maxsize=4096)
def _place(name: str) -> tuple[str, str] | None:
    place = Gazetteer.default().find(name)
    return None if place is None else (place.id, place.name)


class Passage:
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
        self.terms: list[Value] = []
        for match in thesaurus.find_terms(text, self.tokens):
            for kind, scheme, term in match.refs:
                if kind == "cue":  # here "scheme" is a proposition key and "term" one of its cues
                    self.cues.setdefault(scheme, {}).setdefault(term, []).append(
                        span(match, "propositions", f"{scheme}#{term}")
                    )
                    continue
                gap = self._reported(match, scheme)
                self.terms.append(
                    Value("term", match.start, match.end, match.text, scheme, term, gap is not None, gap or 0)
                )
                for key, cue in thesaurus.cues_of_term(scheme, term):
                    self.cues.setdefault(key, {}).setdefault(cue, []).append(span(match, scheme, term))
        self.reports = [t for t in self.terms if thesaurus.schemes[t.scheme].reported_by]
        self.durations = [
            Value("duration", d.start, d.end, d.text, "durations", d.pattern, duration=d)
            for d in thesaurus.find_durations(text)
        ]
        self.dates = list(self._dates())

    def distance(self, a: Value | MatchedSpan, b: Value | MatchedSpan) -> float:
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

    def _dates(self) -> Iterator[Value]:
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
                yield Value("date", m.start(), m.end(), m.group(), "dates", edtf, marked=effect)

    def _year(self, m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(2)  # "this year [2006]": the editor's year
        offset = {"this": 0, "last": -1, "next": 1}.get(m.group(1).lower())
        return "?" if offset is None or self.context_year is None else str(self.context_year + offset)

    @functools.cached_property
    def places(self) -> list[Value]:
        """Gazetteer places named in the passage (capitalised or Hangul words, up to three of them)."""
        found: list[Value] = []
        tokens = [t for t in self.tokens if self.text[t.start].isupper() or not t.text.isascii()]
        i = 0
        while i < len(tokens):
            for n in (3, 2, 1):
                window = tokens[i : i + n]
                if len(window) == n and all(b.start - a.end <= 2 for a, b in zip(window, window[1:], strict=False)):
                    start, end = window[0].start, window[-1].end
                    if (hit := _place(self.text[start:end])) is not None:
                        found.append(Value("place", start, end, self.text[start:end], "gazetteer", hit[0]))
                        i += n - 1
                        break
            i += 1
        return found
