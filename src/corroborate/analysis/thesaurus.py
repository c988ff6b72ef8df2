"""Micro-thesauri: small controlled vocabularies read from YAML, and finding their terms in text.

Following the HURIDOCS micro-thesauri idea, each scheme (detention facilities,
announcement channels, violation types, punishments) is a short list of
terms with a preferred label, alternative labels in English, romanised Korean
and Hangul, and a broader term. ``durations.yaml`` holds the words and
patterns of prison terms; ``propositions.yaml`` the cues that suggest a
proposition. A case extends the shipped thesaurus with files of the same
shape; defining an id twice is an error that names both files and the id.

Pure analysis code: stdlib, PyYAML and pydantic; reads no file but the ones it is given.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corroborate.domain import read_yaml, shipped_yaml
from corroborate.errors import DataFileInvalid, Problem

__all__ = ["Cue", "DurationMatch", "Rule", "Scheme", "Term", "TermMatch", "Thesaurus"]

Scope = Literal["anchor", "excerpt"]
Ref = tuple[str, str, str]  # ("term", scheme, term id) or ("cue", proposition key, cue id)
_Pattern = tuple[tuple[str, bool], ...]  # label words: (folded word, matches as a prefix)
_WORD = re.compile(r"[^\W_]+")
_FREQUENCY = re.compile(r"\b(?:times|once|twice|per|every|each)\s+$", re.I)
# British spellings are read as American ones, so that one label serves both.
_SPELLING = dict(
    pair.split(":")
    for pair in "labour:labor centre:center centres:centers offence:offense offences:offenses programme:program "
    "dishonourably:dishonorably practised:practiced neighbours:neighbors neighbour:neighbor".split()
)


def _invalid(problems: Sequence[Problem]) -> DataFileInvalid:
    """A thesaurus with problems (e.g. an id defined twice): every one listed."""
    return DataFileInvalid("thesaurus", problems, summary="invalid thesaurus: " + "; ".join(map(str, problems)))


@functools.lru_cache(maxsize=16384)
def fold_word(word: str) -> str:
    """A word as labels are compared: lower case, no accents, American spelling."""
    folded = word.lower()
    if not folded.isascii():
        stripped = "".join(ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch))
        folded = unicodedata.normalize("NFC", stripped)
    return _SPELLING.get(folded, folded)


@dataclass(frozen=True)
class Token:
    """A word of a text: its offsets and its folded form."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with their character offsets."""
    return [Token(m.start(), m.end(), fold_word(m.group())) for m in _WORD.finditer(text)]


def _label_patterns(label: str) -> list[_Pattern]:
    """The word patterns of a label: ``*`` ends a prefix word, ``?`` marks an optional one; Hangul is a prefix."""
    variants: list[list[tuple[str, bool]]] = [[]]
    for raw in label.split():
        optional, raw = raw.endswith("?"), raw.rstrip("?")
        prefix, raw = raw.endswith("*"), raw.rstrip("*")
        words = [fold_word(w) for w in _WORD.findall(raw)]
        hangul = [any("\uac00" <= ch <= "\ud7a3" for ch in w) for w in words]
        part = [(w, (prefix and i == len(words) - 1) or hangul[i]) for i, w in enumerate(words)]
        variants = [v + part for v in variants] + (variants if optional else [])
    return [tuple(v) for v in variants if v]


@dataclass(frozen=True)
class TermMatch:
    """A stretch of text where a label was found, and what it refers to."""

    start: int
    end: int
    text: str
    refs: tuple[Ref, ...]


