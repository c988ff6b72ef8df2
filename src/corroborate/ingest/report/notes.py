"""Split a report into its body and its notes (endnotes or footnotes).

A note starts on a line that begins with its number: ``12 Human Rights
Watch interview ...``, ``12. ...``, ``[12] ...``, ``[^12]: ...`` or ``¹² ...``.
Body lines may begin with numbers too (``16 North Korean border crossers``), so
instead of trusting each line the parser picks the longest chain of such lines
whose numbers rise one by one (a missing note or two is tolerated) in reading
order. When a "Notes"/"Endnotes"/"Footnotes" heading exists, only lines after
the last one compete, so a numbered list in the body cannot pose as notes.
Footnotes printed at the foot of each page form the same rising chain, just
interleaved with body text.

A note runs until the next note, a blank line, a page break or a separator
rule, whichever comes first; what follows the last note (a copyright line) is
body again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import SUPERSCRIPT_DIGITS, Span, squash, superscript_value

__all__ = ["MAX_NOTE_GAP", "NoteSplit", "RawNote", "split_notes"]

MAX_NOTE_GAP = 2  # at most this many missing notes in a row before a chain is broken
_HEADINGS_TRIED = 5  # the last few "Notes" headings are enough; a table of contents comes first

_NOTE_START = re.compile(
    rf"^[ \t\f]*(?:\[\^?(?P<bracket>\d{{1,4}})\]:?[ \t]*"
    rf"|<sup>(?P<sup>\d{{1,4}})</sup>[ \t]*"
    rf"|(?P<superscript>[{SUPERSCRIPT_DIGITS}]{{1,4}})[ \t]*"
    rf"|(?P<plain>\d{{1,4}})(?:[.)])?[ \t]+)"
    rf"(?=\S)",
    re.M,
)
_HEADINGS = [
    re.compile(rf"^[ \t]*(?:#+[ \t]*)?(?:{words})[ \t]*:?[ \t]*$", re.I | re.M)
    for words in (r"end[ \t]?notes|foot[ \t]?notes|notes", r"references|sources")
]
_NOTE_END = re.compile(r"\n[ \t]*\n|\f|\n[ \t]*[_\-—–=]{5,}[ \t]*(?:\n|$)")
_SEPARATOR = re.compile(r"^[ \t]*[_\-—–=*]{5,}[ \t]*$", re.M)


@dataclass(frozen=True)
class RawNote:
    """A note as found: its number, where it lies, and its text without the number."""

    number: int
    span: Span
    text: str


@dataclass(frozen=True)
class NoteSplit:
    """The notes of a report and the spans that are not body text."""

    notes: list[RawNote]
    non_body: list[Span]
    warnings: list[str]


@dataclass(frozen=True)
class _Candidate:
    start: int  # where the number starts
    text_start: int  # where the note's text starts
    number: int


def _candidates(text: str, start: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    for m in _NOTE_START.finditer(text, start):
        if m.group("superscript"):
            number = superscript_value(m.group("superscript"))
        else:
            number = int(m.group("bracket") or m.group("sup") or m.group("plain"))
        if number > 0:
            begin = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\f"))
            found.append(_Candidate(begin, m.end(), number))
    return found


def _chain(candidates: list[_Candidate]) -> list[_Candidate]:
    """The longest run of rising note numbers (fewest gaps, then latest lines, win ties)."""
    # score = (length, -missing numbers); best[number] = (score, index) of the best chain ending there
    best: dict[int, tuple[tuple[int, int], int]] = {}
    scores: list[tuple[int, int]] = []
    previous: list[int | None] = []
    for i, cand in enumerate(candidates):
        score, pred = (1, -(cand.number - 1)), None
        for step in range(1, MAX_NOTE_GAP + 2):
            entry = best.get(cand.number - step)
            if entry is None:
                continue
            (length, gaps), j = entry
            option = (length + 1, gaps - (step - 1))
            if option > score or (option == score and pred is not None and j > pred):
                score, pred = option, j
        scores.append(score)
        previous.append(pred)
        if cand.number not in best or score >= best[cand.number][0]:
            best[cand.number] = (score, i)
    if not candidates:
        return []
    end = max(range(len(candidates)), key=lambda i: (scores[i], i))
    chain: list[_Candidate] = []
    cursor: int | None = end
    while cursor is not None:
        chain.append(candidates[cursor])
        cursor = previous[cursor]
    return chain[::-1]


def _note_end(text: str, begin: int, limit: int) -> int:
    stop = _NOTE_END.search(text, begin, limit)
    end = stop.start() if stop else limit
    return len(text[begin:end].rstrip()) + begin


def _notes_from(text: str, chain: list[_Candidate]) -> list[RawNote]:
    notes: list[RawNote] = []
    for i, cand in enumerate(chain):
        limit = chain[i + 1].start if i + 1 < len(chain) else len(text)
        end = _note_end(text, cand.text_start, limit)
        notes.append(RawNote(cand.number, Span(cand.start, end), squash(text[cand.text_start : end])))
    return notes


def _gap_warnings(notes: list[RawNote]) -> list[str]:
    warnings = []
    for before, after in zip(notes, notes[1:], strict=False):
        for missing in range(before.number + 1, after.number):
            warnings.append(f"note {missing} not found between notes {before.number} and {after.number}")
    return warnings


def _chain_after_heading(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """The chain after the last "Notes" heading (else "References") that heads at least two notes."""
    for pattern in _HEADINGS:
        tried = len(candidates) + 1
        for heading in list(pattern.finditer(text))[-_HEADINGS_TRIED:][::-1]:
            after = [c for c in candidates if c.start >= heading.end()]
            if len(after) == tried:
                continue  # no candidate between this heading and the one after it: same chain
            tried = len(after)
            chain = _chain(after)
            if len(chain) >= 2:
                return chain
    return []


def split_notes(text: str) -> NoteSplit:
    """Find the notes of a report; every other line is body."""
    candidates = _candidates(text, 0)
    chain = _chain_after_heading(text, candidates)
    if len(chain) < 2:
        whole = _chain(candidates)
        chain = whole if len(whole) > len(chain) else chain
    if len(chain) == 1 and chain[0].number != 1:
        chain = []  # one stray numbered line is no note list
    notes = _notes_from(text, chain)
    separators = [Span(m.start(), m.end()) for m in _SEPARATOR.finditer(text)]
    warnings = _gap_warnings(notes)
    if notes and notes[0].number != 1:
        warnings.insert(0, f"the notes start at {notes[0].number}, not 1")
    return NoteSplit(notes, [n.span for n in notes] + separators, warnings)
