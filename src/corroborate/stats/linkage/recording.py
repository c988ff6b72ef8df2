"""How one list writes down a person: a name in Hangul or in a romanisation, a home town, with mistakes.

Used by the population generator (``population.py``). Each function takes the list's recording
style, a ``random.Random`` and the rates of ``Noise``, and says which mistakes it made, so that
benchmarks can tell the generator's truth from what a list shows.
"""

from __future__ import annotations

import functools
import random
import string
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Literal

from corroborate.domain import Place

from .hangul import romanise_syllables
from .names import FAMILY_NAMES

__all__ = ["STYLES", "Noise", "Style", "record_event", "record_name", "record_place"]

Style = Literal["hangul", "rr", "mr", "adhoc"]
STYLES: tuple[Style, ...] = ("hangul", "rr", "mr", "adhoc")


@dataclass(frozen=True)
class Noise:
    """How often a list's record differs from the truth; every rate is a probability per record."""

    swap: float = 0.2  # romanised lists: family name written after the given name
    typo: float = 0.05  # one letter wrong, missing, doubled or swapped (Hangul: a syllable's final)
    age_only: float = 0.15  # an age at the interview date instead of a birth year
    year_off: float = 0.1  # of the other records: birth year off by one (three times in four) or two
    duplicate: float = 0.03  # the person recorded a second time on the same list
    place_variant: float = 0.3  # home town written as one of the gazetteer's other spellings
    event_missing: float = 0.3  # an event's date (crossing, arrest, repatriation) not on the record
    event_vague: float = 0.4  # of the dates recorded: the month only (four times in five) or the year only
    event_off: float = 0.1  # of the other dates: remembered up to 45 days off

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"noise rate {item.name} must be between 0 and 1, not {value}")


# North Korean spelling keeps an initial ㄹ (and ㄴ before i/y) that South Korean spelling drops.
_NORTH_FORMS = dict(zip("이유임노나양염연육", "리류림로라량렴련륙", strict=True))
_NORTH_SHARE = 0.3  # of Hangul records of such family names
# Given name syllables: Yeong-cheol (45%), Yeongcheol (35%), else Yeong Cheol.
_HYPHEN_SHARE, _JOINED_SHARE = 0.45, 0.35
_SHOUT_SHARE = 0.15  # family name in capitals: KIM Young-chol
_ASCII_MR_SHARE = 0.5  # MR lists typing ŏ and ŭ as o and u
_NO_APOSTROPHE_SHARE = 0.3  # MR lists dropping the aspiration apostrophes
# Ad hoc (English-language press and NGO) spellings of RR vowels, tried longest first.
_ADHOC_VOWELS = (
    ("yeo", ("you", "yo", "yeo", "yu")), ("eo", ("u", "o", "eo")), ("eu", ("u", "eu")), ("ui", ("ee", "ui", "i")),
    ("ae", ("ae", "ai")), ("u", ("oo", "u", "u")), ("i", ("ee", "i", "i", "i")),
)  # fmt: skip
_ADHOC_ONSETS = {"g": ("k", "g"), "d": ("t", "d"), "b": ("p", "b"), "j": ("ch", "j", "j")}
# Finals a mishearing of a Hangul syllable tends to swap: none, ㄴ, ㅇ, ㄹ, ㅁ, ㄱ.
_TYPO_FINALS = (0, 4, 21, 8, 16, 1)


@functools.cache
def _family_spellings() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for name, hangul, spellings, _ in FAMILY_NAMES:
        for word in hangul.split():
            table[word] = (name, *spellings.split())
    return table


@functools.cache
def _syllables(hangul: str, system: Literal["rr", "mr"]) -> tuple[str, ...]:
    return romanise_syllables(hangul, system=system)


def _ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _adhoc_syllable(syllable: str, rng: random.Random) -> str:
    onset = next((o for o in ("ch", "g", "d", "b", "j") if syllable.startswith(o)), "")
    rest = syllable[len(onset) :]
    if onset in _ADHOC_ONSETS:
        onset = rng.choice(_ADHOC_ONSETS[onset])
    for vowel, spellings in _ADHOC_VOWELS:
        at = rest.find(vowel)
        if at >= 0:
            rest = rest[:at] + rng.choice(spellings) + rest[at + len(vowel) :]
            break
    return onset + rest


