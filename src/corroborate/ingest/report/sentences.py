"""Sentence boundaries that respect quotations and abbreviations.

A quoted testimony often holds several sentences ("... three years now. They
used to be forgiven ..."), so a full stop inside a quotation does not end the
surrounding sentence. Straight double quotes are paired in order within the
span; when their number is odd (a block quote that ends with a stray closing
quote) they are ignored rather than guessed. Curly quotes nest.
"""

from __future__ import annotations

import re

from .text import Span

__all__ = ["ABBREVIATIONS", "quote_depths", "sentence_spans"]

ABBREVIATIONS = frozenset(
    """mr mrs ms dr st no nos vol vols pp p art arts para paras ch chap ed eds trans
    e.g i.e cf al approx ca op cit ibid id doc res supp gen col lt sgt rev prof jr sr
    co corp inc ltd jan feb mar apr jun jul aug sep sept oct nov dec fig figs sec vs""".split()
)
# A sentence may end with a note marker glued to it: `now."12 Another man ...`.
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*(?:\d{1,4}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}|\[\^?\d{1,4}\])?(?=\s+[\"“‘(\[]?[A-Z0-9])")
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")
_QUOTE = re.compile(r"[\"“”]")


def quote_depths(text: str, start: int, end: int) -> dict[int, int]:
    """For each quotation mark in [start, end), the quotation depth just after it."""
    found = [(m.start(), m.group(0)) for m in _QUOTE.finditer(text, start, end)]
    use_straight = sum(1 for _, ch in found if ch == '"') % 2 == 0
    depth = 0
    depths: dict[int, int] = {}
    straight_open = False
    for i, ch in found:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif use_straight:
            straight_open = not straight_open
            depth = max(0, depth + (1 if straight_open else -1))
        else:
            continue
        depths[i] = depth
    return depths


def _is_abbreviation(text: str, period: int) -> bool:
    token = _TOKEN_BEFORE.search(text, max(0, period - 24), period)
    if token is None:
        return False
    word = token.group(1).lower().strip(".")
    last = word.rsplit(".", 1)[-1]
    return word in ABBREVIATIONS or last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of text[start:end], each span trimmed of surrounding whitespace."""
    stop = len(text) if end is None else end
    depths = quote_depths(text, start, stop)
    marks = sorted(depths)
    spans: list[Span] = []
    cursor = start
    mark_index, depth = 0, 0
    for m in _BOUNDARY.finditer(text, start, stop):
        while mark_index < len(marks) and marks[mark_index] < m.end():
            depth = depths[marks[mark_index]]
            mark_index += 1
        if depth > 0 or (text[m.start()] == "." and _is_abbreviation(text, m.start())):
            continue
        spans.append(Span(cursor, m.end()))
        cursor = m.end()
    spans.append(Span(cursor, stop))
    trimmed = []
    for span in spans:
        chunk = text[span.start : span.end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trimmed.append(Span(span.start + lead, span.start + len(chunk.rstrip())))
    return trimmed
