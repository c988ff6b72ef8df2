"""Hangul syllables romanised in Revised Romanization or McCune-Reischauer, syllable by syllable.

A precomposed syllable is decomposed by Unicode arithmetic into its initial, medial and final
jamo, each written by the tables of the romanisation system. Pure functions; never logs.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

__all__ = ["Romanisation", "has_hangul", "romanise_hangul", "romanise_syllables"]

Romanisation = Literal["rr", "mr"]

# A precomposed syllable is 0xAC00 + (initial * 21 + medial) * 28 + final (Unicode 15, section 3.12).
_FIRST, _LAST = 0xAC00, 0xD7A3
# Revised Romanization of Korean (Ministry of Culture and Tourism notice 2000-8), chapter 2.
# Finals are the representative sounds RR writes before a consonant or at the end of a word.
_RR_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_RR_MEDIALS = ("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i").split()
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
           "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
# McCune-Reischauer (1939), as in the ALA-LC Korean romanization table: plain stops unvoiced,
# voiced forms in _MR_VOICED; aspiration marked by an apostrophe; ŏ and ŭ with a breve.
_MR_INITIALS = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'",
                "h")  # fmt: skip
_MR_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}
_MR_MEDIALS = ("a ae ya yae ŏ e yŏ ye o wa wae oe yo u wŏ we wi yu ŭ ŭi i").split()
_RIEUL, _FINAL_RIEUL, _SIOT, _WI = 5, 8, 9, 16


def _jamo(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - _FIRST
    if not 0 <= code <= _LAST - _FIRST:
        return None
    return code // 588, (code % 588) // 28, code % 28


def has_hangul(text: str) -> bool:
    """Whether the text holds at least one precomposed Hangul syllable."""
    return any(_jamo(ch) is not None for ch in unicodedata.normalize("NFC", text))


def romanise_syllables(word: str, *, system: Romanisation = "rr") -> tuple[str, ...]:
    """One romanisation per Hangul syllable of a word (non-Hangul characters are kept as they are).

    Rules: syllable by syllable, without the sound changes between syllables (RR's rule for
    personal names, and MR's common practice for them), except that ㄹㄹ is written ll, and in
    MR the plain stops ㄱㄷㅂㅈ are voiced (g d b j) after a vowel or ㄴㅁㅇㄹ inside the word,
    and ㅅ before ㅟ is sh.
    """
    out: list[str] = []
    previous_final: int | None = None  # None at the start of a word
    for ch in unicodedata.normalize("NFC", word):
        parts = _jamo(ch)
        if parts is None:
            out.append(ch)
            previous_final = None
            continue
        initial, medial, final = parts
        if system == "rr":
            onset = _RR_INITIALS[initial]
            vowel = _RR_MEDIALS[medial]
        else:
            onset = _MR_INITIALS[initial]
            voiced = previous_final is not None and _FINALS[previous_final] in ("", "n", "m", "ng", "l")
            if voiced and initial in _MR_VOICED:
                onset = _MR_VOICED[initial]
            elif initial == _SIOT and medial == _WI:
                onset = "sh"
            vowel = _MR_MEDIALS[medial]
        if initial == _RIEUL and previous_final == _FINAL_RIEUL:
            onset = "l"
        out.append(onset + vowel + _FINALS[final])
        previous_final = final
    return tuple(out)


def romanise_hangul(text: str, *, system: Romanisation = "rr") -> str:
    """The text with every Hangul syllable romanised (see ``romanise_syllables`` for the rules)."""
    return "".join(romanise_syllables(text, system=system))
