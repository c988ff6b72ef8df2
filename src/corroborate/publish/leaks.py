"""The leak scan: every restricted value of every witness, looked for in text as a reader sees it.

A text is first put in reader form (``readertext``: compatibility forms,
invisible characters, collapsed whitespace, look-alike letters, composed
Hangul). The scanner then generates forms from it — runs of words by their
concatenated spelling, Hangul and Han strings, digit strings of phone-like
runs, the calendar days of date expressions — and looks each up in a
``FormTable`` built from the restricted values. Matching is driven only by
what the text holds, so the same scan runs on a keyed table (forms hashed
with a secret) without any restricted value at hand, and finds the same
spans.

A ``Leak`` names the witness by pseudonym, the field and where it was found
(a keyed table knows neither witness nor field: such a leak says only that a
restricted value is there). Its text and ``repr`` never contain the value
(the matched text is kept in ``matched`` for the caller, who must not print
or log it). Offsets are into the text as it was passed in.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from corroborate.domain import RestrictedIdentity

from .dates import dates_in
from .formtable import FormTable, NeedleInfo, Value
from .leakforms import TOKEN, token_key
from .readertext import reader_text
from .romanisation import SURNAME_SPELLINGS

__all__ = ["OPTIONAL_WORDS", "Leak", "LeakScanner", "scan_for_leaks"]

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
# commas and the like, at most three of them (invisible characters are gone).
_GAP = re.compile(r"[\s\-\u2010-\u2015\u2212.,\u00b7\u30fb_/:@+'\u2019]{1,3}")
# Inside a given name written alone: only hyphens and spaces ("Sun-ok", not "sun, ok").
_TIGHT_GAP = re.compile(r"[ \-\u2010-\u2015]{1,2}")
_SPLIT = re.compile(f"({TOKEN.pattern})")
_SHORT_GLUED = 5  # a name written as one word must be at least this long (not "oil" for "O Il")
OPTIONAL_WORDS = frozenset("city county province prefecture municipality district town township village".split())
"""Words a scan may step over inside a phrase ("Helong City, Jilin Province" is "Helong, Jilin")."""
_CJK_CHAR = r"[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_CJK_SEPARATOR = r"[\s\u00b7\u30fb\-,.\u3001\u3002]"
_CJK_RUN = re.compile(rf"{_CJK_CHAR}(?:{_CJK_SEPARATOR}{{0,2}}{_CJK_CHAR})*")
_CJK_ONE = re.compile(_CJK_CHAR)
# Seven digits or more, separated by at most three of these; a letter O may stand for 0, I or l for 1.
_PHONE_RUN = re.compile(
    r"(?<![^\W\d_])[+(]?[\dOoIl](?:[\s\-\u2010-\u2015.()/_,\u00b7\u30fb]{0,3}[\dOoIl]){6,}(?![^\W\d_])"
)
_AS_DIGIT = str.maketrans("OoIl", "0011")
_PHONE_PREFIX = re.compile(r"0|(?:00|011)?\d{1,3}")
_LONGEST_PHONE = 16


@dataclass(frozen=True)
class Leak:
    """A restricted value found in the text; its message never contains the value.

    ``witness`` and ``field`` are empty when the scan ran on a keyed table,
    which knows only that a restricted value is there.
    """

    witness: str
    field: str
    detail: str
    start: int
    end: int
    where: str | None = None
    matched: str = dataclasses.field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        place = self.where or "the text"
        if not self.witness:
            return f"a restricted value in {place}, characters {self.start}-{self.end}"
        label = FIELD_LABELS.get(self.field, self.field)
        return f"{self.witness}: restricted {label} ({self.detail}) in {place}, characters {self.start}-{self.end}"

    def public(self) -> dict[str, object]:
        """The leak as plain data without the matched text, safe to log or export."""
        return {k: getattr(self, k) for k in ("witness", "field", "detail", "start", "end", "where")}


@dataclass(frozen=True)
class _Hit:
    needle: int
    start: int  # in the reader text
    end: int


class LeakScanner:
    """A form table ready to scan texts; build once, scan many."""

    def __init__(self, restricted: Mapping[str, RestrictedIdentity | None] | None = None, *,
                 table: FormTable | None = None) -> None:  # fmt: skip
        if (restricted is None) == (table is None):
            raise TypeError("give either the restricted identities or a form table")
        self.table = table if table is not None else FormTable.build(restricted or {})

    @classmethod
    def from_table(cls, table: FormTable) -> LeakScanner:
        """A scanner over a table, clear or keyed."""
        return cls(table=table)

    @property
    def needles(self) -> list[NeedleInfo]:
        return self.table.needles

    # ------------------------------------------------------------ scanning

    def scan(self, text: str, *, where: Callable[[int], str] | None = None) -> list[Leak]:
        """Every restricted value found in ``text``, in text order."""
        reader = reader_text(text)
        seen = reader.text
        get = _memo(self.table.get)
        hits = self._tokens(seen, get)
        hits += self._cjk(seen, get)
        hits += self._phones(seen, get)
        hits += [_Hit(n, s, e) for s, e, day in dates_in(seen) for n, _ in _entries(get("d:" + day.isoformat()))]
        leaks = []
        for hit in _outermost(hits, self.needles):
            needle = self.needles[hit.needle]
            start, end = reader.span(hit.start, hit.end)
            leaks.append(
                Leak(
                    witness=needle.witness or "",
                    field=needle.field or "",
                    detail=needle.detail or "restricted value",
                    start=start,
                    end=end,
                    where=where(start) if where else None,
                    matched=text[start:end],
                )
            )
        return leaks

    def _tokens(self, text: str, get: Callable[[str], Value | None]) -> list[_Hit]:
        # One C-level split of the lower-cased text gives words and the gaps between them;
        # offsets are running sums of their lengths. Only words that start a form are followed.
        parts = _SPLIT.split(_lower(text))
        ends = list(itertools.accumulate(map(len, parts)))
        keys = [w if w.isascii() and "'" not in w else token_key(w) for w in parts[1::2]]
        gaps = parts[2::2]
        count = len(keys)
        firsts = {key: value for key in set(keys) if (value := get("t:" + key)) is not None}
        hits: list[_Hit] = []
        for i in [n for n, key in enumerate(keys) if key in firsts]:
            first = firsts[keys[i]]
            # Extend word by word while the words read so far start a form; an optional word
            # ("city") is tried both ways.
            paths = [(i, keys[i], first)]
            while paths:
                j, joined, value = paths.pop()
                for number, units in value[1]:
                    if self._accept(text, ends, keys, gaps, i, j, number, units, joined):
                        hits.append(_Hit(number, ends[2 * i], ends[2 * j + 1]))
                step = j + 1
                while value[0] and step < count and _GAP.fullmatch(gaps[step - 1]):
                    longer = get("t:" + joined + keys[step])
                    if longer is not None:
                        paths.append((step, joined + keys[step], longer))
                    if keys[step] not in OPTIONAL_WORDS:
                        break
                    step += 1
        return hits

    def _accept(self, text: str, ends: list[int], keys: list[str], gaps: list[str],
                i: int, j: int, number: int, units: int, joined: str) -> bool:  # fmt: skip
        if i == j and units >= 2 and len(joined) < _SHORT_GLUED:
            return False
        if not self.needles[number].alone:
            return True
        # Written in parts, a given name alone must look like a name: capitalised, joined tightly.
        if i < j and (not text[ends[2 * i]].isupper() or not all(_TIGHT_GAP.fullmatch(g) for g in gaps[i:j])):
            return False
        # A given name right next to a surname is a full name: the witness's own surname makes it a
        # full-name hit, another family's names someone else (Kim Jong Il is no Ri Jong-il).
        for n, gap in ((i - 1, i - 1), (j + 1, j)):
            if not 0 <= n < len(keys) or not _GAP.fullmatch(gaps[gap]):
                continue
            word = text[ends[2 * n] : ends[2 * n + 1]]
            if len(word) >= 3 and word[0].isupper() and keys[n] in SURNAME_SPELLINGS:
                return False
        return True

    def _cjk(self, text: str, get: Callable[[str], Value | None]) -> list[_Hit]:
        hits: list[_Hit] = []
        for run in _CJK_RUN.finditer(text):
            chars = list(_CJK_ONE.finditer(text, run.start(), run.end()))
            joined = "".join(m.group() for m in chars)
            for a in range(len(joined)):
                starts_word = a == 0 or chars[a].start() != chars[a - 1].end()
                k = a + 1
                value = get("c:" + joined[a:k])
                while value is not None:
                    for number, _ in value[1]:
                        if starts_word or not self.needles[number].boundary:
                            hits.append(_Hit(number, chars[a].start(), chars[k - 1].end()))
                    if not value[0] or k >= len(joined):
                        break
                    k += 1
                    value = get("c:" + joined[a:k])
        return hits

    def _phones(self, text: str, get: Callable[[str], Value | None]) -> list[_Hit]:
        hits: list[_Hit] = []
        for run in _PHONE_RUN.finditer(text):
            places = [run.start() + k for k, c in enumerate(run.group()) if c.isdigit() or c in "OoIl"]
            digits = "".join(text[p] for p in places).translate(_AS_DIGIT)
            if sum(c.isdigit() for c in run.group()) < 4:
                continue  # letters standing for digits, not a number
            # A number starts and ends where the run's groups do, or after a calling code or trunk prefix.
            cuts = [x for x in range(len(digits) + 1) if x in (0, len(digits)) or places[x - 1] + 1 != places[x]]
            starts = sorted(set(cuts) | {x for x in range(1, 7) if _PHONE_PREFIX.fullmatch(digits[:x])})
            for a in starts:
                for b in cuts:
                    if 7 <= b - a <= _LONGEST_PHONE:
                        hits += [_Hit(n, places[a], places[b - 1] + 1) for n, _ in _entries(get("p:" + digits[a:b]))]
        return hits


def _memo(get: Callable[[str], Value | None]) -> Callable[[str], Value | None]:
    """One look-up per distinct form in a scan (words repeat; keyed look-ups hash)."""
    cache: dict[str, Value | None] = {}

    def cached(form: str) -> Value | None:
        try:
            return cache[form]
        except KeyError:
            value = cache[form] = get(form)
            return value

    return cached


def _entries(value: Value | None) -> Sequence[tuple[int, int]]:
    return () if value is None else value[1]


def _lower(text: str) -> str:
    """Lower case with every character keeping its length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _outermost(hits: list[_Hit], needles: list[NeedleInfo]) -> list[_Hit]:
    """Hits in text order, without those inside a longer hit on the same witness and field."""
    ordered = sorted(set(hits), key=lambda h: (h.start, -h.end, h.needle))
    kept: list[_Hit] = []
    reach: dict[int, int] = {}
    for hit in ordered:
        owner = needles[hit.needle].owner
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
    "section 2, block 3" or "note 14").
    """
    return LeakScanner(restricted).scan(text, where=where)