def _romanised_family(family: str, style: Style, rng: random.Random) -> str:
    spellings = _family_spellings().get(family)
    if style == "adhoc" and spellings:
        return spellings[0] if rng.random() < 0.5 else rng.choice(spellings)
    if style == "rr" and spellings and rng.random() < 0.6:
        return spellings[0]  # the conventional spelling: Kim, Lee, Park
    system: Literal["rr", "mr"] = "mr" if style == "mr" else "rr"
    written = "".join(_syllables(family, system))
    if system == "mr" and written == "i":
        written = "yi"  # MR's usual spelling of 이 (리 stays Ri)
    return written[:1].upper() + written[1:]


def _romanised_given(given: str, style: Style, rng: random.Random) -> str:
    if style == "adhoc":
        parts = [_adhoc_syllable(s, rng) for s in _syllables(given, "rr")]
    else:
        parts = list(_syllables(given, "mr" if style == "mr" else "rr"))
    draw = rng.random()
    if draw >= _HYPHEN_SHARE + _JOINED_SHARE:
        return " ".join(p[:1].upper() + p[1:] for p in parts)
    text = ("-" if draw < _HYPHEN_SHARE else "").join(parts)
    return text[:1].upper() + text[1:]


def _latin_typo(text: str, rng: random.Random) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(positions) < 3:
        return text
    at = rng.choice(positions[1:])
    kind = rng.randrange(4)
    before = positions[positions.index(at) - 1]
    if kind == 0:  # a wrong letter
        wrong = rng.choice(string.ascii_lowercase.replace(text[at].lower(), ""))
        return text[:at] + wrong + text[at + 1 :]
    if kind == 1 or text[before] == text[at]:  # a letter missing (also instead of swapping two alike)
        return text[:at] + text[at + 1 :]
    if kind == 2:  # a letter doubled
        return text[: at + 1] + text[at:]
    return text[:before] + text[at] + text[before + 1 : at] + text[before] + text[at + 1 :]  # two swapped


def _hangul_typo(given: str, rng: random.Random) -> str:
    at = rng.randrange(len(given))
    code = ord(given[at]) - 0xAC00
    final = code % 28
    new_final = rng.choice([f for f in _TYPO_FINALS if f != final])
    return given[:at] + chr(0xAC00 + code - final + new_final) + given[at + 1 :]


def record_name(family: str, given: str, style: Style, rng: random.Random, noise: Noise) -> tuple[str, list[str]]:
    """A Hangul name as a list of this style writes it, and the mistakes made ("swap", "typo")."""
    made: list[str] = []
    if style == "hangul":
        if family in _NORTH_FORMS and rng.random() < _NORTH_SHARE:
            family = _NORTH_FORMS[family]
        if rng.random() < noise.typo:
            given = _hangul_typo(given, rng)
            made.append("typo")
        return family + (" " if rng.random() < 0.2 else "") + given, made
    written_family = _romanised_family(family, style, rng)
    written_given = _romanised_given(given, style, rng)
    if style == "mr":
        if rng.random() < _ASCII_MR_SHARE:
            written_family, written_given = _ascii(written_family), _ascii(written_given)
        if rng.random() < _NO_APOSTROPHE_SHARE:
            written_family, written_given = written_family.replace("'", ""), written_given.replace("'", "")
    if rng.random() < _SHOUT_SHARE:
        written_family = written_family.upper()
    if rng.random() < noise.swap:
        name = f"{written_given} {written_family}"
        made.append("swap")
    else:
        name = f"{written_family} {written_given}"
    if rng.random() < noise.typo:
        name = _latin_typo(name, rng)
        made.append("typo")
    return name, made


def record_place(place: Place, style: Style, rng: random.Random, noise: Noise) -> tuple[str, list[str]]:
    """A home town as a list of this style writes it, and whether one of its variants was used."""
    if place.variants and rng.random() < noise.place_variant:
        return rng.choice(place.variants), ["place_variant"]
    if style == "hangul":
        return place.hangul, []
    if style == "rr":
        return place.rr, []
    if style == "mr":
        return (place.mr if rng.random() >= _ASCII_MR_SHARE else _ascii(place.mr)), []
    return place.name, []


def record_event(day: str | None, rng: random.Random, noise: Noise) -> tuple[str | None, list[str]]:
    """An event's date (ISO) as a list writes it: missing, to the month or the year only, or a few weeks off;
    and which of these mistakes it made."""
    if day is None:
        return None, []
    if rng.random() < noise.event_missing:
        return None, ["event_missing"]
    if rng.random() < noise.event_vague:
        return (day[:7], ["event_month"]) if rng.random() < 0.8 else (day[:4], ["event_year"])
    if rng.random() < noise.event_off:
        moved = date.fromisoformat(day) + timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 45))
        return moved.isoformat(), ["event_off"]
    return day, []