class _Matcher:
    """Leftmost-longest matching of many labels on word tokens (no regex alternation)."""

    def __init__(self, labels: Iterable[tuple[str, Ref]]) -> None:
        grouped: dict[_Pattern, list[Ref]] = {}
        for label, ref in labels:
            for pattern in _label_patterns(label):
                refs = grouped.setdefault(pattern, [])
                refs.extend([ref] if ref not in refs else [])
        # Indexed by the first word, or by its first letter when that word is a prefix.
        self._exact: dict[str, list[tuple[_Pattern, list[Ref]]]] = {}
        self._prefix: dict[str, list[tuple[_Pattern, list[Ref]]]] = {}
        for pattern, refs in grouped.items():
            first, is_prefix = pattern[0]
            index, key = (self._prefix, first[:1]) if is_prefix else (self._exact, first)
            index.setdefault(key, []).append((pattern, refs))

    def find(self, text: str, tokens: Sequence[Token]) -> list[TermMatch]:
        found: list[TermMatch] = []
        i = 0
        while i < len(tokens):
            best, refs = 0, list[Ref]()
            head = tokens[i].text
            for pattern, pattern_refs in [*self._exact.get(head, ()), *self._prefix.get(head[:1], ())]:
                n = len(pattern)
                if n < best or i + n > len(tokens):
                    continue
                if all(
                    tokens[i + k].text.startswith(word) if prefix else tokens[i + k].text == word
                    for k, (word, prefix) in enumerate(pattern)
                ):
                    best, refs = (n, []) if n > best else (best, refs)
                    refs.extend(r for r in pattern_refs if r not in refs)
            if best:
                start, end = tokens[i].start, tokens[i + best - 1].end
                found.append(TermMatch(start, end, text[start:end], tuple(refs)))
            i += max(best, 1)
        return found


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Term(_Model):
    """One concept of a scheme: its id (the value claims take), labels and broader term."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1, description="preferred label")
    alt: tuple[str, ...] | dict[str, tuple[str, ...]] = Field(default=(), description="by language tag, or a list")
    broader: str | None = None
    note: str | None = None

    def labels(self) -> tuple[str, ...]:
        """The preferred label, then every alternative label."""
        alt = self.alt.values() if isinstance(self.alt, dict) else [self.alt]
        return (self.label, *(label for group in alt for label in group))


class Cue(_Model):
    """Terms ("scheme:id", "scheme:*") and phrases that point to a proposition, with a weight in 0..1."""

    id: str = Field(min_length=1)
    weight: float = Field(gt=0, le=1)
    anchor: bool = Field(default=False, description="says what the passage is about; values attach to it")
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


class Rule(_Model):
    """The cues of one proposition key."""

    key: str = Field(min_length=1)
    label: str | None = None
    cues: tuple[Cue, ...] = Field(min_length=1)


class _Unit(_Model):
    id: str = Field(min_length=1)
    days: float = Field(gt=0)
    labels: tuple[str, ...] = Field(min_length=1)


class _DurationPattern(_Model):
    id: str = Field(min_length=1)
    match: str = Field(min_length=1)
    range: tuple[str | float | None, str | float | None]
    plus: float = 0.0


class _Document(_Model):
    scheme: str = Field(min_length=1)
    title: str | None = None
    description: str | None = None
    scope: Scope | None = None
    reported_by: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    rules: tuple[Rule, ...] = ()
    units: tuple[_Unit, ...] = ()
    numbers: dict[str, float | tuple[float, float]] = {}
    patterns: tuple[_DurationPattern, ...] = ()


class _File(_Model):
    schemes: tuple[_Document, ...]


@dataclass(frozen=True)
class Scheme:
    """A micro-thesaurus; ``scope`` says whether its values belong to the nearest cues or to the whole passage."""

    id: str
    title: str
    scope: Scope
    terms: Mapping[str, Term]
    reported_by: frozenset[str] = frozenset()

    def ancestors(self, term_id: str) -> list[str]:
        """The term and its broader terms, nearest first."""
        chain: list[str] = []
        current: str | None = term_id
        while current is not None and current not in chain and current in self.terms:
            chain.append(current)
            current = self.terms[current].broader
        return chain


@dataclass(frozen=True)
class DurationMatch:
    """A stated duration: its text and the range of days it means (``high`` None when open)."""

    start: int
    end: int
    text: str
    pattern: str
    low: float
    high: float | None


class _Loader:
    """Merges thesaurus documents, collecting every problem with its file and path."""

    def __init__(self, documents: Sequence[tuple[str, Any]]) -> None:
        self.schemes: dict[str, tuple[str, Scope, set[str]]] = {}
        self.terms: dict[str, dict[str, Term]] = {}
        self.rules: dict[str, Rule] = {}
        self.units: dict[str, _Unit] = {}
        self.numbers: dict[str, tuple[float, float]] = {}
        self.patterns: dict[str, _DurationPattern] = {}
        self.origin: dict[str, str] = {}
        self.problems: list[Problem] = []
        for source, data in documents:
            try:
                parsed = (_File if isinstance(data, Mapping) and "schemes" in data else _Document).model_validate(data)
            except ValidationError as exc:
                self.problems += [
                    Problem(source, None, ".".join(str(x) for x in e["loc"]), e["msg"]) for e in exc.errors()
                ]
                continue
            for document in parsed.schemes if isinstance(parsed, _File) else [parsed]:
                self._document(source, document)
        self._check()

    def _new(self, source: str, what: str, name: str) -> bool:
        """True the first time ``name`` is defined; otherwise a problem naming both files."""
        key = f"{what} {name!r}"
        if key in self.origin:
            self.problems.append(Problem(source, None, name, f"{key} is already defined in {self.origin[key]}"))
            return False
        self.origin[key] = source
        return True

    def _document(self, source: str, doc: _Document) -> None:
        sid = doc.scheme
        if doc.terms or doc.reported_by or doc.scope:
            title, scope, reported = self.schemes.get(sid, (doc.title or sid, doc.scope or "anchor", set()))
            if doc.scope not in (None, scope):
                self.problems.append(Problem(source, None, f"{sid}.scope", f"scheme {sid!r} has scope {scope}"))
            self.schemes[sid] = (title, scope, reported | {fold_word(w) for w in doc.reported_by})
            terms = self.terms.setdefault(sid, {})
            terms.update((t.id, t) for t in doc.terms if self._new(source, "term", f"{sid}:{t.id}"))
        self.rules.update((r.key, r) for r in doc.rules if self._new(source, "rule", r.key))
        self.units.update((u.id, u) for u in doc.units if self._new(source, "unit", u.id))
        for word, value in doc.numbers.items():
            if self._new(source, "number word", word := " ".join(word.lower().split())):
                self.numbers[word] = (value, value) if isinstance(value, float) else value
        for pattern in doc.patterns:
            names = set(re.findall(r"\{(n[12]?)\}", pattern.match))
            if "{unit}" not in pattern.match:
                self.problems.append(Problem(source, None, pattern.id, "match must contain {unit}"))
            elif not all(end is None or isinstance(end, float) or end in names for end in pattern.range):
                self.problems.append(
                    Problem(source, None, pattern.id, f"range must use {sorted(names)}, numbers, null")
                )
            elif self._new(source, "duration pattern", pattern.id):
                self.patterns[pattern.id] = pattern

    def _check(self) -> None:
        """Problems that show once every document is read: references and regular expressions."""
        for sid, terms in self.terms.items():
            for t in terms.values():
                if t.broader is not None and t.broader not in terms:
                    where = self.origin[f"term {sid + ':' + t.id!r}"]
                    self.problems.append(Problem(where, None, f"{sid}:{t.id}", f"unknown broader term {t.broader!r}"))
        for rule in self.rules.values():
            for ref in (ref for cue in rule.cues for ref in cue.terms):
                sid, _, term_id = ref.partition(":")
                if sid not in self.terms or (term_id != "*" and term_id not in self.terms[sid]):
                    where = self.origin[f"rule {rule.key!r}"]
                    self.problems.append(Problem(where, None, rule.key, f"unknown term {ref!r} (scheme:id, scheme:*)"))
        for pattern in self.patterns.values():
            try:
                re.compile(_duration_regex(pattern.match, self.numbers, self.units))
            except re.error as exc:
                where = self.origin[f"duration pattern {pattern.id!r}"]
                self.problems.append(Problem(where, None, pattern.id, f"bad regular expression: {exc}"))


def _duration_regex(template: str, numbers: Mapping[str, object], units: Mapping[str, _Unit]) -> str:
    """The regular expression of a duration pattern, its placeholders filled in."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(numbers, key=len, reverse=True))
    labels = sorted((label for unit in units.values() for label in unit.labels), key=len, reverse=True)
    body = ""
    for piece in re.split(r"(\{\w+\})", template):
        if piece in ("{n}", "{n1}", "{n2}"):
            body += rf"(?P<{piece[1:-1]}>\d+(?:\.\d+)?" + (f"|{words})" if words else ")")
        elif piece == "{unit}":
            body += r"[\s-]*(?P<unit>" + "|".join(re.escape(label) for label in labels) + ")"
        else:
            body += piece.replace(" ", r"\s+")
    # Not an age ("a 32-year-old man") nor a distance in time ("a year earlier than").
    return rf"(?<![\w.,])(?:{body})(?![A-Za-z0-9])(?![\s-]*old\b)(?!\s+(?:earlier|later|ago|afterwards)\b)"


