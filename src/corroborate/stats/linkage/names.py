"""Korean personal names as features for record linkage: romanisations, phonetic keys, family names.

The same person reaches different lists as 김영철, "Kim Yŏng-ch'ŏl" (McCune-Reischauer),
"Gim Yeongcheol" (Revised Romanization), "Kim Young-chol" or "KIM Youngchul" (ad hoc),
family name first or last. This module turns any of them into comparable features:

* ``canonical`` is one spelling of a name part: Hangul in Revised Romanization (``hangul.py``),
  MR breves folded to RR vowels, lowercase ASCII letters only.
* ``phonetic_key`` folds what the romanisation systems and ad hoc spellings disagree on.
* ``family_name`` maps every usual spelling of a common family name to one name, and
  ``split_name`` / ``name_features`` find the family name on either side of the given name.

Pure functions of their text: no I/O, never logs (names are restricted fields).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .hangul import has_hangul, romanise_hangul

__all__ = [
    "FAMILY_NAMES",
    "NameFeatures",
    "NameParts",
    "canonical",
    "family_name",
    "name_features",
    "phonetic_key",
    "split_name",
]

# ------------------------------------------------------------------ canonical spelling

_BREVES = ("\u0306", "\u030c")  # MR's breve, and the caron often typed in its place (ǒ, ǔ)


def canonical(text: str) -> str:
    """One spelling of a name part: Hangul in RR, ŏ→eo, ŭ→eu, wŏ→wo, ŭi→ui; lowercase ASCII letters only.

    Apostrophes (MR aspiration), hyphens, spaces, digits and punctuation are dropped, so
    "Yŏng-ch'ŏl", "Yeong Cheol" and 영철 all give "yeongcheol".
    """
    romanised = romanise_hangul(unicodedata.normalize("NFC", text))
    letters: list[str] = []
    for ch in unicodedata.normalize("NFKD", romanised.lower()):
        if ch in _BREVES and letters and letters[-1] in ("o", "u"):
            letters[-1] = "eo" if letters[-1] == "o" else "eu"
        elif "a" <= ch <= "z":
            letters.append(ch)
    return "".join(letters).replace("weo", "wo").replace("eui", "ui")


# ------------------------------------------------------------------ phonetic key

# Each spelling maps to the class that every system's spelling of the same sound shares.
_KEY_TOKENS: dict[str, str] = dict(
    pair.split(":")
    for pair in (
        # consonants: voiced, plain, tense and aspirated stops collapse; r and l are one liquid
        "tch:j tj:j jj:j ch:j j:j z:j sh:s ss:s s:s kk:k gg:k kh:k ck:k g:k k:k c:k q:k tt:t dd:t th:t d:t "
        "t:t pp:p bb:p ph:p b:p p:p f:p v:p rh:r rr:r r:r ll:l l:l ng:ng nn:n n:n mm:m m:m hh:h h:h x:ks "
        # vowels: ㅓㅗㅜㅡ are one class (o), ㅐㅔ one (e), ㅣㅢ one (i); glides y and w kept
        "yeo:yo you:yo yoo:yo yae:ye wae:we weo:wo eui:i ya:ya yo:yo yu:yo ye:ye yi:i wa:wa wo:wo "
        "we:we wi:wi wu:o woo:o ae:e ai:e ay:e eo:o eu:o oe:we oi:we oo:o ou:o ui:i ee:i ia:ya "
        "eeo:io eeu:io eea:ia a:a e:e i:i o:o u:o y:i w:o"
    ).split()
)
# Consonant spellings longest first, or a whole run of vowel letters (split by _vowel_tokens).
_KEY_RE = re.compile("|".join(sorted((t for t in _KEY_TOKENS if t[0] not in "aeiouwy"), key=len, reverse=True))
                     + "|[aeiouwy]+")  # fmt: skip


def _vowel_tokens(run: str) -> list[str]:
    """A run of vowel letters cut from the right, longest spelling first: a syllable's vowel is
    written at the end of the run (mi-ae, su-ai), so a cut from the left would pair i-a, u-a."""
    found: list[str] = []
    end = len(run)
    while end:
        size = next(n for n in (3, 2, 1) if n <= end and run[end - n : end] in _KEY_TOKENS)
        found.append(_KEY_TOKENS[run[end - size : end]])
        end -= size
    return found[::-1]


_STOP_TO_NASAL = {"k": "ng", "t": "n", "p": "m"}


def _is_vowel(token: str) -> bool:
    return token[0] in "aeiouwy"


def _key_step(word: str) -> str:
    tokens: list[str] = []
    for match in _KEY_RE.findall(word):
        if match[0] in "aeiouwy":
            # Joined RR writes ㄴ+ㄱ (jin-geum) and ㅇ before a vowel (yeong-ae) alike: ng + vowel → nk.
            if tokens and tokens[-1] == "ng":
                tokens[-1:] = ["n", "k"]
            tokens += _vowel_tokens(match)
        else:
            tokens.append(_KEY_TOKENS[match])
    nxt = [*tokens[1:], ""][: len(tokens)]
    # r sounds only before a vowel (Park, Hur: an English r marks vowel length); h only before one.
    tokens = [
        ("l" if tok == "r" else tok)
        for tok, after in zip(tokens, nxt, strict=True)
        if tok not in ("r", "h") or (after and _is_vowel(after))
    ]
    # Initial-sound rule (두음법칙): a word-initial ㄹ is ㄴ, and ㄹ/ㄴ fall before i and y (Ri/Lee/Yi/I).
    if len(tokens) > 1 and tokens[0] in ("l", "n") and _is_vowel(tokens[1]):
        if tokens[1][0] in "iy":
            tokens = tokens[1:]
        elif tokens[0] == "l":
            tokens[0] = "n"
    # Assimilation that MR spellings often show and RR names never do: n+l, l+n → ll; ㄹ after
    # another consonant → n; a stop before a nasal → that nasal (Sŏngnam/Seoknam, Chongno/Jongro).
    for i in range(1, len(tokens)):
        before, here = tokens[i - 1], tokens[i]
        if {before, here} == {"n", "l"}:
            tokens[i - 1] = tokens[i] = "l"
        elif here == "l" and not _is_vowel(before) and before != "l":
            tokens[i] = "n"
    for i in range(len(tokens) - 1):
        if tokens[i] in _STOP_TO_NASAL and tokens[i + 1] in ("n", "m"):
            tokens[i] = _STOP_TO_NASAL[tokens[i]]
    collapsed = [tok for i, tok in enumerate(tokens) if i == 0 or tok != tokens[i - 1]]
    return "".join(collapsed)


def phonetic_key(text: str) -> str:
    """A key that spellings of one Korean name part share across RR, MR, ad hoc spellings and Hangul.

    Rules, on the canonical spelling, until nothing changes:
    stops: g/k/kk/gg/kh/c/q → k, d/t/tt/th → t, b/p/pp/ph/f/v → p, j/ch/tch/jj/z → j;
    s/sh/ss → s; r/l/rh → l, and an r not before a vowel is dropped (Park = Pak, Hur = Heo);
    an h not before a vowel is dropped (Oh, Ahn, Suh); doubled letters count once;
    vowels (a run of vowel letters read from its end, so mi-ae is i+ae, not ia+e):
    eo/o/u/oo/ou/eu → o, ae/e/ai → e, ee/ui/eui/yi → i, ya/ia → ya, yeo/yo/you/yu → yo,
    wo/weo → wo, oe/oi/we/wae → we; a word-initial l becomes n, and l or n falls before i/y;
    ng before a vowel → nk; n+l → ll, l after another consonant → n, k/t/p before n or m → ng/n/m.
    """
    key = canonical(text)
    for _ in range(8):
        step = _key_step(key)
        if step == key:
            break
        key = step
    return key


# ------------------------------------------------------------------ family names
# The common Korean family names, each with its Hangul (North Korean initial-r forms too), the
# spellings seen in RR, MR with and without breves, passports and the press (the RR and MR forms
# of the Hangul are added automatically), and its approximate share in percent of the population
# (2015 South Korean census, Statistics Korea, rounded; North Korea publishes no figures and its
# common names are the same), used to draw synthetic names and to guess a name's order. Where one
# spelling is used for two names (MR Sŏng, typed "Song", for 성 and 송; "Son" for 손 and 선;
# "Chon"/"Cheon" for 전 and 천) it goes to the more frequent name.
# fmt: off
FAMILY_NAMES: tuple[tuple[str, str, str, float], ...] = (
    ("Kim", "김", "Gim Ghim Kym", 21.5), ("Lee", "이 리", "Yi I Rhee Ri Rhie Li Lie Ree Yee Rie", 14.7),
    ("Park", "박", "Pak Bak Bahk", 8.4), ("Choi", "최", "Choe Chwe Choy Tsoi", 4.7),
    ("Jung", "정", "Jeong Chung Chong Joung Cheong Jong", 4.3), ("Kang", "강", "Gang", 2.4),
    ("Cho", "조", "Jo Joe Jho", 2.1), ("Yoon", "윤", "Yun Youn", 2), ("Jang", "장", "Chang", 2),
    ("Lim", "임 림", "Im Rim Yim Leem", 1.7), ("Han", "한", "Hahn", 1.5), ("Oh", "오", "O", 1.5),
    ("Seo", "서", "Suh So Sur", 1.5), ("Shin", "신", "Sin Shinn", 1.5), ("Kwon", "권", "Gwon Kweon Gweon Kwun", 1.4),
    ("Hwang", "황", "Whang", 1.4), ("Ahn", "안", "An", 1.4), ("Song", "송", "", 1.3),
    ("Ryu", "유 류", "Yu Yoo Ryoo Rhyu You", 1.5), ("Jeon", "전", "Jun Chon Chun Jeun Jon", 1.1),
    ("Hong", "홍", "", 1.1), ("Ko", "고", "Go Koh Goh", 0.9), ("Moon", "문", "Mun", 0.9),
    ("Yang", "양 량", "Ryang", 0.9), ("Son", "손", "Sohn", 0.9), ("Bae", "배", "Pae Bai Pai Bay", 0.8),
    ("Baek", "백", "Paek Paik Baik", 0.7), ("Heo", "허", "Hur Huh Ho Her", 0.6), ("Nam", "남", "Nahm", 0.5),
    ("Noh", "노 로", "Roh No Ro Rho Nho", 0.5), ("Ha", "하", "Hah", 0.5), ("Kwak", "곽", "Gwak Kwack", 0.4),
    ("Seong", "성", "Sung Soung", 0.4), ("Cha", "차", "", 0.4), ("Ju", "주", "Joo Chu", 0.4),
    ("Woo", "우", "U Wu", 0.4), ("Koo", "구", "Ku Gu Goo Kou", 0.4), ("Min", "민", "", 0.3),
    ("Na", "나 라", "Ra Nah Rah La", 0.3), ("Jin", "진", "Chin Jhin", 0.3), ("Ji", "지", "Chi Jee", 0.3),
    ("Eom", "엄", "Um Om Uhm", 0.3), ("Yeo", "여", "Yo Yuh", 0.1), ("Chae", "채", "Chai", 0.3),
    ("Won", "원", "Weon", 0.3), ("Bang", "방", "Pang", 0.2), ("Kong", "공", "Gong", 0.2),
    ("Hyun", "현", "Hyeon Hyon Hyoun", 0.2), ("Ham", "함", "Hahm", 0.2), ("Byun", "변", "Byeon Pyon Pyun Byon", 0.3),
    ("Yeom", "염 렴", "Yum Yom Youm Ryom", 0.1), ("Do", "도", "Doh To Toh", 0.1), ("Seok", "석", "Suk Sok", 0.1),
    ("Seol", "설", "Sul Sol", 0.1), ("Ma", "마", "", 0.1), ("Gil", "길", "Kil", 0.1),
    ("Yeon", "연 련", "Yon Ryon", 0.1), ("Pyo", "표", "Pyoh", 0.05), ("Wi", "위", "Wee", 0.05),
    ("Myung", "명", "Myeong Myong", 0.05), ("Ki", "기", "Gi Kee", 0.05), ("Ban", "반", "Pan", 0.05),
    ("Geum", "금", "Keum Kum", 0.05), ("Ok", "옥", "Ohk", 0.05), ("Yook", "육 륙", "Yuk Ryuk", 0.05),
    ("Maeng", "맹", "Maing Meng", 0.03), ("Tak", "탁", "", 0.05), ("Namgung", "남궁", "Namkung Namgoong", 0.04),
    ("Hwangbo", "황보", "Hwangpo", 0.02), ("Jegal", "제갈", "Chegal", 0.01), ("Seonu", "선우", "Sunwoo Sonu", 0.01),
)
# fmt: on


@functools.cache
def _family_index() -> tuple[dict[str, str], dict[str, str]]:
    """Canonical spelling → family name, and phonetic key → family name where the key is unique."""
    by_spelling: dict[str, str] = {}
    problems: list[str] = []
    for name, hangul, spellings, _ in FAMILY_NAMES:
        forms = [name, *spellings.split()]
        for word in hangul.split():
            forms += [romanise_hangul(word), romanise_hangul(word, system="mr")]
        for form in forms:
            other = by_spelling.setdefault(canonical(form), name)
            if other != name:
                problems.append(f"{form!r} of {name} is already a spelling of {other}")
    if problems:
        raise ValueError("ambiguous family-name table: " + "; ".join(problems))
    by_key: dict[str, str | None] = {}
    for spelling, name in by_spelling.items():
        key = phonetic_key(spelling)
        by_key[key] = name if by_key.get(key, name) == name else None
    return by_spelling, {key: name for key, name in by_key.items() if name is not None}


@functools.cache
def _family_shares() -> dict[str, float]:
    return {name: share for name, _, _, share in FAMILY_NAMES}


@functools.cache
def _hangul_families() -> dict[str, str]:
    return {word: name for name, hangul, _, _ in FAMILY_NAMES for word in hangul.split()}


def family_name(text: str, *, fuzzy: bool = True) -> str | None:
    """The family name this spelling is a usual form of ("Rhee", "Yi", "리" → "Lee"), or None.

    Hangul is looked up as written; romanised text by its canonical spelling, then (if ``fuzzy``)
    by its phonetic key when that key belongs to one family only ("Kimm" is Kim, "Parck" Park).
    """
    word = unicodedata.normalize("NFC", text.strip())
    if has_hangul(word):
        return _hangul_families().get(word)
    by_spelling, by_key = _family_index()
    spelling = canonical(word)
    if not spelling:
        return None
    found = by_spelling.get(spelling)
    return by_key.get(phonetic_key(spelling)) if found is None and fuzzy else found


# ------------------------------------------------------------------ splitting and features


@dataclass(frozen=True)
class NameParts:
    """A full name split into family and given name as written; swapped when the family came last."""

    family: str
    given: str
    swapped: bool


_ORDER_ODDS = 3.0  # family name first about three times as often as last on romanised lists


def _split_hangul_word(word: str) -> NameParts:
    # Korean order is family first; a two-syllable family name wins when it leaves a given name.
    if len(word) >= 3 and _hangul_families().get(word[:2]):
        return NameParts(word[:2], word[2:], swapped=False)
    return NameParts(word[:1], word[1:], swapped=False)


def _is_shouted(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters) and not has_hangul(token)


def _last_is_family(first: str, last: str, *, fuzzy: bool) -> bool | None:
    """Whether the last word is the family name; None when neither word is a known family name."""
    shares = _family_shares()
    first_share, last_share = (shares.get(family_name(w, fuzzy=fuzzy) or "", 0.0) for w in (first, last))
    if not first_share and not last_share:
        return None
    # Family first is the usual order, so the last word must be a much more common family name.
    return last_share > _ORDER_ODDS * first_share


def split_name(text: str) -> NameParts:
    """Family and given name of a full name, in either order; ValueError if it holds no letter.

    "Family, Given" is taken as written. Otherwise the family name is the first or last word:
    the one in capitals when only one is ("Young-chol KIM"); else the one whose spelling the
    family-name table knows (exactly, or failing that by phonetic key), and when both are known
    the last only if its name is over three times as common ("Jin Nam Kim"); else the first
    (Korean order). One Hangul word is family first ("김영철"); one romanised word is taken
    as a given name with no family name.
    """
    text = unicodedata.normalize("NFC", text).strip()
    if not any(ch.isalpha() for ch in text):
        raise ValueError("a name needs at least one letter")
    if "," in text:
        family, _, given = text.partition(",")
        return NameParts(family.strip(), " ".join(given.split()), swapped=False)
    words = text.split()
    if len(words) == 1:
        word = words[0]
        return _split_hangul_word(word) if has_hangul(word) else NameParts("", word, swapped=False)
    first, last = words[0], words[-1]
    shouted = [_is_shouted(w) for w in words]
    if shouted.count(True) == 1 and (shouted[0] or shouted[-1]):
        last_is_family = shouted[-1]
    else:
        exact = _last_is_family(first, last, fuzzy=False)
        last_is_family = bool(_last_is_family(first, last, fuzzy=True) if exact is None else exact)
    if last_is_family:
        return NameParts(last, " ".join(words[:-1]), swapped=True)
    return NameParts(first, " ".join(words[1:]), swapped=False)


@dataclass(frozen=True)
class NameFeatures:
    """What linkage compares about a name; family and given name as canonical spellings and keys.

    ``family`` is the family-name table's name in lowercase when the family name is known
    (every spelling of 이 gives "lee"), else the canonical spelling of what was written.
    """

    family: str
    family_key: str
    given: str
    given_key: str
    known_family: bool
    hangul: bool
    swapped: bool


def name_features(text: str) -> NameFeatures:
    """The linkage features of a full name in any romanisation or in Hangul (see ``split_name``)."""
    parts = split_name(text)
    known = family_name(parts.family) if parts.family else None
    family = known.lower() if known else canonical(parts.family)
    return NameFeatures(
        family=family,
        family_key=phonetic_key(family),
        given=canonical(parts.given),
        given_key=phonetic_key(parts.given),
        known_family=known is not None,
        hangul=has_hangul(text),
        swapped=parts.swapped,
    )
