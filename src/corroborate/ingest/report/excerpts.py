"""The passage each marker closes, linked to the sources of its note, with a guessed mode.

The passage is the sentence that ends at the marker (a marker after a comma
closes the clause from the sentence start), never reaching back past the
previous marker in the same paragraph. A paragraph set off as a block quote
(introduced by a line ending in ":" or ",", or indented) is taken whole. A
sentence that is nothing but a quotation takes the sentence before it too,
for its speaker ("... a man from Musan told us. "Even first-time ..."), and
so does one that continues a speaker ("She continued, "...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .model import ExcerptPassage, Marker
from .modes import guess_mode
from .sentences import sentence_spans
from .sources import SourceRef
from .text import Span, paragraph_spans, squash

__all__ = ["build_excerpts"]

_BARE_QUOTE = re.compile(r"^[\"“‘].*[\"”’][.,!?]?$", re.S)
_CONTINUES = re.compile(r"^(?:She|He|They|The (?:wo)?man)\s+(?:continued|added|went on|also said|said)\b")
_QUOTED_SPAN = re.compile(r"[\"“]([^\"“”]*)[\"”]")  # linear: no nested repetition to backtrack over
_QUOTATION_WORDS = 3
_TRAILING = " \t\n,;:–—-"
_QUOTE_PREFIX = re.compile(r"^[ \t]*>[ \t]?", re.M)


def _is_block_quote(text: str, paragraphs: list[Span], index: int, marker: Marker) -> bool:
    paragraph = paragraphs[index]
    if text[marker.end : paragraph.end].strip():
        return False  # the marker does not end the paragraph
    if text[paragraph.start : paragraph.end].startswith(("  ", "\t", ">")):
        return True  # indented
    if index == 0:
        return False
    before = text[paragraphs[index - 1].start : paragraphs[index - 1].end].rstrip()
    return before.endswith((":", ","))


def _sentence_start(text: str, lower: int, marker: Marker) -> int:
    sentences = sentence_spans(text, lower, marker.offset)
    if not sentences:
        return lower
    i = len(sentences) - 1
    while i > 0:
        current = text[sentences[i].start : marker.offset].strip()
        if not (_BARE_QUOTE.match(current) or _CONTINUES.match(current)):
            break
        i -= 1
        if not _BARE_QUOTE.match(text[sentences[i].start : sentences[i].end].strip()):
            break
    return sentences[i].start


@dataclass
class _Paragraph:
    """The paragraph being read: where its last marker ended and the passage that marker closed."""

    index: int
    span: Span
    last_marker_end: int
    last: tuple[Span, bool] | None = None


def _passage(text: str, paragraphs: list[Span], state: _Paragraph, marker: Marker) -> tuple[Span, bool]:
    """The span a marker closes and whether it is a block quote."""
    lower = state.last_marker_end
    if state.last is not None and not text[lower : marker.offset].strip(_TRAILING + '."”’)]'):
        return state.last  # "told us.11,12": marker 12 closes what 11 closes
    if lower == state.span.start and _is_block_quote(text, paragraphs, state.index, marker):
        return Span(lower, marker.offset), True
    return Span(_sentence_start(text, lower, marker), marker.offset), False


def _passages(text: str, markers: Sequence[Marker]) -> list[tuple[Marker, Span, bool]]:
    paragraphs = paragraph_spans(text) or [Span(0, len(text))]
    starts = [p.start for p in paragraphs]
    state: _Paragraph | None = None
    found = []
    for marker in markers:
        index = max(0, bisect_right(starts, marker.offset) - 1)
        if state is None or state.index != index:
            state = _Paragraph(index, paragraphs[index], paragraphs[index].start)
        passage, block = _passage(text, paragraphs, state, marker)
        state.last_marker_end, state.last = marker.end, (passage, block)
        found.append((marker, passage, block))
    return found


def _has_quotation(passage: str) -> bool:
    """True when the passage quotes someone's words (a quoted span of a few words, not a scare-quoted term)."""
    return any(len(m.group(1).split()) >= _QUOTATION_WORDS for m in _QUOTED_SPAN.finditer(passage))


def _clean(passage: str) -> str:
    """The passage as one line, without Markdown quote marks ("> ") or trailing punctuation."""
    if ">" in passage:
        passage = _QUOTE_PREFIX.sub(" ", passage)
    return squash(passage).rstrip(_TRAILING)


def _excerpt(
    passage: str, marker: Marker, span: Span, block: bool, ref: SourceRef | None, explanation: str
) -> ExcerptPassage:
    if ref is None:
        mode, cue, quote = None, None, False
    elif ref.is_document:
        mode, cue, quote = "document", None, False
    else:
        mode, cue = guess_mode(passage, fallback_text=explanation)
        quote = block or _has_quotation(passage)
    return ExcerptPassage(
        note=marker.number,
        source=ref.source if ref else None,
        interview=ref.interview if ref else None,
        text=passage,
        mode=mode,
        mode_cue=cue,
        quote=quote,
        pages=ref.pages if ref else None,
        offset=span.start,
        end=span.end,
    )


def build_excerpts(
    text: str, markers: Sequence[Marker], refs: dict[int, list[SourceRef]], explanations: dict[int, str]
) -> list[ExcerptPassage]:
    """One excerpt per marker and source of its note (one without source for notes that cite none)."""
    excerpts: list[ExcerptPassage] = []
    for marker, span, block in _passages(text, markers):
        passage = _clean(text[span.start : span.end])
        if not passage:
            continue
        note_refs: list[SourceRef | None] = list(refs.get(marker.number, [])) or [None]
        for ref in note_refs:
            excerpts.append(_excerpt(passage, marker, span, block, ref, explanations.get(marker.number, "")))
    return excerpts
