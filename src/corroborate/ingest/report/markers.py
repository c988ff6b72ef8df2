"""Find note markers in the body: ``told us.11``, ``now."12``, ``1981,7 has``, ``Facilities25``, ``[12]``, ``¹²``.

A body is full of numbers that are not markers (468 refugees, 10 months,
2006-07, 5,000, Article 13(2), General Comment 3(10)). A number is only a
*candidate* when it is glued to the text before it (a letter, a full stop, a
closing quote or bracket, a comma) or written as ``[n]``, ``<sup>n</sup>`` or in
superscript digits, and some shapes are ruled out at once (thousands
separators, decimals, clock times, leading zeros, digits inside addresses).
Among the candidates that name an existing note, the markers are the longest
subsequence whose numbers rise in reading order (a weighted longest increasing
subsequence; unambiguous shapes weigh a little more), rather than a guess
made one number at a time.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .text import SUPERSCRIPT_DIGITS, SpanSet, superscript_value

__all__ = ["MarkerCandidate", "find_marker_candidates", "missing_marker_warnings", "select_markers"]

_DIGITS = re.compile(r"[0-9][0-9]*")  # this spelling lets the engine skip to digits quickly
_GLUE = frozenset(".,;:!?\"'”’»)]")
_BRACKETED = re.compile(r"\[\^?(\d{1,4})\]|<sup>(\d{1,4})</sup>")
_SUPERSCRIPT = re.compile(rf"[{SUPERSCRIPT_DIGITS}]{{1,4}}")
_NUMBER_TAIL = re.compile(r"\.\d|,\d{3}(?!\d)")


@dataclass(frozen=True)
class MarkerCandidate:
    """A number that may be a note marker; ``strength`` 2 = unambiguous shape, 0 = weakest."""

    number: int
    start: int
    end: int
    strength: int


def _group_before(text: str, comma: int) -> int:
    """How many digits stand right before a comma (3 or fewer: a thousands group)."""
    start = comma
    while start > 0 and text[start - 1].isdigit() and comma - start < 5:
        start -= 1
    return comma - start


def _glued_strength(text: str, start: int, end: int) -> int | None:
    """How marker-like a glued number is (None: certainly not a marker)."""
    digits = text[start:end]
    before = text[start - 1]
    after = text[end] if end < len(text) else ""
    if digits.startswith("0") or after.isalpha():
        return None  # "2006-07", "H5N1", "21st"
    if _NUMBER_TAIL.match(text, end):
        return None  # "1.5", "3,000" seen from their first digits (but "11,12" are two markers)
    before2 = text[start - 2] if start >= 2 else ""
    if before == "," and before2.isdigit() and len(digits) == 3 and _group_before(text, start - 1) <= 3:
        return None  # "5,000" (but "December 1981,106" is a year and a marker)
    if before == ":" and before2.isdigit():
        return None  # "15:44"
    if before == ".":
        year = re.search(r"(?<!\d)\d{4}$", text[max(0, start - 6) : start - 1])
        if before2.isdigit() and not (year and (after == "" or after.isspace() or after in '"”’)]')):
            return None  # "9.16 million"; a marker after a year ("in 2005.15") is kept
    if before.isalpha():
        letters = start - 1
        while letters > 0 and text[letters - 1].isalpha():
            letters -= 1
        if letters > 0 and text[letters - 1].isdigit():
            return None  # a code mixing digits and letters: "H5N1"
        return 0
    return 1


def find_marker_candidates(text: str, *, excluded: SpanSet) -> list[MarkerCandidate]:
    """Every number that may be a marker, outside notes, addresses and other excluded spans, in order."""
    found: list[MarkerCandidate] = []
    # Scanning digit runs and looking at the character before each in Python is much faster on a
    # long text than a regular expression that starts with a look-behind.
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else " "
        if end - start > 4 or not (before.isalpha() or before in _GLUE) or start in excluded:
            continue
        strength = _glued_strength(text, start, end)
        if strength is not None:
            found.append(MarkerCandidate(int(m.group(0)), start, end, strength))
    if "[" in text or "<sup>" in text:
        for m in _BRACKETED.finditer(text):
            if m.start() not in excluded:
                found.append(MarkerCandidate(int(m.group(1) or m.group(2)), m.start(), m.end(), 2))
    if any(digit in text for digit in SUPERSCRIPT_DIGITS):
        for m in _SUPERSCRIPT.finditer(text):
            if m.start() not in excluded:
                found.append(MarkerCandidate(superscript_value(m.group(0)), m.start(), m.end(), 2))
    found.sort(key=lambda c: c.start)
    # A glued number inside "[12]" was found twice; keep the bracketed reading.
    kept: list[MarkerCandidate] = []
    for cand in found:
        if kept and cand.start < kept[-1].end:
            if cand.strength > kept[-1].strength:
                kept[-1] = cand
            continue
        kept.append(cand)
    return kept


class _PrefixMax:
    """A Fenwick tree of best chain scores by marker number: prefix maxima in O(log n)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (size + 1)

    def update(self, position: int, value: tuple[int, int, int]) -> None:
        """Record a chain score ending at this marker number."""
        while position <= self.size:
            if value > self.tree[position]:
                self.tree[position] = value
            position += position & -position

    def query(self, position: int) -> tuple[int, int, int]:
        """The best chain score ending at a number up to ``position``."""
        best = (0, 0, -1)
        while position > 0:
            if self.tree[position] > best:
                best = self.tree[position]
            position -= position & -position
        return best


def select_markers(candidates: list[MarkerCandidate], note_numbers: Collection[int]) -> list[MarkerCandidate]:
    """The longest rising sequence of candidates naming existing notes (stronger shapes win ties)."""
    numbers = sorted(set(note_numbers))
    rank = {n: i + 1 for i, n in enumerate(numbers)}
    usable = [c for c in candidates if c.number in rank]
    tree = _PrefixMax(len(numbers))
    previous: list[int] = []
    scores: list[tuple[int, int, int]] = []
    for i, cand in enumerate(usable):
        count, strength, pred = tree.query(rank[cand.number] - 1)
        score = (count + 1, strength + cand.strength, i)
        previous.append(pred)
        scores.append(score)
        tree.update(rank[cand.number], score)
    if not usable:
        return []
    cursor = max(range(len(usable)), key=lambda i: scores[i])
    chosen: list[MarkerCandidate] = []
    while cursor >= 0:
        chosen.append(usable[cursor])
        cursor = previous[cursor]
    return chosen[::-1]


def missing_marker_warnings(
    chosen: list[MarkerCandidate], candidates: list[MarkerCandidate], note_numbers: Collection[int]
) -> list[str]:
    """A warning for every note without a marker: out of order when a candidate for it was passed over."""
    found = {c.number for c in chosen}
    passed_over: dict[int, int] = {}
    for cand in candidates:
        passed_over.setdefault(cand.number, cand.start)
    warnings = []
    for number in sorted(set(note_numbers) - found):
        if number in passed_over:
            warnings.append(f"marker {number} is out of order (at offset {passed_over[number]}); not used")
        else:
            warnings.append(f"marker {number} not found in the body")
    return warnings