class Thesaurus:
    """Schemes of terms, the duration grammar and proposition cues, compiled for matching."""

    def __init__(self, documents: Sequence[tuple[str, Any]]) -> None:
        """Build from (file name, parsed YAML) pairs; DataFileInvalid lists every problem at once."""
        self._documents = list(documents)
        loaded = _Loader(self._documents)
        if loaded.problems:
            raise _invalid(loaded.problems)
        self.schemes: Mapping[str, Scheme] = {
            sid: Scheme(sid, title, scope, loaded.terms[sid], frozenset(reported_by))
            for sid, (title, scope, reported_by) in loaded.schemes.items()
        }
        self.rules: Mapping[str, Rule] = loaded.rules
        self._numbers, self._units = loaded.numbers, loaded.units
        labels = [
            (label, ("term", s.id, t.id))
            for s in self.schemes.values()
            for t in s.terms.values()
            for label in t.labels()
        ]
        labels += [(p, ("cue", r.key, c.id)) for r in self.rules.values() for c in r.cues for p in c.phrases]
        self._matcher = _Matcher(labels)
        self._term_cues: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for scheme in self.schemes.values():
            for term in scheme.terms.values():
                wanted = {f"{scheme.id}:*"} | {f"{scheme.id}:{a}" for a in scheme.ancestors(term.id)}
                self._term_cues[(scheme.id, term.id)] = [
                    (rule.key, cue.id) for rule in self.rules.values() for cue in rule.cues if wanted & set(cue.terms)
                ]
        self._durations = [
            (p, re.compile(_duration_regex(p.match, self._numbers, self._units), re.I))
            for p in loaded.patterns.values()
        ]
        self._unit_days = {label.lower(): unit.days for unit in self._units.values() for label in unit.labels}

    @classmethod
    def default(cls) -> Thesaurus:
        """The thesaurus shipped with Corroborate (loaded once, then cached)."""
        return _default_thesaurus()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> Thesaurus:
        """A thesaurus of one document (or a ``schemes:`` list of them) given as a mapping."""
        return cls([(source, data)])

    def extended_with(self, extension: str | PathLike[str] | Mapping[str, Any]) -> Thesaurus:
        """This thesaurus plus a case's own file (or mapping) of the same shape; ids must be new."""
        if isinstance(extension, Mapping):
            return Thesaurus([*self._documents, ("<mapping>", extension)])
        path = Path(extension)
        return Thesaurus([*self._documents, (str(path), read_yaml(path, what="thesaurus"))])

    def term(self, scheme: str, term_id: str) -> Term:
        """The term with this id in this scheme; KeyError if there is none."""
        return self.schemes[scheme].terms[term_id]

    def find_terms(self, text: str, tokens: Sequence[Token] | None = None) -> list[TermMatch]:
        """Every label of a term or cue phrase in ``text``, leftmost-longest, without overlaps."""
        return self._matcher.find(text, tokenize(text) if tokens is None else tokens)

    def cues_of_term(self, scheme: str, term_id: str) -> Sequence[tuple[str, str]]:
        """The (proposition key, cue id) pairs a term fires, directly, via a broader term or ``scheme:*``."""
        return self._term_cues.get((scheme, term_id), ())

    def find_durations(self, text: str) -> list[DurationMatch]:
        """Every stated duration in ``text``; overlapping readings resolved longest (then first pattern) first."""
        found: list[tuple[int, int, int, DurationMatch]] = []
        for order, (pattern, regex) in enumerate(self._durations):
            for m in regex.finditer(text):
                if _FREQUENCY.search(text[max(0, m.start() - 12) : m.start()]):
                    continue  # "three times a day" is a frequency, not a duration
                if (match := self._duration(pattern, m)) is not None:
                    found.append((m.start() - m.end(), order, m.start(), match))
        chosen: list[DurationMatch] = []
        for *_, match in sorted(found, key=lambda f: f[:3]):
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return sorted(chosen, key=lambda c: c.start)

    def _duration(self, pattern: _DurationPattern, m: re.Match[str]) -> DurationMatch | None:
        days = self._unit_days.get((m.group("unit") or "").lower())
        if days is None:
            return None
        ends: list[float | None] = []
        for i, end in enumerate(pattern.range):
            if end is None or isinstance(end, float):
                ends.append(None if end is None else end * days)
                continue
            number = m.group(end)
            value = (float(number),) * 2 if number[0].isdigit() else self._numbers[" ".join(number.lower().split())]
            ends.append((value[0 if i == 0 else 1] + pattern.plus) * days)
        low, high = ends
        if low is None or (high is not None and high < low):
            return None
        return DurationMatch(m.start(), m.end(), m.group(), pattern.id, low, high)


def shipped_documents() -> list[tuple[str, Any]]:
    """The YAML documents of the shipped thesaurus, with their file names."""
    folder = resources.files("corroborate.analysis.data.thesaurus")
    files = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    return [(name, shipped_yaml("corroborate.analysis.data.thesaurus", name)) for name in files]


@functools.cache
def _default_thesaurus() -> Thesaurus:
    return Thesaurus(shipped_documents())
