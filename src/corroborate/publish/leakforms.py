"""What a leak scan looks for: each restricted value turned into the forms it may take in a text.

A name becomes token sequences (every romanisation variant, both orders, the
given name alone when it is distinctive); Hangul and Chinese characters
become character strings; a phone number becomes the digit strings it may be
written as; a full birth date becomes a calendar date; a location or a free
note becomes the phrases and tokens that are distinctive in it, a place in
it spelt every way the gazetteer and the list of Chinese places know.
Values are first put in reader form (``readertext``), as the texts scanned
are, so the two sides meet.

Needles hold restricted values, so they must never be logged, printed or put
in an error message; ``Needle.__repr__`` hides them.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from corroborate.domain import RestrictedIdentity

from .places import place_forms, word_spellings
from .readertext import reader_text
from .romanisation import fold, hangul_variants, is_surname, segment, spell_product, surname_variants, syllable_variants

__all__ = ["TOKEN", "Needle", "needles_of", "token_key"]

# A word: letters and digits (not Hangul or Han, scanned on their own), with
# apostrophes inside (Ch'ol) but not a possessive 's.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD_CHAR = rf"[^\W_{_CJK}]"
TOKEN = re.compile(rf"{_WORD_CHAR}(?:{_WORD_CHAR}|[\u0300-\u036f]|['\u2019\u02bc\u02bb](?={_WORD_CHAR})(?![sS]\b))*")
_HAS_CJK = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}][{_CJK}\\s\u200b-\u200d]*")
_PHONE_SHAPE = re.compile(r"\+?[\d\s().\-/\u2010-\u2015]+")
_LABEL = re.compile(r"^[A-Za-z][A-Za-z .\-]{0,24}:\s*")
_CLAUSE = re.compile(r"[.;:!?()\[\]\n]+")
_VARIANT_LIMIT = 1024
SHINGLE = 5
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves one two three four five six seven
    several many much often again ever never always still yet may might must shall via per told said says say
    asked who whose within without upon among around across along near soon later early late day days week weeks
    month months year years time times people person man woman men women interview interviewed""".split()
)


@dataclass(frozen=True)
class Needle:
    """One form of one restricted value of one witness."""

    kind: str  # tokens | cjk | phone | date
    witness: str
    field: str  # the RestrictedIdentity field
    detail: str  # what was found ("full name", "given name", "phone number" ...), never the value
    variants: tuple[tuple[str, ...], ...] = dataclasses.field(default=(), repr=False)  # tokens: spellings per unit
    strings: tuple[str, ...] = dataclasses.field(default=(), repr=False)  # cjk, phone
    day: date | None = dataclasses.field(default=None, repr=False)  # date
    boundary: bool = False  # cjk: must start a word
    alone: bool = False  # tokens: a given name without its surname, held to a stricter standard


def token_key(word: str) -> str:
    """The look-up form of a word of text: folded, without accents or apostrophes."""
    return word.lower() if word.isascii() and "'" not in word else fold(word)


def _words(text: str) -> list[str]:
    return [token_key(m.group()) for m in TOKEN.finditer(text)]


# ----------------------------------------------------------------- names


def _units(word: str, *, surname: bool) -> list[tuple[str, bool]]:
    """The units of a word of a name as (folded spelling, is a romanised syllable)."""
    if surname:
        return [(fold(word), True)]
    units: list[tuple[str, bool]] = []
    for part in re.split(r"[\-\u2010-\u2015']+", word):
        key = fold(part)
        if not key:
            continue
        syllables = segment(key)
        if syllables:
            units.extend((s, True) for s in syllables)
        else:
            units.append((key, False))
    return units


def _spellings(units: list[tuple[str, bool]], *, broad: bool = True) -> list[frozenset[str]]:
    return [syllable_variants(u, broad=broad) if syllable else frozenset({u}) for u, syllable in units]


def _product(pools: list[frozenset[str]], narrow: list[frozenset[str]]) -> tuple[tuple[str, ...], ...]:
    for candidate in (pools, narrow, [frozenset({min(p, key=len)}) for p in narrow]):
        found = spell_product(candidate, limit=_VARIANT_LIMIT)
        if found is not None:
            return tuple(found)
    return ()


