"""Small text helpers shared by the report parser: spans, whitespace, superscripts, top-level splits.

Everything here is pure string work on text the report already publishes; no
function logs or keeps what it reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "SUPERSCRIPT_DIGITS",
    "Span",
    "SpanSet",
    "paragraph_spans",
    "split_top_level",
    "squash",
    "superscript_value",
    "url_spans",
]

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TABLE = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# Addresses hold digits glued to letters (docid/45fff1b92) that are never note markers.
_URL_TAIL = re.compile(r"[^\s<>\"”]+")
_SCHEMES = ("http", "https", "ftp")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+|\f")

OPEN_QUOTES = '"“‘«'
CLOSE_QUOTES = '"”’»'
_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of the report text."""

    start: int
    end: int


class SpanSet:
    """Sorted, non-overlapping spans with a fast "is this offset inside one?" test."""

    def __init__(self, spans: Iterable[Span]) -> None:
        merged: list[Span] = []
        for span in sorted(spans):
            if merged and span.start <= merged[-1].end:
                merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
            else:
                merged.append(span)
        self.spans = merged
        self._starts = [s.start for s in merged]

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self.spans[i].end


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space and trim."""
    return " ".join(text.split())


def superscript_value(text: str) -> int:
    """The number written in superscript digits (¹² → 12)."""
    return int(text.translate(_SUPERSCRIPT_TABLE))


def _addresses(text: str, mark: str) -> list[Span]:
    """Spans of the addresses around each occurrence of "://" or "www." (found with str.find: fast)."""
    spans: list[Span] = []
    at = text.find(mark)
    while at != -1:
        start = at
        while mark == "://" and start > 0 and text[start - 1].isalpha():
            start -= 1
        if mark == "www." or text[start:at].lower() in _SCHEMES:
            end = _URL_TAIL.match(text, start)
            stop = end.end() if end else at + len(mark)
            spans.append(Span(start, stop))
        else:
            stop = at + len(mark)
        at = text.find(mark, stop)
    return spans


def url_spans(text: str) -> list[Span]:
    """Spans of web addresses and e-mail addresses, in order."""
    spans = _addresses(text, "://") + _addresses(text, "www.")
    if "@" in text:  # the e-mail pattern is slow on long text; most text has no "@"
        spans += [Span(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    kept: list[Span] = []
    for span in sorted(spans):
        if kept and span.start < kept[-1].end:
            continue  # "www." inside "http://www."
        kept.append(span)
    return kept


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Paragraphs (runs of text between blank lines or page breaks) within [start, end)."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for m in _PARAGRAPH_BREAK.finditer(text, start, stop):
        if text[cursor : m.start()].strip():
            spans.append(Span(cursor, m.start()))
        cursor = m.end()
    if text[cursor:stop].strip():
        spans.append(Span(cursor, stop))
    return spans


def split_top_level(text: str, separators: str = ",") -> list[str]:
    """Split at separators that lie outside quotes and brackets; pieces are stripped, empty ones dropped.

    Citations put commas inside titles ("Economic, Social and Cultural Rights"
    in quotes) and inside parentheses ("(Art. 2, par.1)"); those must not split.
    """
    special = re.compile("[" + re.escape('"“”()[]{}' + separators) + "]")
    straight_quotes_balanced = text.count('"') % 2 == 0
    closers: list[str] = []
    in_straight_quote = False
    cuts: list[int] = []
    for m in special.finditer(text):
        ch = m.group(0)
        if ch == '"':
            if straight_quotes_balanced:
                in_straight_quote = not in_straight_quote
        elif ch == "“":
            closers.append("”")
        elif ch in _PAIRS:
            closers.append(_PAIRS[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif ch in separators and not closers and not in_straight_quote:
            cuts.append(m.start())
    if closers:  # an unclosed bracket would swallow the rest: split plainly instead
        cuts = [i for i, ch in enumerate(text) if ch in separators]
    bounds = [-1, *cuts, len(text)]
    pieces = (text[a + 1 : b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
    return [p for p in pieces if p]
