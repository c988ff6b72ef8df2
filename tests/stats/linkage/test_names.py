"""Korean names as linkage features: romanisations, phonetic keys, family names, name order."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.stats.linkage import (
    FAMILY_NAMES,
    NameParts,
    canonical,
    family_name,
    has_hangul,
    name_features,
    phonetic_key,
    romanise_hangul,
    romanise_syllables,
    split_name,
)

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
# Letters of every system (ASCII, MR breves, Hangul), separators and apostrophes.
NAME_TEXT = st.text(
    st.one_of(st.sampled_from("abcdefghijklmnopqrstuvwxyzŏŭ'- "), HANGUL, st.sampled_from("ABCKOPRSTUYW")),
    max_size=16,
)


# ------------------------------------------------------------------ one person, many spellings

SAME_PERSON = [
    "Kim Yŏng-ch'ŏl",
    "Kim Young-chol",
    "Gim Yeongcheol",
    "김영철",
    "김 영철",
    "Young-chol Kim",
    "KIM Youngchol",
    "Yeong-cheol GIM",
    "Kim, Young-chol",
    "Kim Yong Chol",
    "Kim Yǒng-ch'ǒl",  # carons typed for breves
    "Kim Youngchul",
]


def test_spellings_of_one_person_share_family_and_given_keys() -> None:
    features = [name_features(text) for text in SAME_PERSON]
    assert {f.family for f in features} == {"kim"}
    assert len({f.family_key for f in features}) == 1
    assert len({f.given_key for f in features}) == 1, {f.given_key for f in features}


def test_spellings_of_one_person_come_close_in_canonical_form() -> None:
    assert {name_features(t).given for t in ("Kim Yŏng-ch'ŏl", "Gim Yeongcheol", "김영철")} == {"yeongcheol"}
    assert name_features("Kim Young-chol").given == "youngchol"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kim Young-chol", "Kim Young-hee"),
        ("Park Chol-su", "Pak Myong-su"),
        ("박철수", "박명수"),
        ("Kim Yŏng-ch'ŏl", "Kim Yŏng-nam"),
    ],
)
def test_different_given_names_stay_apart(one: str, other: str) -> None:
    a, b = name_features(one), name_features(other)
    assert a.family_key == b.family_key
    assert a.given_key != b.given_key


def test_same_person_under_two_family_spellings() -> None:
    a, b = name_features("Park Chol-su"), name_features("Pak Chol-su")
    assert (a.family, a.given_key) == (b.family, b.given_key) == ("park", "jolso")


@pytest.mark.parametrize(("one", "other"), [("Kim", "Lee"), ("Choi", "Cho"), ("Jung", "Jang"), ("Jeon", "Jung")])
def test_different_families_stay_apart(one: str, other: str) -> None:
    assert family_name(one) != family_name(other)
    assert name_features(f"{one} Minsu").family != name_features(f"{other} Minsu").family


# ------------------------------------------------------------------ family names


@pytest.mark.parametrize(
    ("family", "spellings"),
    [
        ("Lee", ["Lee", "Yi", "Rhee", "I", "Ri", "Rhie", "LEE", "이", "리"]),
        ("Park", ["Park", "Pak", "Bak", "Bahk", "박"]),
        ("Choi", ["Choi", "Choe", "Chwe", "Ch'oe", "최"]),
        ("Jung", ["Jung", "Jeong", "Chung", "Chong", "Chŏng", "정"]),
        ("Lim", ["Lim", "Im", "Rim", "임", "림"]),
        ("Ryu", ["Ryu", "Yoo", "Yu", "유", "류"]),
        ("Noh", ["Noh", "Roh", "No", "Ro", "노", "로"]),
        ("Heo", ["Heo", "Hur", "Ho", "Hŏ", "허"]),
        ("Seo", ["Seo", "Suh", "So", "Sŏ", "서"]),
        ("Jeon", ["Jeon", "Jun", "Chon", "Chŏn", "전"]),
        ("Baek", ["Baek", "Paek", "Paik", "백"]),
        ("Kim", ["Kim", "Gim", "김", " kim "]),
        ("Namgung", ["Namgung", "Namkung", "남궁"]),
    ],
)
def test_every_usual_spelling_maps_to_one_family(family: str, spellings: list[str]) -> None:
    assert {family_name(s) for s in spellings} == {family}
    assert len({name_features(f"{s} Minsu").family_key for s in spellings}) == 1


def test_table_spellings_map_to_their_own_family() -> None:
    for name, hangul, spellings, share in FAMILY_NAMES:
        assert share > 0
        for spelling in (name, *spellings.split()):
            assert family_name(spelling, fuzzy=False) == name, spelling
        for word in hangul.split():
            assert family_name(word) == name
            assert family_name(romanise_hangul(word)) == name
            assert family_name(romanise_hangul(word, system="mr")) == name


def test_family_names_come_in_order_of_frequency_with_about_sixty() -> None:
    shares = [share for _, _, _, share in FAMILY_NAMES]
    assert 60 <= len(FAMILY_NAMES) <= 80
    assert shares[:5] == sorted(shares[:5], reverse=True)
    assert [name for name, *_ in FAMILY_NAMES[:3]] == ["Kim", "Lee", "Park"]


def test_misspelt_family_names_are_found_by_their_key_only_when_fuzzy() -> None:
    assert family_name("Kimm") == "Kim"
    assert family_name("Parck") == "Park"
    assert family_name("Kimm", fuzzy=False) is None
    assert family_name("Youngchol") is None
    assert family_name("천") is None  # not among the common names
    assert family_name("-'") is None


# ------------------------------------------------------------------ splitting


@pytest.mark.parametrize(
    ("text", "family", "given", "swapped"),
    [
        ("Kim Young-chol", "Kim", "Young-chol", False),
        ("Young-chol Kim", "Kim", "Young-chol", True),
        ("KIM Youngchol", "KIM", "Youngchol", False),
        ("Youngchol KIM", "KIM", "Youngchol", True),
        ("Young-chol PAK", "PAK", "Young-chol", True),
        ("Young Chol Kim", "Kim", "Young Chol", True),
        ("Jin Nam Kim", "Kim", "Jin Nam", True),  # both ends are family names; Kim far more common
        ("Kim Jin Nam", "Kim", "Jin Nam", False),
        ("Gu Ok Seong", "Gu", "Ok Seong", False),  # both as common: family first
        ("Rhee, Syngman", "Rhee", "Syngman", False),
        ("김영철", "김", "영철", False),
        ("김 영철", "김", "영철", False),
        ("남궁민수", "남궁", "민수", False),
        ("Young-chol Kimm", "Kimm", "Young-chol", True),  # known only by its key
        ("Minsu Hwangbo", "Hwangbo", "Minsu", True),
        ("Youngchol", "", "Youngchol", False),
    ],
)
def test_split_finds_the_family_name_on_either_side(text: str, family: str, given: str, swapped: bool) -> None:
    assert split_name(text) == NameParts(family, given, swapped)


@pytest.mark.parametrize("text", ["", "   ", "-'", "--, ''", "123"])
def test_a_name_without_letters_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="letter"):
        split_name(text)


def test_features_say_where_the_name_came_from() -> None:
    hangul, swapped = name_features("김영철"), name_features("Young-chol Kim")
    assert hangul.hangul and not hangul.swapped and hangul.known_family
    assert swapped.swapped and not swapped.hangul
    unknown = name_features("Tang Minsu")
    assert not unknown.known_family and (unknown.family, unknown.family_key) == ("tang", "tang")


# ------------------------------------------------------------------ romanisation


@pytest.mark.parametrize(
    ("hangul", "rr", "mr"),
    [
        ("영철", ("yeong", "cheol"), ("yŏng", "ch'ŏl")),
        ("대중", ("dae", "jung"), ("tae", "jung")),  # MR voices ㅈ after a vowel (Kim Tae-jung)
        ("일성", ("il", "seong"), ("il", "sŏng")),  # Kim Il-sŏng
        ("정희", ("jeong", "hui"), ("chŏng", "hŭi")),  # Pak Chŏng-hŭi
        ("룡해", ("ryong", "hae"), ("ryong", "hae")),  # Ch'oe Ryong-hae
        ("복남", ("bok", "nam"), ("pok", "nam")),  # RR names keep syllables: Han Boknam, not Bongnam
        ("빛나", ("bit", "na"), ("pit", "na")),  # RR's own example: Hong Bitna
        ("옥균", ("ok", "gyun"), ("ok", "kyun")),  # no voicing after ㄱ: Kim Ok-kyun
        ("별례", ("byeol", "lye"), ("pyŏl", "lye")),  # ㄹㄹ is ll
        ("쉬", ("swi",), ("shwi",)),
    ],
)
def test_hangul_romanised_by_the_tables(hangul: str, rr: tuple[str, ...], mr: tuple[str, ...]) -> None:
    assert romanise_syllables(hangul) == rr
    assert romanise_syllables(hangul, system="mr") == mr


def test_romanise_keeps_other_text_and_word_boundaries() -> None:
    assert romanise_hangul("김영철 (Kim)") == "gimyeongcheol (Kim)"
    assert romanise_hangul("김 대중", system="mr") == "kim taejung"  # a new word: ㄷ unvoiced


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yŏng-ch'ŏl", "yeongcheol"),
        ("Yo\u0306ng-ch'o\u0306l", "yeongcheol"),  # decomposed breves
        ("Yǒng", "yeong"),  # caron for breve
        ("Kwŏn", "kwon"),  # MR wŏ is RR wo
        ("Ŭiju", "uiju"),  # MR ŭi is RR ui
        ("Euiju", "uiju"),
        ("YEONG CHEOL", "yeongcheol"),
        (unicodedata.normalize("NFD", "김영철"), "gimyeongcheol"),  # conjoining jamo
    ],
)
def test_canonical_spelling(text: str, expected: str) -> None:
    assert canonical(text) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        ["Park", "Pak", "Bak", "박"],
        ["Oh", "O", "오"],
        ["Suh", "Seo", "So", "서"],
        ["Young", "Yeong", "Yong", "Yŏng", "영", "Ryong", "룡"],
        ["Hee", "Hui", "Hŭi", "희"],
        ["Soo", "Su", "수"],
        ["Sung", "Seong", "Sŏng", "성"],
        ["Chul", "Cheol", "Ch'ŏl", "철"],
        ["Kwon", "Gwon", "Kweon", "Kwŏn", "권"],
        ["Choi", "Choe", "Chwe", "최"],
        ["Lee", "Yi", "I", "Ri", "Rhee", "이", "리"],
        ["Myung", "Myeong", "Myŏng", "명"],
        ["Silla", "Sinra", "Shilla", "신라"],
        ["Jinkeum", "Chin-gŭm", "Jin-geum", "진금"],
        ["Mi-ae", "Miai", "Mi Ae", "미애"],
        ["Sŏngnam", "Seoknam", "석남"],
    ],
)
def test_phonetic_key_joins_spellings_of_one_name(spellings: list[str]) -> None:
    assert len({phonetic_key(s) for s in spellings}) == 1, {s: phonetic_key(s) for s in spellings}


@pytest.mark.parametrize(("one", "other"), [("Cheol", "Chil"), ("Yeong", "Yun"), ("Su", "Sun"), ("Kim", "Kil")])
def test_phonetic_key_keeps_different_names_apart(one: str, other: str) -> None:
    assert phonetic_key(one) != phonetic_key(other)


# ------------------------------------------------------------------ properties


@settings(max_examples=400, deadline=None)
@given(NAME_TEXT)
def test_key_of_a_key_is_the_key(text: str) -> None:
    key = phonetic_key(text)
    assert phonetic_key(key) == key
    assert key == "" or (key.isascii() and key.isalpha() and key.islower())


@settings(max_examples=300, deadline=None)
@given(NAME_TEXT, st.lists(st.sampled_from(["-", " ", "'"]), max_size=4), st.randoms(use_true_random=False))
def test_case_and_separators_do_not_matter(text: str, separators: list[str], rnd: random.Random) -> None:
    letters = list(text)
    for separator in separators:
        letters.insert(rnd.randrange(len(letters) + 1), separator)
    spaced = "".join(letters)
    assert phonetic_key(spaced) == phonetic_key(text) == phonetic_key(text.upper())
    assert canonical(spaced.upper()) == canonical(text)


@settings(max_examples=300, deadline=None)
@given(st.text(HANGUL, min_size=1, max_size=6))
def test_any_hangul_transliterates_to_ascii_letters(text: str) -> None:
    rr = romanise_hangul(text)
    assert rr.isascii() and rr.isalpha() and rr.islower()
    mr = canonical(romanise_hangul(text, system="mr"))
    assert mr.isascii() and mr.isalpha()
    assert has_hangul(text) and not has_hangul(rr)
    assert len(romanise_syllables(text)) == len(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([w for _, hangul, _, _ in FAMILY_NAMES for w in hangul.split()]),
    st.text(HANGUL, min_size=1, max_size=3),
)
def test_a_hangul_name_and_its_romanisations_share_keys(family: str, given_name: str) -> None:
    hangul = name_features(family + given_name)
    assert hangul.known_family
    for system in ("rr", "mr"):
        written_family = romanise_hangul(family, system=system)  # type: ignore[arg-type]
        syllables = romanise_syllables(given_name, system=system)  # type: ignore[arg-type]
        romanised = name_features(f"{written_family}, {'-'.join(syllables)}")
        assert romanised.family == hangul.family
        assert romanised.given_key == hangul.given_key
