"""Guess how an interviewee knows what a passage says, from the words they use.

"I heard at a People's Committee Meeting", "a state announcement" → the
announcement was heard from officials (``heard_official``); "I saw" →
``witnessed``; "I received", "I was" → ``experienced``; "I heard from people"
→ ``hearsay``. When several cues occur the strongest claim to official or
first-hand knowledge wins, in that order (official, witnessed, experienced,
hearsay), because an excerpt may be split later but its mode should name what
makes it most useful. A passage with no cue gets ``hearsay`` (the weakest
mode, so a guess never inflates a grade) and no cue text, so a reviewer can
tell a guess from a reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborate.domain import ExcerptMode

__all__ = ["DEFAULT_MODE", "guess_mode"]

DEFAULT_MODE: ExcerptMode = "unstated"  # nothing in the text says how the witness knows

_OFFICIALS = (
    r"(?:local\s+|intelligence\s+|security\s+|party\s+|state\s+|government\s+)?"
    r"(?:officials?|police(?:men|man)?|cadres?|agents?|authorities|officers?|party secretary)"
)
_OFFICIAL_WORDS = ("official", "police", "cadre", "agent", "authorities", "officer", "secretary")
_ANNOUNCEMENTS = ("announcement", "instruction", "decree", "degree", "order", "directive", "notice", "lecture")


@dataclass(frozen=True)
class _Cue:
    """A pattern tried only when one of its anchor words occurs (lower case), which keeps long texts fast."""

    mode: ExcerptMode
    anchors: tuple[str, ...]
    pattern: re.Pattern[str]


def _cue(mode: ExcerptMode, anchors: tuple[str, ...], pattern: str) -> _Cue:
    return _Cue(mode, anchors, re.compile(pattern, re.I))


_CUES: list[_Cue] = [
    _cue("heard_official", ("committee", "unit meeting"), r"People['’]s (?:Committee|Unit) Meeting"),
    _cue("heard_official", ("inminban",), r"\binminban\b"),
    _cue(
        "heard_official",
        _ANNOUNCEMENTS + ("broadcast",),
        r"\b(?:state|official|government|party|public)\s+(?:" + "|".join(_ANNOUNCEMENTS) + r"|broadcast)s?\b",
    ),
    _cue(
        "heard_official",
        ("announced", "proclaimed", "decreed"),
        r"\b(?:(?:was|were|had been|been)\s+)?(?:announced|proclaimed|decreed)\b",
    ),
    _cue(
        "heard_official",
        ("heard",),
        rf"\bheard\b(?:\s+\w+){{0,3}}?\s+(?:at|from|in|during|through)\s+(?:an?\s+|the\s+)?"
        rf"(?:{_OFFICIALS}|meeting|lecture|gathering)",
    ),
    _cue("heard_official", (" by ",), rf"\b(?:told|warned|informed|notified)\s+by\s+(?:an?\s+|the\s+)?{_OFFICIALS}"),
    _cue("heard_official", (" from ",), rf"\b(?:call|letter|notice|visit)\s+from\s+(?:an?\s+|the\s+)?{_OFFICIALS}"),
    _cue(
        "heard_official",
        ("read out", "warned"),
        rf"\b{_OFFICIALS}\b[^.!?]{{0,60}}?\b(?:read out|announced|proclaimed|warned)\b",
    ),
    _cue(
        "witnessed",
        ("saw", "see", "watched", "witnessed", "seen"),
        r"\b(?:I|we)\s+(?:saw|see|watched|witnessed|have seen|had seen|could see)\b"
        r"|\b(?:she|he|they)\s+(?:witnessed|saw)\b",
    ),
    _cue(
        "experienced",
        (" i ", " we "),
        r"\b(?:I|we)\s+(?:(?:was|were)\b(?!\s+told\b)|(?:received|got|served|spent|suffered|had to|ate|worked"
        r"|attended|endured)\b)",
    ),
    _cue(
        "experienced",
        (" me", " us"),
        r"\b(?:beat|hit|kicked|slapped|interrogated|detained|arrested|tortured|starved)\s+(?:me|us)\b",
    ),
    _cue("experienced", ("personal experience",), r"\bpersonal experience\b"),
    _cue(
        "experienced",
        (" she ", " he "),
        r"\b(?:she|he)\s+(?:was\s+(?:then\s+)?(?:detained|held|beaten|arrested|imprisoned|transferred|tortured)"
        r"|served|spent)\b",
    ),
    _cue(
        "hearsay",
        ("heard", "rumo", "people sa", "told", "word "),
        r"\b(?:I|we)\s+heard\b|\bheard\s+from\b|\brumou?rs?\b|\bpeople\s+(?:said|say)\b"
        r"|\b(?:I|we)\s+(?:was|were)\s+told\b|\bword\s+(?:was|is)\s+that\b",
    ),
]
_PRIORITY: tuple[ExcerptMode, ...] = ("heard_official", "witnessed", "experienced", "hearsay")


def _first_cue(text: str) -> tuple[ExcerptMode, str] | None:
    """The strongest mode with a cue in the text, and the earliest cue of that mode."""
    lowered = f" {text.lower()} "  # so that anchors such as " he " also match at either end
    found: dict[ExcerptMode, re.Match[str]] = {}
    for cue in _CUES:
        if cue.mode in found and found[cue.mode].start() == 0:
            continue
        if not any(anchor in lowered for anchor in cue.anchors):
            continue
        match = cue.pattern.search(text)
        if match is not None and (cue.mode not in found or match.start() < found[cue.mode].start()):
            found[cue.mode] = match
    for mode in _PRIORITY:
        if mode in found:
            return mode, found[mode].group(0)
    return None


def guess_mode(text: str, *, fallback_text: str = "") -> tuple[ExcerptMode, str | None]:
    """The mode of a passage from an interview and the words that show it (None: the default was used)."""
    for source in (text, fallback_text):
        cue = _first_cue(source)
        if cue is not None:
            return cue
    return DEFAULT_MODE, None
