"""The leak scan: every restricted value of every witness, looked for in the text about to be published.

Restricted values are compiled once into look-up tables (``LeakScanner``):
word sequences by their concatenated spelling (with the set of prefixes,
so a word that starts no name costs one set look-up), Hangul and Han strings
searched in the text's CJK runs, phone numbers searched in the digit runs,
birth dates found by one date pattern. Scanning a text is then a few passes
of compiled regular expressions plus one dictionary look-up per word.

A ``Leak`` names the witness by pseudonym, the field and where it was found;
its text and ``repr`` never contain the restricted value (the matched text is
kept in ``matched`` for the caller, who must not print or log it).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from corroborate.domain import RestrictedIdentity

from .needles import TOKEN, Needle, needles_of, token_key
from .romanisation import SURNAME_SPELLINGS

__all__ = ["Leak", "LeakScanner", "scan_for_leaks"]

FIELD_LABELS = {
    "name": "name",
    "name_hangul": "Hangul name",
    "aliases": "alias",
    "contacts": "contact",
    "birth_date": "birth date",
    "current_location": "current location",
    "notes": "interviewer's notes",
}
# What may separate the words of one name or phrase: spaces, hyphens, dots,
# commas, invisible characters, at most three of them.
_GAP = re.compile(r"[\s\-\u2010-\u2015\u2212.,\u00b7_/:@+'\u2019\u200b-\u200d\u2060\ufeff\u00ad]{1,3}")
# Inside a given name written alone: only hyphens, spaces and invisible characters ("Sun-ok", not "sun, ok").
_TIGHT_GAP = re.compile(r"[ \-\u2010-\u2015\u200b-\u200d\u2060\u00ad]{1,2}")
_SPLIT = re.compile(f"({TOKEN.pattern})")
_SHORT_GLUED = 5  # a name written as one word must be at least this long (not "oil" for "O Il")
_CLUSTER = re.compile(
    r"[\u1100-\u115f][\u1160-\u11a7][\u11a8-\u11ff]?|[\uac00-\ud7a3][\u11a8-\u11ff]?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
_CJK_SEPARATOR = r"[\s\u200b-\u200d\u2060\ufeff\u00ad\u00b7\-]"
_CJK_RUN = re.compile(rf"(?:{_CLUSTER.pattern})(?:{_CJK_SEPARATOR}{{0,2}}(?:{_CLUSTER.pattern}))*")
_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s\-\u2010-\u2015.()/]{0,3}\d){6,}")  # seven digits or more
_SHORT_YEAR = re.compile(r"(?<=\d[-/.])\d\d(?!\d)")
_PHONE_PREFIX = re.compile(r"0|(?:00|011)?\d{1,3}")
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = re.compile(
    r"(?<!\d)(?P<iy>\d{4})\s*[-/.\u5e74\ub144]\s*(?P<im>\d{1,2})\s*[-/.\u6708\uc6d4]\s*(?P<id>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<na>\d{1,2})[-/.](?P<nb>\d{1,2})[-/.](?P<ny>\d{4}|\d{2})(?!\d)"
    rf"|(?<!\d)(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH})\b\.?,?\s+(?P<dy>\d{{4}})(?!\d)"
    rf"|\b(?P<mm>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})(?!\d)"
    r"|(?<!\d)(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2})(?!\d)",
    re.IGNORECASE,
)
_MONTH_NUMBERS = {m[:3]: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


@dataclass(frozen=True)
class Leak:
    """A restricted value of a witness found in the text; its message never contains the value."""

    witness: str
    field: str
    detail: str
    start: int
    end: int
    where: str | None = None
    matched: str = dataclasses.field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        place = self.where or "the text"
        label = FIELD_LABELS.get(self.field, self.field)
        return f"{self.witness}: restricted {label} ({self.detail}) in {place}, characters {self.start}-{self.end}"

    def public(self) -> dict[str, object]:
        """The leak as plain data without the matched text, safe to log or export."""
        return {k: getattr(self, k) for k in ("witness", "field", "detail", "start", "end", "where")}


@dataclass(frozen=True)
class _Hit:
    needle: int
    start: int
    end: int


class LeakScanner:
    """Restricted values of a case compiled for scanning; build once, scan many texts."""

    def __init__(self, restricted: Mapping[str, RestrictedIdentity]) -> None:
        self.needles: list[Needle] = []
        self._variants: dict[str, list[tuple[int, int]]] = {}
        self._prefixes: set[str] = set()
        self._cjk: list[tuple[int, str]] = []
        self._phones: list[tuple[int, str]] = []
        self._dates: dict[date, list[int]] = {}
        for witness in sorted(restricted):
            identity = restricted[witness]
            if identity is not None:
                for needle in needles_of(witness, identity):
                    self._add(needle)

    def _add(self, needle: Needle) -> None:
        number = len(self.needles)
        self.needles.append(needle)
        if needle.kind == "tokens":
            add_prefixes, variants = self._prefixes.update, self._variants
            for units in needle.variants:
                if len(units) == 1 and (len(units[0]) < 4 or units[0] in SURNAME_SPELLINGS):
                    continue  # a short single word, or a surname alone, identifies no one
                steps = list(itertools.accumulate(units))
                add_prefixes(steps)
                entry = variants.get(steps[-1])
                if entry is None:
                    variants[steps[-1]] = [(number, len(units))]
                else:
                    entry.append((number, len(units)))
        elif needle.kind == "cjk":
            self._cjk.extend((number, s) for s in needle.strings)
        elif needle.kind == "phone":
            self._phones.extend((number, s) for s in needle.strings)
        elif needle.kind == "date" and needle.day is not None:
            self._dates.setdefault(needle.day, []).append(number)

    # ------------------------------------------------------------ scanning

    def scan(self, text: str, *, where: Callable[[int], str] | None = None) -> list[Leak]:
        """Every restricted value found in ``text``, in text order."""
        hits = self._tokens(text)
        if self._cjk:
            hits += self._cjk_hits(text)
        if self._phones:
            hits += self._phone_hits(text)
        if self._dates:
            hits += self._date_hits(text)
        leaks = []
        for hit in _outermost(hits, self.needles):
            needle = self.needles[hit.needle]
            leaks.append(
                Leak(
                    witness=needle.witness,
                    field=needle.field,
                    detail=needle.detail,
                    start=hit.start,
                    end=hit.end,
                    where=where(hit.start) if where else None,
                    matched=text[hit.start : hit.end],
                )
            )
        return leaks

    def _tokens(self, text: str) -> list[_Hit]:
        # One C-level split of the lower-cased text gives words and the gaps between them;
        # offsets are running sums of their lengths. Only words that start a name are looked at.
        parts = _SPLIT.split(_lower(text))
        ends = list(itertools.accumulate(map(len, parts)))
        keys = parts[1::2]
        gaps = parts[2::2]
        for n, word in enumerate(keys):
            if not word.isascii() or "'" in word:
                keys[n] = token_key(word)
        prefixes, variants, count = self._prefixes, self._variants, len(keys)
        hits: list[_Hit] = []
        for i in [n for n, key in enumerate(keys) if key in prefixes]:
            joined, j = keys[i], i
            while True:
                for number, units in variants.get(joined, ()):
                    if self._accept(text, ends, keys, gaps, i, j, number, units, joined):
                        hits.append(_Hit(number, ends[2 * i], ends[2 * j + 1]))
                if j + 1 >= count or not _GAP.fullmatch(gaps[j]):
                    break
                joined += keys[j + 1]
                if joined not in prefixes:
                    break
                j += 1
        return hits

    def _accept(
        self,
        text: str,
        ends: list[int],
        keys: list[str],
        gaps: list[str],
        i: int,
        j: int,
        number: int,
        units: int,
        joined: str,
    ) -> bool:
        if i == j and units >= 2 and len(joined) < _SHORT_GLUED:
            return False
        needle = self.needles[number]
        if needle.alone and i < j:
            # Written in parts, a given name alone must look like a name: capitalised, joined tightly.
            if not text[ends[2 * i]].isupper() or not all(_TIGHT_GAP.fullmatch(g) for g in gaps[i:j]):
                return False
        guard = needle.guard
        if not guard:
            return True
        # A given name right next to another family's surname names someone else (Kim Jong Il is no Ri Jong-il).
        for n, gap in ((i - 1, i - 1), (j + 1, j)):
            if not 0 <= n < len(keys) or not _GAP.fullmatch(gaps[gap]):
                continue
            word = text[ends[2 * n] : ends[2 * n + 1]]
            if len(word) >= 3 and word[0].isupper() and keys[n] in SURNAME_SPELLINGS and keys[n] not in guard:
                return False
        return True

    def _cjk_hits(self, text: str) -> list[_Hit]:
        hits: list[_Hit] = []
        for run in _CJK_RUN.finditer(text):
            chars: list[str] = []
            starts: list[int] = []
            ends: list[int] = []
            boundary: list[bool] = []
            previous = run.start()
            for cluster in _CLUSTER.finditer(text, run.start(), run.end()):
                start, end = cluster.span()
                char = cluster.group()
                if len(char) > 1:
                    char = unicodedata.normalize("NFC", char)
                    char = char if len(char) == 1 else "\ufffd"
                boundary.append(not chars or any(c.isspace() for c in text[previous:start]))
                chars.append(char)
                starts.append(start)
                ends.append(end)
                previous = end
            joined = "".join(chars)
            for number, needle in self._cjk:
                at = joined.find(needle)
                while at != -1:
                    if boundary[at] or not self.needles[number].boundary:
                        hits.append(_Hit(number, starts[at], ends[at + len(needle) - 1]))
                    at = joined.find(needle, at + 1)
        return hits

    def _phone_hits(self, text: str) -> list[_Hit]:
        runs = list(_DIGIT_RUN.finditer(text))
        if not runs:
            return []
        digits = [re.sub(r"\D", "", m.group()) for m in runs]
        offsets, position = [], 0
        for d in digits:
            offsets.append(position)
            position += len(d) + 1
        stream = "|".join(digits)
        hits: list[_Hit] = []
        for number, needle in self._phones:
            at = stream.find(needle)
            while at != -1:
                r = bisect.bisect_right(offsets, at) - 1
                run, d, p = runs[r], digits[r], at - offsets[r]
                places = [run.start() + k for k, c in enumerate(run.group()) if c.isdigit()]
                q = p + len(needle)

                def cut(x: int, places: list[int] = places, d: str = d) -> bool:
                    return x in (0, len(d)) or places[x - 1] + 1 != places[x]

                if (cut(p) or _PHONE_PREFIX.fullmatch(d[:p])) and cut(q):
                    hits.append(_Hit(number, places[p], places[q - 1] + 1))
                at = stream.find(needle, at + 1)
        return hits

    def _date_hits(self, text: str) -> list[_Hit]:
        # Every written form of a date contains its year: look only around the birth years.
        years = {day.year for day in self._dates}
        windows: set[int] = set()
        for anchor in {str(y) for y in years}:
            at = text.find(anchor)
            while at != -1:
                windows.add(at)
                at = text.find(anchor, at + 1)
        short = {f"{y % 100:02d}" for y in years}  # 15/03/74
        windows.update(m.start() for m in _SHORT_YEAR.finditer(text) if m.group() in short)
        found: set[tuple[int, int, date]] = set()
        for at in windows:
            for match in _DATE.finditer(text, max(0, at - 40), min(len(text), at + 24)):
                found.update((match.start(), match.end(), day) for day in _dates_of(match))
        return [_Hit(number, s, e) for s, e, day in found for number in self._dates.get(day, ())]


def _lower(text: str) -> str:
    """Lower case with every character keeping its length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _dates_of(match: re.Match[str]) -> set[date]:
    """The calendar dates a date expression may denote (both orders when 03/04 is ambiguous)."""
    g = match.groupdict()
    triples: list[tuple[int, int, int]] = []
    if g["iy"]:
        triples.append((int(g["iy"]), int(g["im"]), int(g["id"])))
    elif g["na"]:
        years = [int(g["ny"])] if len(g["ny"]) == 4 else [1900 + int(g["ny"]), 2000 + int(g["ny"])]
        for year in years:
            triples += [(year, int(g["nb"]), int(g["na"])), (year, int(g["na"]), int(g["nb"]))]
    elif g["dd"]:
        triples.append((int(g["dy"]), _MONTH_NUMBERS[g["dm"][:3].lower()], int(g["dd"])))
    elif g["mm"]:
        triples.append((int(g["my"]), _MONTH_NUMBERS[g["mm"][:3].lower()], int(g["md"])))
    elif g["cy"]:
        triples.append((int(g["cy"]), int(g["cm"]), int(g["cd"])))
    found = set()
    for year, month, day in triples:
        try:
            found.add(date(year, month, day))
        except ValueError:
            continue
    return found


def _outermost(hits: list[_Hit], needles: list[Needle]) -> list[_Hit]:
    """Hits in text order, without those inside a longer hit on the same witness and field."""
    ordered = sorted(set(hits), key=lambda h: (h.start, -h.end, h.needle))
    kept: list[_Hit] = []
    reach: dict[tuple[str, str], int] = {}
    for hit in ordered:
        needle = needles[hit.needle]
        owner = (needle.witness, needle.field)
        if reach.get(owner, -1) >= hit.end:
            continue
        reach[owner] = max(reach.get(owner, -1), hit.end)
        kept.append(hit)
    return kept


def scan_for_leaks(
    text: str, restricted: Mapping[str, RestrictedIdentity], *, where: Callable[[int], str] | None = None
) -> list[Leak]:
    """Every restricted value of every witness (keyed by pseudonym) found in ``text``.

    ``where(offset)`` names the place of a hit for the report (e.g.
    "section 2, paragraph 3" or "note 14").
    """
    return LeakScanner(restricted).scan(text, where=where)
