"""Romanised Korean names: syllables, their spellings, and the variants a leak scan must recognise.

A Korean name reaches a text in McCune-Reischauer (Ch'ŏl-min), Revised
Romanisation (Cheol-min), North Korean practice (Ri, Rim) or ad-hoc spellings
(Chul-min, Lee, Rhee). Variants are built per syllable: a syllable's spellings
are the union of the equivalence classes that contain it (tables below) and
of a few regular alternations (k/g, ch/j, eo/o/u, yeo/yo/yu, ee/i/ui …).
A name's variants are the products of its syllables' spellings.

Pure functions over strings; this module never sees which witness a name
belongs to and never logs anything.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "SURNAME_SPELLINGS",
    "fold",
    "hangul_variants",
    "is_surname",
    "segment",
    "spell_product",
    "surname_variants",
    "syllable_variants",
]

# Surnames: each tuple is the spellings of one surname (or of surnames that
# one romanisation cannot tell apart, which is the same for a leak scan).
_SURNAME_CLASSES: tuple[tuple[str, ...], ...] = (
    ("lee", "yi", "ri", "rhee", "i", "li", "rhie", "yee", "lie", "ree"),
    ("kim", "gim", "keem", "kym"),
    ("park", "pak", "bak", "bahk", "pack", "parck"),
    ("choi", "choe", "chwe", "choy", "chey", "choei"),
    ("jung", "jeong", "chung", "jong", "chong", "cheong", "joung", "jeung"),
    ("kang", "gang", "kahng"),
    ("cho", "jo", "joe", "choh", "jho"),
    ("yoon", "yun", "youn", "yoen"),
    ("shin", "sin", "shinn", "seen"),
    ("han", "hahn"),
    ("oh", "o", "oe"),
    ("seo", "so", "suh", "soh", "sur"),
    ("hwang", "whang", "hwhang"),
    ("song", "soung"),
    ("lim", "im", "rim", "yim", "leem", "lym", "rhim"),
    ("jang", "chang", "zang"),
    ("jeon", "jon", "chon", "chun", "jun", "cheon", "jeun"),
    ("ryu", "yu", "yoo", "rhyu", "ryoo", "lyu", "you", "yeu"),
    ("ahn", "an", "ahan"),
    ("nam",),
    ("ko", "go", "koh", "goh"),
    ("moon", "mun", "mune"),
    ("yang", "ryang"),
    ("son", "sohn"),
    ("bae", "pae", "bai", "pai", "bay"),
    ("baek", "paek", "baik", "paik", "back", "baeg"),
    ("heo", "ho", "hur", "huh", "hu", "hoe"),
    ("noh", "no", "roh", "ro", "rho"),
    ("ha", "hah"),
    ("kwak", "gwak", "kwack"),
    ("seong", "sung", "sŏng", "song"),
    ("cha", "char"),
    ("ju", "joo", "chu", "choo"),
    ("woo", "u", "wu"),
    ("min",),
    ("na", "ra", "nah", "rah"),
    ("jin", "chin"),
    ("ji", "chi", "jee", "chee"),
    ("eom", "um", "uhm", "om"),
    ("won",),
    ("chae", "chai", "che"),
    ("kwon", "gwon", "kwun"),
    ("hong",),
    ("kye", "gye", "kay"),
    ("byun", "byeon", "pyon", "pyun", "byon"),
    ("ryom", "yeom", "yom", "youm", "ryeom"),
    ("tak", "tahk"),
    ("hyun", "hyeon", "hyon"),
    ("namgung", "namkung"),
    ("hwangbo",),
    ("jegal", "chegal"),
    ("seonu", "sonu", "sunwoo"),
)

# Given-name syllables whose common spellings the regular alternations below
# do not produce (Young/Ryong, Ock, Sook, Hee/Hui, Kee, Mee ...).
_SYLLABLE_CLASSES: tuple[tuple[str, ...], ...] = (
    ("young", "yong", "yeong", "yung", "ryong", "ryeong", "lyong", "ryung", "youn"),
    ("hee", "hui", "heui", "hi", "huy"),
    ("sun", "seon", "son", "soon", "seun"),
    ("ok", "ock", "og", "ohk"),
    ("chul", "cheol", "chol", "chel"),
    ("il", "ill", "eel"),
    ("soo", "su", "sou"),
    ("sook", "suk", "sug"),
    ("ja", "cha", "jah"),
    ("kyung", "kyeong", "gyeong", "kyong", "gyong", "kyoung", "kyeung"),
    ("hyun", "hyeon", "hyon", "hyoun"),
    ("seok", "sok", "suk", "seog", "suck"),
    ("mi", "mee"),
    ("ki", "gi", "kee", "ghee"),
    ("eun", "un", "eunn"),
    ("hye", "hae", "hyae"),
    ("myong", "myeong", "myung", "myoung"),
    ("hyok", "hyeok", "hyuk", "hyeog", "hyouk"),
    ("ri", "ree", "rhee", "li", "lee", "yi"),
    ("rye", "ye", "lye"),
    ("ryon", "yeon", "yon", "ryeon", "lyon", "youn"),
    ("jung", "jeong", "chung", "chong", "jong", "joung"),
    ("gum", "kum", "geum", "keum"),
    ("ho", "hoh"),
    ("nam", "nahm"),
)

_ONSET = r"(tch|kk|gg|tt|dd|pp|bb|ss|jj|ch|sh|k|g|t|d|p|b|j|s|r|l|h|m|n|)"
_VOWEL = r"(yeo|yoo|you|yae|ye|ya|yo|yu|wae|weo|wa|we|wi|wo|eui|eo|eu|ae|ai|oe|oo|ee|ui|a|e|i|o|u)"
_CODA = r"(ng|ck|n|m|l|r|k|p|t|g|b)?"
_SYLLABLE = re.compile(_ONSET + _VOWEL + _CODA)

_ONSET_ALTS = {
    "k": ("k", "g"), "g": ("g", "k"), "kk": ("kk", "gg", "k"), "gg": ("gg", "kk", "g"),
    "t": ("t", "d"), "d": ("d", "t"), "tt": ("tt", "dd", "t"), "dd": ("dd", "tt", "d"),
    "p": ("p", "b"), "b": ("b", "p"), "pp": ("pp", "bb", "p"), "bb": ("bb", "pp", "b"),
    "ch": ("ch", "j"), "j": ("j", "ch"), "jj": ("jj", "tch", "j"), "tch": ("tch", "jj", "ch"),
    "s": ("s", "sh"), "sh": ("sh", "s"), "ss": ("ss", "s"), "r": ("r", "l"), "l": ("l", "r"),
}  # fmt: skip
_VOWEL_ALTS = {
    "eo": ("eo", "o", "u"), "o": ("o", "eo", "u"), "u": ("u", "oo", "eo", "o", "eu"), "oo": ("oo", "u"),
    "eu": ("eu", "u"), "yeo": ("yeo", "yo", "yu", "you"), "yo": ("yo", "yeo", "yu", "you"),
    "you": ("you", "yo", "yeo", "yu"), "yu": ("yu", "yoo", "you", "yo", "yeo"), "yoo": ("yoo", "yu"),
    "i": ("i", "ee"), "ee": ("ee", "i", "ui"), "ui": ("ui", "eui", "ee", "i"), "eui": ("eui", "ui", "ee", "i"),
    "ae": ("ae", "ai"), "ai": ("ai", "ae"), "oe": ("oe", "oi", "we"), "we": ("we", "oe"),
    "wo": ("wo", "weo"), "weo": ("weo", "wo"),
}  # fmt: skip
_CODA_ALTS = {"k": ("k", "ck", "g"), "ck": ("ck", "k"), "g": ("g", "k")}

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc\u02bb`\u00b4")


def fold(text: str) -> str:
    """Lower case without accents or apostrophes (Ch'ŏl → chol); length may change."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_APOSTROPHES)


def _classes_by_spelling(classes: Iterable[tuple[str, ...]]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for members in classes:
        folded = {fold(m) for m in members}
        for member in folded:
            index.setdefault(member, set()).update(folded)
    return {k: frozenset(v) for k, v in index.items()}


_SURNAMES = _classes_by_spelling(_SURNAME_CLASSES)
_SYLLABLES = _classes_by_spelling(_SYLLABLE_CLASSES)
SURNAME_SPELLINGS: frozenset[str] = frozenset(_SURNAMES)
"""Every known spelling of every known surname (folded)."""


def is_surname(word: str) -> bool:
    """True when ``word`` (any case, accents) is a known spelling of a Korean surname."""
    return fold(word) in _SURNAMES


def surname_variants(word: str) -> frozenset[str]:
    """The spellings of the surname ``word`` (folded); the word alone when unknown."""
    key = fold(word)
    return _SURNAMES.get(key, frozenset({key}))


def _regular_variants(syllable: str) -> set[str]:
    match = _SYLLABLE.fullmatch(syllable)
    if match is None:
        return {syllable}
    onset, vowel, coda = match.group(1), match.group(2), match.group(3) or ""
    onsets = _ONSET_ALTS.get(onset, (onset,))
    vowels = _VOWEL_ALTS.get(vowel, (vowel,))
    codas = _CODA_ALTS.get(coda, (coda,))
    return {o + v + c for o in onsets for v in vowels for c in codas}


@functools.lru_cache(maxsize=4096)
def syllable_variants(syllable: str, *, broad: bool = True) -> frozenset[str]:
    """Spellings of one romanised syllable: its classes, plus regular alternations when ``broad``."""
    key = fold(syllable)
    found = set(_SYLLABLES.get(key, ())) | {key}
    if broad:
        found |= _regular_variants(key)
    return frozenset(found)


def is_syllable(text: str) -> bool:
    """True when ``text`` (folded) reads as one romanised Korean syllable."""
    return text in _SYLLABLES or _SYLLABLE.fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...] | None:
    """Split a folded, unhyphenated word into romanised syllables (younghee → young, hee); None if it is not one.

    Segmentations made of listed syllables win; then fewer syllables; then a
    longer first syllable (kwangok → kwang, ok).
    """
    n = len(word)
    if n == 0 or n > 24:
        return None
    # best[i] = (score, segmentation of word[i:]) ; score = (known syllables, -count)
    best: list[tuple[tuple[int, int], tuple[str, ...]] | None] = [None] * (n + 1)
    best[n] = ((0, 0), ())
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + 7), i, -1):
            piece, rest = word[i:j], best[j]
            if rest is None or not is_syllable(piece):
                continue
            known = 1 if piece in _SYLLABLES else 0
            score = (rest[0][0] + known, rest[0][1] - 1)
            current = best[i]
            if current is None or score > current[0]:
                best[i] = (score, (piece, *rest[1]))
    result = best[0]
    return None if result is None else result[1]