def name_needles(value: str, witness: str, field_name: str) -> Iterator[Needle]:
    """A Latin-letter name as token sequences: full name in both orders, given name alone if distinctive."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if fold(w)]
    if not words:
        return
    single = [len(re.split(r"[\-\u2010-\u2015]+", w)) == 1 for w in words]
    position: int | None = None
    if len(words) >= 2 and single[0] and is_surname(words[0]):
        position = 0
    elif len(words) >= 2 and single[-1] and is_surname(words[-1]):
        position = len(words) - 1
    label = "name" if field_name == "name" else "alias"
    if position is None:
        units = [u for w in words for u in _units(w, surname=False)]
        orders = [units]
        if len(words) == 2:
            orders.append(_units(words[1], surname=False) + _units(words[0], surname=False))
        for order in orders:
            variants = _product(_spellings(order), _spellings(order, broad=False))
            yield Needle("tokens", witness, field_name, f"full {label}", variants=variants)
        return
    surname = fold(words[position])
    given = [u for n, w in enumerate(words) if n != position for u in _units(w, surname=False)]
    given_pools, given_narrow = _spellings(given), _spellings(given, broad=False)
    family = surname_variants(surname)
    for pools, narrow in (
        ([family, *given_pools], [family, *given_narrow]),
        ([*given_pools, family], [*given_narrow, family]),
    ):
        yield Needle("tokens", witness, field_name, f"full {label}", variants=_product(pools, narrow))
    letters = sum(len(u) for u, _ in given)
    if len(given) >= 2 and all(s for _, s in given) and letters >= 4:
        yield Needle(
            "tokens",
            witness,
            field_name,
            f"given {label}" if label == "name" else "alias (given name)",
            variants=_product(given_pools, given_narrow),
            alone=True,
        )


def cjk_needles(value: str, witness: str, field_name: str, detail: str) -> Iterator[Needle]:
    """Hangul (and Han) names as character strings; a bare given name must start a word."""
    compact = "".join(ch for ch in unicodedata.normalize("NFC", value) if _HAS_CJK.match(ch))
    if len(compact) < 2:
        return
    if re.fullmatch(r"[\uac00-\ud7a3]+", compact):
        full, givens = hangul_variants(compact)
    else:
        full, givens = frozenset({compact}), frozenset()
    yield Needle("cjk", witness, field_name, detail, strings=tuple(sorted(full)), boundary=len(compact) < 3)
    if givens:
        yield Needle("cjk", witness, field_name, f"given {detail}", strings=tuple(sorted(givens)), boundary=True)


# --------------------------------------------------------------- contacts


_CALLING_CODES = (
    "850 852 853 855 856 886 976 1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 "
    "51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
).split()


def phone_numbers(value: str) -> tuple[str, ...]:
    """The digit strings a phone number may be written as: national number (no trunk 0, no country code)."""
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    found: set[str] = set()
    international = text.startswith("+") or digits.startswith("00")
    if international:
        rest = digits[2:] if not text.startswith("+") and digits.startswith("00") else digits
        codes = [c for c in _CALLING_CODES if rest.startswith(c)] or [rest[:n] for n in (1, 2, 3)]
        found.update(rest[len(c) :].lstrip("0") for c in codes)
        found.add(rest)
    elif digits.startswith("0"):
        found.add(digits.lstrip("0"))
    else:
        found.add(digits)
    return tuple(sorted(n for n in found if len(n) >= 7))


def contact_needles(value: str, witness: str) -> Iterator[Needle]:
    """A phone number as digits; a handle or e-mail address as a token sequence."""
    body = _LABEL.sub("", value.strip())
    if _PHONE_SHAPE.fullmatch(body) and len(re.sub(r"\D", "", body)) >= 7:
        numbers = phone_numbers(body)
        if numbers:
            yield Needle("phone", witness, "contacts", "phone number", strings=numbers)
        return
    if _HAS_CJK.search(body):
        yield from cjk_needles(body, witness, "contacts", "contact")
    words = _words(body.lstrip("@"))
    if len(words) >= 2 or (words and len(words[0]) >= 4):
        yield Needle("tokens", witness, "contacts", "handle or address", variants=(tuple(words),))


# ------------------------------------------------------ locations, notes


def _content(words: list[str]) -> int:
    return sum(1 for w in words if len(w) >= 3 and w not in _STOPWORDS and not w.isdigit())


def location_needles(value: str, witness: str) -> Iterator[Needle]:
    """The whole location; its place part in every spelling (or as written, when two words or more and
    no known place); each distinctive detail."""
    seen: set[tuple[str, ...]] = set()

    def phrase(words: list[str], detail: str) -> Iterator[Needle]:
        if tuple(words) not in seen:
            seen.add(tuple(words))
            yield Needle("tokens", witness, "current_location", detail, variants=(tuple(words),))

    whole = _words(value)
    if len(whole) >= 2 or (whole and len(whole[0]) >= 4 and whole[0] not in _STOPWORDS):
        yield from phrase(whole, "location")
    head, *details = re.split(r"[()\[\];]", value)
    head_words = _words(head)
    places = place_forms(head)
    if places is not None:
        sequences, strings = places
        seen.update(sequences)
        yield Needle("tokens", witness, "current_location", "place", variants=sequences)
        if strings:
            short = min(len(s) for s in strings) < 3
            yield Needle("cjk", witness, "current_location", "place", strings=strings, boundary=short)
    elif len(head_words) >= 2:
        yield from phrase(head_words, "place")
    for detail in details:
        words = _words(detail)
        if len(words) >= 3 and _content(words) >= 2:
            yield from phrase(words, "location detail")
    if _HAS_CJK.search(value):
        yield from cjk_needles(value, witness, "current_location", "location")


_KOREAN_NAME = re.compile(r"\b([A-Z][a-z]{0,5})\s+([A-Z][a-z]+(?:-[A-Za-z][a-z]+)+|[A-Z][a-z]+\s+[A-Z][a-z]+)\b")


def note_needles(value: str, witness: str) -> Iterator[Needle]:
    """Distinctive parts of a free note: names, Hangul, numbers and identifiers, five-word phrases."""
    for match in _KOREAN_NAME.finditer(value):
        if is_surname(match.group(1)):
            for needle in name_needles(match.group(0), witness, "notes"):
                if needle.detail.startswith("full"):
                    yield Needle("tokens", witness, "notes", "name in notes", variants=needle.variants)
    for run in _CJK_RUN.findall(value):
        yield from cjk_needles(run, witness, "notes", "Hangul or Han text in notes")
    for number in re.findall(r"\+?\d[\d\s().\-]{5,}\d", value):
        if len(re.sub(r"\D", "", number)) >= 7:
            yield from contact_needles(number, witness)
    for word in {w for w in _words(value) if len(w) >= 4 and re.search(r"\d", w) and re.search(r"[^\W\d]", w)}:
        yield Needle("tokens", witness, "notes", "identifier in notes", variants=((word,),))
    seen: set[tuple[str, ...]] = set()
    for clause in _CLAUSE.split(value):
        words = _words(clause)
        windows = [words] if len(words) < SHINGLE else [words[i : i + SHINGLE] for i in range(len(words) - SHINGLE + 1)]
        for window in windows:
            if len(window) >= 3 and _content(window) >= 3 and tuple(window) not in seen:
                seen.add(tuple(window))
                yield Needle("tokens", witness, "notes", "phrase from notes", variants=_respelt(window))


def _respelt(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """A phrase with each place in it in every Latin spelling (the phrase as written when there are too many)."""
    pools = [word_spellings(w) or ((w,),) for w in words]
    if len(pools) == sum(len(p) for p in pools) or math.prod(len(p) for p in pools) > _VARIANT_LIMIT:
        return (tuple(words),)
    return tuple(sorted({tuple(w for part in choice for w in part) for choice in itertools.product(*pools)}))


# ------------------------------------------------------------ everything


def birth_day(value: str | None) -> date | None:
    """The birth date when the restricted value is one full day, else None."""
    if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def needles_of(witness: str, identity: RestrictedIdentity) -> Iterator[Needle]:
    """Every needle for one witness's restricted identity (its values in reader form first)."""
    identity = identity.model_copy(
        update={
            name: (
                [reader_text(v).text for v in value]
                if isinstance(value, list)
                else reader_text(value).text
                if isinstance(value, str) and name != "birth_date"
                else value
            )
            for name, value in identity
        }
    )
    names = [("name", identity.name), ("name_hangul", identity.name_hangul)]
    for field_name, value in [*names, *(("aliases", a) for a in identity.aliases)]:
        if not value:
            continue
        # A value may mix scripts ("Kim Young-hee (김영희)"): each script is scanned its own way.
        for run in _CJK_RUN.findall(value):
            yield from cjk_needles(run, witness, field_name, "alias" if field_name == "aliases" else "Hangul name")
        latin = _CJK_RUN.sub(" ", value)
        if _words(latin):
            yield from name_needles(re.sub(r"[()\[\]/;]", " ", latin), witness, field_name)
    for contact in identity.contacts:
        yield from contact_needles(contact, witness)
    day = birth_day(identity.birth_date)
    if day is not None:
        yield Needle("date", witness, "birth_date", "birth date", day=day)
    if identity.current_location:
        yield from location_needles(identity.current_location, witness)
    if identity.notes:
        yield from note_needles(identity.notes, witness)
