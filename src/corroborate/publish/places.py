"""Every spelling of a place named in a restricted value, for the leak scan.

A witness's current location ("Helong, Jilin province") or a place in the
interviewer's notes may be published in another spelling: Hanzi, pinyin
with or without tones, Korean, an older romanisation; a North Korean place
in McCune-Reischauer, Revised Romanisation or Hangul. Places are looked up
in the North Korean gazetteer (``corroborate.domain.Gazetteer``) and in the
list of Chinese places shipped in ``data/china-places.yaml``.

``place_forms`` turns the place part of a location into the word sequences
and the Hangul/Han strings it may be written as, both in the order given and
in the reverse (吉林省和龙市 puts the province first). Pure functions over
shipped data; this module never sees whose location it is.
"""

from __future__ import annotations

import functools
import itertools
import re
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from corroborate.domain import Gazetteer, normalise_place_name, read_data_file

from .romanisation import fold

__all__ = ["ChinesePlace", "ChinesePlaces", "PlaceNames", "chinese_places", "place_forms", "word_spellings"]

_LIMIT = 1024  # word sequences per place phrase, at most
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_HAS_CJK = re.compile(r"[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Romanised administrative suffixes that may follow a name as a word of their own ("Helong-shi",
# "Hamgyong-do"), by the kind of place. English ones (city, province ...) need no spelling here:
# the scanner may step over them anywhere (``leaks.OPTIONAL_WORDS``).
_CHINESE_TOWN: tuple[str, ...] = ("shi", "si", "xian")
_CHINESE_PROVINCE: tuple[str, ...] = ("sheng", "song")
_KOREAN_TOWN: tuple[str, ...] = ("si", "shi", "gun", "kun")
_KOREAN_PROVINCE: tuple[str, ...] = ("do", "to")
_SUFFIXES = frozenset(_CHINESE_TOWN + _CHINESE_PROVINCE + _KOREAN_TOWN + _KOREAN_PROVINCE)
_ENGLISH = frozenset("city county province prefecture municipality district town".split())
_CJK_SUFFIX = re.compile(
    "(?:"
    + "|".join(["朝鲜族自治州", "朝鮮族自治州", "朝鲜族自治县", "朝鮮族自治縣", "满族自治县", "滿族自治縣"])
    + "|"
    + "|".join(["自治州", "自治县", "自治縣", "조선족자치주", "조선족자치현", "만족자치현"])
    + "|[市县縣省镇鎮州시현성진주군도])$"
)


class ChinesePlace(BaseModel):
    """A Chinese place with its written forms."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kind: Literal["province", "municipality", "prefecture", "city", "county", "town"]
    province: str | None = None
    wikipedia: str = Field(description="title of the English Wikipedia article the names follow")
    hanzi: list[str] = Field(min_length=1)
    korean: list[str] = Field(default_factory=list)
    latin: list[str] = Field(min_length=1)


class ChinesePlaces(BaseModel):
    """The shipped list of Chinese places."""

    model_config = ConfigDict(extra="forbid")

    source: str
    places: list[ChinesePlace]


@functools.cache
def chinese_places() -> ChinesePlaces:
    """The Chinese places shipped with Corroborate (read once)."""
    with resources.as_file(resources.files("corroborate.publish.data").joinpath("china-places.yaml")) as path:
        return read_data_file(ChinesePlaces, path, what="place list")


def _words(spelling: str) -> tuple[str, ...]:
    return tuple(fold(m.group()) for m in _WORD.finditer(spelling))


def _stem(spelling: str) -> tuple[str, ...]:
    """A place name's words without the administrative words after it ("Musan-gun" → musan)."""
    words = _words(spelling)
    while len(words) > 1 and (words[-1] in _SUFFIXES or words[-1] in _ENGLISH):
        words = words[:-1]
    return words


def _cjk_forms(written: list[str]) -> set[str]:
    """Written forms with and without their administrative suffix (和龙市, 和龙)."""
    found = set()
    for form in written:
        compact = re.sub(r"\s+", "", form)
        found.add(compact)
        stem = _CJK_SUFFIX.sub("", compact)
        if len(stem) >= 2:
            found.add(stem)
    return found


class _Place:
    """One place's spellings: word sequences, Hangul/Han strings, and the suffix words that may follow it."""

    def __init__(self, latin: set[tuple[str, ...]], cjk: set[str], *, suffixes: tuple[str, ...]) -> None:
        self.latin = latin
        self.cjk = cjk
        self.suffixes = suffixes


class PlaceNames:
    """Places by every spelling (normalised as the gazetteer does)."""

    def __init__(self) -> None:
        self._index: dict[str, list[_Place]] = {}
        for place in chinese_places().places:
            province = place.kind in ("province", "municipality")
            suffixes = _CHINESE_PROVINCE if province else _CHINESE_TOWN
            spelt = _Place({_stem(s) for s in place.latin}, _cjk_forms(place.hanzi + place.korean), suffixes=suffixes)
            self._add(spelt, [*place.latin, *place.hanzi, *place.korean, *_cjk_forms(place.hanzi + place.korean)])
        for nk in Gazetteer.default():
            spellings = nk.spellings()
            latin = {_stem(s) for s in spellings if not _HAS_CJK.search(s)}
            cjk = _cjk_forms([s for s in spellings if _HAS_CJK.search(s)])
            suffixes = _KOREAN_PROVINCE if nk.kind == "province" else _KOREAN_TOWN
            self._add(_Place(latin, cjk, suffixes=suffixes), list(spellings))

    def _add(self, place: _Place, spellings: list[str]) -> None:
        for spelling in spellings:
            key = normalise_place_name(spelling)
            if key:
                entry = self._index.setdefault(key, [])
                if place not in entry:
                    entry.append(place)

    @functools.lru_cache(maxsize=8192)  # noqa: B019 (one index per process, never freed anyway)
    def find(self, text: str) -> list[_Place]:
        """The places spelt ``text`` (an administrative word such as 'province' or '시' may follow)."""
        key = normalise_place_name(text)
        return self._index.get(key, []) or self._index.get(normalise_place_name(_CJK_SUFFIX.sub("", text)), [])


@functools.cache
def _names() -> PlaceNames:
    return PlaceNames()


def word_spellings(word: str) -> tuple[tuple[str, ...], ...]:
    """Every Latin spelling (as words) of the place one word names; () when it names none."""
    found = {spelling for place in _names().find(word) for spelling in place.latin if spelling}
    return tuple(sorted(found))


def place_forms(text: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]] | None:
    """(word sequences, Hangul/Han strings) a place phrase may be written as; None if it names no place.

    The phrase is split at commas ("Helong, Jilin province"); each part is a
    place in any spelling, with any administrative word after it, or is kept
    as written when it names none. Parts are combined in the given order and
    in the reverse one.
    """
    parts = [p.strip() for p in re.split(r"[,\u3001\uff0c]", text) if p.strip()]
    if not parts:
        return None
    resolved = [_names().find(part) for part in parts]
    if not any(resolved):
        return None
    pools: list[list[tuple[str, ...]]] = []
    bare: list[list[tuple[str, ...]]] = []
    cjk_pools: list[list[str]] = []
    for part, places in zip(parts, resolved, strict=True):
        if not places:
            pools.append([_words(part)])
            bare.append([_words(part)])
            cjk_pools.append([re.sub(r"\s+", "", part)] if _HAS_CJK.search(part) else [])
            continue
        spellings = sorted({s for place in places for s in place.latin if s})
        suffixes = sorted({"", *(w for p in places for w in p.suffixes)})
        pools.append([s + ((w,) if w else ()) for s in spellings for w in suffixes])
        bare.append(spellings)
        cjk_pools.append(sorted({s for place in places for s in place.cjk}))
    if _count(pools) > _LIMIT:  # too many: each place in its own spellings, without a suffix
        pools = bare
    sequences: set[tuple[str, ...]] = set()
    strings: set[str] = set()
    for order in (pools, pools[::-1]) if len(pools) > 1 else (pools,):
        sequences.update(tuple(itertools.chain.from_iterable(c)) for c in itertools.product(*order))
    for cjk_order in (cjk_pools, cjk_pools[::-1]) if len(cjk_pools) > 1 else (cjk_pools,):
        if all(cjk_order) and _count(cjk_order) <= _LIMIT:
            strings.update("".join(c) for c in itertools.product(*cjk_order))
    return tuple(sorted(s for s in sequences if s)), tuple(sorted(strings))


def _count(pools: list[list[tuple[str, ...]]] | list[list[str]]) -> int:
    total = 1
    for pool in pools:
        total *= max(len(pool), 1)
    return total