def spell_product(units: Iterable[frozenset[str]], *, limit: int) -> list[tuple[str, ...]] | None:
    """Every choice of one spelling per unit, or None when there would be more than ``limit``."""
    pools = [sorted(u) for u in units]
    total = 1
    for pool in pools:
        total *= len(pool)
        if total > limit:
            return None
    return list(itertools.product(*pools))


# ------------------------------------------------------------------ Hangul

_HANGUL_BASE, _HANGUL_LAST = 0xAC00, 0xD7A3
_JUNGSEONG_COUNT, _JONGSEONG_COUNT = 21, 28
_RIEUL, _NIEUN, _IEUNG = 5, 2, 11  # initial consonant indices
# Vowels (jungseong indices) before which an initial ㄹ/ㄴ becomes ㅇ in South Korean spelling:
# ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ ㅒ
_IOTIC = frozenset({2, 6, 7, 12, 17, 20, 3})
_TWO_SYLLABLE_SURNAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"})


def _initial_sound_variants(syllable: str) -> set[str]:
    """North and South Korean spellings of a name's first syllable (리/이, 림/임, 로/노, 량/양)."""
    code = ord(syllable) - _HANGUL_BASE
    if not 0 <= code <= _HANGUL_LAST - _HANGUL_BASE:
        return {syllable}
    initial, rest = divmod(code, _JUNGSEONG_COUNT * _JONGSEONG_COUNT)
    vowel = rest // _JONGSEONG_COUNT

    def make(i: int) -> str:
        return chr(_HANGUL_BASE + i * _JUNGSEONG_COUNT * _JONGSEONG_COUNT + rest)

    found = {syllable}
    if initial == _RIEUL:
        found.add(make(_IEUNG if vowel in _IOTIC else _NIEUN))
    elif initial == _NIEUN and vowel in _IOTIC:
        found.update({make(_IEUNG), make(_RIEUL)})
    elif initial == _IEUNG and vowel in _IOTIC:
        found.update({make(_RIEUL), make(_NIEUN)})
    elif initial == _NIEUN:
        found.add(make(_RIEUL))
    return found


def hangul_variants(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(full-name spellings, given-name spellings) of a Hangul name, NFC, without spaces.

    The surname's first syllable is spelt both the northern and the southern
    way (리철민 / 이철민). Given names are only returned when at least two
    syllables long; a one-syllable name alone is not distinctive.
    """
    compact = "".join(ch for ch in unicodedata.normalize("NFC", name) if not ch.isspace() and ch.isalpha())
    if not compact:
        return frozenset(), frozenset()
    surname_length = 2 if compact[:2] in _TWO_SYLLABLE_SURNAMES and len(compact) >= 4 else 1
    surname, given = compact[:surname_length], compact[surname_length:]
    firsts = _initial_sound_variants(surname[0]) if len(compact) >= 2 else {surname[0]}
    full = frozenset(first + surname[1:] + given for first in firsts)
    givens = frozenset({given}) if len(given) >= 2 and len(compact) >= 3 else frozenset()
    return full, givens
