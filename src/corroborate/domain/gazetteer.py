"""The gazetteer of North Korea: one place for every spelling of its name.

Korean place names reach an investigation in McCune-Reischauer with or
without diacritics, in Revised Romanisation, in Hangul, under former names
and in ad-hoc spellings (Chongjin, Ch'ŏngjin, Cheongjin, 청진, Chungjin).
``normalise_place_name`` folds them to one key and ``Gazetteer`` maps keys to
``Place`` records loaded from ``data/gazetteer.yaml``.

Pure domain code: stdlib and PyYAML only, no I/O besides reading the shipped
data file. A spelling that maps to two places is refused when the gazetteer
is built, so a look-up can never silently pick one of two homonyms.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from corroborate.errors import DataFileInvalid, Problem, UnknownPlace

from .datafile import shipped_yaml

__all__ = ["BORDER_RIVERS", "PLACE_KINDS", "Gazetteer", "Place", "normalise_place_name", "parse_gazetteer"]

PLACE_KINDS: frozenset[str] = frozenset(
    {"province", "special_city", "directly_governed_city", "city", "county", "district", "workers_district"}
)
BORDER_RIVERS: frozenset[str] = frozenset({"yalu", "tumen"})

# English administrative words that may trail a name after a space, hyphen or
# dot ("Hoeryong City", "Musan-gun", "Chongjin-si", "Hamgyeongbuk-do").
# Longest first so that "special city" wins over "city".
_ENGLISH_SUFFIXES = sorted(
    (
        "si|shi|city|county|gun|kun|do|to|province|prov|guyok|kuyok|district|ward|ri|li|ni|dong|tong|up|eup"
        "|rodongjagu|nodongjagu|lodongjagu|workers district|special city|directly governed city"
    ).split("|"),
    key=len,
    reverse=True,
)
_SEPARATORS = r"[\s\-\u2010-\u2015_.,/]+"
_ENGLISH_SUFFIX_RE = re.compile(_SEPARATORS + "(?:" + "|".join(re.escape(s) for s in _ENGLISH_SUFFIXES) + r")\W*$")

# Hangul administrative suffixes (North Korean spellings with initial r kept).
_HANGUL_SUFFIXES = tuple("로동자구 노동자구 특별시 직할시 구역 시 군 구 도 리 동 읍".split())
# A Hangul suffix is only removed when at least this many characters remain,
# so that two-syllable names ending in a suffix syllable (신도, 강동, 우시,
# 벽동) keep it.
_MIN_HANGUL_STEM = 2

_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u201b\""


def _fold(text: str) -> str:
    """Casefold and strip diacritics (ŏ→o, ŭ→u) until stable; Hangul recomposed (NFC)."""
    for _ in range(4):
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Mc", "Me"))
        folded = stripped.casefold()
        if folded == text:
            break
        text = folded
    return unicodedata.normalize("NFC", text)


def _strip_english_suffixes(text: str) -> str:
    while True:
        match = _ENGLISH_SUFFIX_RE.search(text)
        if match is None or match.start() == 0:
            return text
        stem = text[: match.start()]
        if not any(ch.isalnum() for ch in stem):
            return text
        text = stem


def _strip_hangul_suffixes(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _HANGUL_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= _MIN_HANGUL_STEM:
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def normalise_place_name(text: str) -> str:
    """The look-up key of a place name: case, accents, apostrophes, separators and admin suffixes ignored."""
    folded = _fold(text)
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    folded = _strip_english_suffixes(folded.strip())
    key = unicodedata.normalize("NFC", "".join(ch for ch in folded if ch.isalnum()))
    return _strip_hangul_suffixes(key)


@dataclass(frozen=True)
class Place:
    """One administrative unit of North Korea with its spellings and a point."""

    id: str
    name: str
    kind: str
    hangul: str
    mr: str
    rr: str
    variants: tuple[str, ...]
    province: str | None
    lat: float
    lon: float
    border: str | None

    def spellings(self) -> tuple[str, ...]:
        """Every spelling the place answers to: name, MR, RR, Hangul, then variants."""
        return (self.name, self.mr, self.rr, self.hangul, *self.variants)


class Gazetteer:
    """Places indexed by every normalised spelling; look-ups by name or id."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: list[Place] = list(places)
        self._by_id: dict[str, Place] = {}
        self._index: dict[str, Place] = {}
        problems: list[str] = []
        for place in self._places:
            if place.id in self._by_id:
                problems.append(f"duplicate id {place.id!r}")
            self._by_id[place.id] = place
        # Canonical names are indexed before other spellings so that a
        # reported clash names the place whose name is taken.
        ordered = [(p, p.name) for p in self._places]
        ordered += [(p, s) for p in self._places for s in p.spellings()[1:]]
        for place, spelling in ordered:
            key = normalise_place_name(spelling)
            if not key:
                problems.append(f"{place.id}: spelling {spelling!r} normalises to nothing")
                continue
            other = self._index.setdefault(key, place)
            if other.id != place.id:
                problems.append(
                    f"spelling {spelling!r} of {place.id!r} normalises to {key!r}, already used by {other.id!r}"
                )
        if problems:
            # No homonyms are allowed: two places of one name must be told
            # apart in the data by a qualified spelling, never by guessing.
            raise ValueError("ambiguous or invalid gazetteer:\n  " + "\n  ".join(problems))
        self._keys: list[str] = list(self._index)

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer shipped with Corroborate (loaded once, then cached)."""
        return _default_gazetteer()

    def find(self, name: str) -> Place | None:
        """The place with this spelling, or None."""
        return self._index.get(normalise_place_name(name))

    def lookup(self, name: str) -> Place:
        """The place with this spelling; UnknownPlace (with suggestions) if there is none."""
        place = self.find(name)
        if place is None:
            raise UnknownPlace(name, self.suggest(name))
        return place

    def suggest(self, name: str, *, limit: int = 5) -> list[str]:
        """Canonical names of the places whose spellings come closest to this one, best first."""
        key = normalise_place_name(name)
        if not key or limit <= 0:
            return []
        names: list[str] = []
        for match in difflib.get_close_matches(key, self._keys, n=limit * 4, cutoff=0.6):
            canonical = self._index[match].name
            if canonical not in names:
                names.append(canonical)
            if len(names) == limit:
                break
        return names

    def get(self, place_id: str) -> Place:
        """The place with this id; KeyError if there is none."""
        return self._by_id[place_id]

    def provinces(self) -> list[Place]:
        """The provinces, in data order."""
        return [place for place in self._places if place.kind == "province"]

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.find(name) is not None


# --------------------------------------------------------------------- loading

_REQUIRED = ("id", "name", "kind", "hangul", "mr", "rr", "province", "lat", "lon", "border")
_OPTIONAL = ("variants", "coord_source")


def _text(entry: Mapping[str, Any], field: str, where: str, problems: list[str]) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {field} must be a non-empty string")
        return ""
    return value


def _optional_text(entry: Mapping[str, Any], field: str, where: str, problems: list[str]) -> str | None:
    return None if entry.get(field) is None else _text(entry, field, where, problems)


def _number(entry: Mapping[str, Any], field: str, where: str, problems: list[str]) -> float:
    value = entry.get(field)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{where}: {field} must be a number")
        return 0.0
    return float(value)


def _parse_place(entry: Any, position: int, problems: list[str]) -> Place | None:
    if not isinstance(entry, dict):
        problems.append(f"places[{position}]: must be a mapping")
        return None
    where = f"places[{position}] ({entry.get('id', '?')})"
    for field in sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL)):
        problems.append(f"{where}: unknown field {field!r}")
    for field in _REQUIRED:
        if field not in entry:
            problems.append(f"{where}: missing field {field!r}")
    variants = entry.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        problems.append(f"{where}: variants must be a list of non-empty strings")
        variants = []
    kind = _text(entry, "kind", where, problems)
    if kind and kind not in PLACE_KINDS:
        problems.append(f"{where}: kind {kind!r} is not one of {sorted(PLACE_KINDS)}")
    border = _optional_text(entry, "border", where, problems)
    if border is not None and border not in BORDER_RIVERS:
        problems.append(f"{where}: border {border!r} is not one of {sorted(BORDER_RIVERS)} or null")
    return Place(
        id=_text(entry, "id", where, problems),
        name=_text(entry, "name", where, problems),
        kind=kind,
        hangul=_text(entry, "hangul", where, problems),
        mr=_text(entry, "mr", where, problems),
        rr=_text(entry, "rr", where, problems),
        variants=tuple(variants),
        province=_optional_text(entry, "province", where, problems),
        lat=_number(entry, "lat", where, problems),
        lon=_number(entry, "lon", where, problems),
        border=border,
    )


def parse_gazetteer(text: str, *, origin: str = "gazetteer") -> Gazetteer:
    """Build a gazetteer from YAML text; DataFileInvalid listing every problem at once."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        message = f"{origin} is not valid YAML" + (f", line {line}" if line else "")
        raise DataFileInvalid("gazetteer", [Problem(origin, line, "", message)], summary=message) from None
    return gazetteer_from_data(data, origin=origin)


def gazetteer_from_data(data: object, *, origin: str = "gazetteer") -> Gazetteer:
    """Build a gazetteer from its data (a mapping with a `places` list); DataFileInvalid lists every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        message = f"{origin} must be a mapping with a 'places' list"
        raise DataFileInvalid("gazetteer", [Problem(origin, None, "", message)], summary=message)
    problems: list[str] = []
    places = [p for i, e in enumerate(data["places"]) if (p := _parse_place(e, i, problems)) is not None]
    names = {p.name: p for p in places}
    for place in places:
        if place.province is None:
            continue
        parent = names.get(place.province)
        if parent is None or parent.kind not in ("province", "special_city", "directly_governed_city"):
            problems.append(f"{place.id}: province {place.province!r} is not a province or top-level city here")
    if problems:
        found = [Problem(origin, None, *(problem.split(": ", 1) if ": " in problem else ("", problem)))
                 for problem in problems]  # fmt: skip
        raise DataFileInvalid("gazetteer", found, summary=f"invalid {origin}:\n  " + "\n  ".join(problems))
    return Gazetteer(places)


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return gazetteer_from_data(shipped_yaml("corroborate.domain.data", "gazetteer.yaml"), origin="shipped gazetteer")
