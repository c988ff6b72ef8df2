"""Romanised Korean names: per-syllable equivalence classes, segmentation, Hangul spellings."""

from __future__ import annotations

import pytest

from corroborate.publish.romanisation import (
    fold,
    hangul_variants,
    is_surname,
    segment,
    spell_product,
    surname_variants,
    syllable_variants,
)


@pytest.mark.parametrize(
    ("spelling", "others"),
    [
        ("Lee", {"yi", "ri", "rhee", "i", "li"}),
        ("Kim", {"gim"}),
        ("Park", {"pak", "bak"}),
        ("Choi", {"choe"}),
        ("Jung", {"jeong", "chung", "jong"}),
        ("Kang", {"gang"}),
        ("Cho", {"jo"}),
        ("Yoon", {"yun"}),
        ("Shin", {"sin"}),
        ("Oh", {"o"}),
        ("Seo", {"so"}),
        ("Lim", {"im", "rim"}),
        ("Jon", {"jeon", "chun"}),
    ],
)
def test_surnames_have_their_usual_spellings(spelling: str, others: set[str]) -> None:
    assert is_surname(spelling)
    assert others | {fold(spelling)} <= surname_variants(spelling)


@pytest.mark.parametrize(
    ("syllable", "others"),
    [
        ("young", {"yong", "yeong"}),
        ("hee", {"hui", "heui"}),
        ("sun", {"seon", "son"}),
        ("ok", {"ock"}),
        ("chul", {"cheol", "chol"}),
        ("kum", {"geum", "keum", "gum"}),
        ("hyok", {"hyeok", "hyuk"}),
        ("myong", {"myeong", "myung"}),
        ("kwang", {"gwang"}),
        ("su", {"soo"}),
    ],
)
def test_syllables_have_their_usual_spellings(syllable: str, others: set[str]) -> None:
    assert others <= syllable_variants(syllable)


def test_fold_removes_case_accents_and_apostrophes() -> None:
    assert fold("Ch\u2019\u014eL") == "chol" and fold("Hoeryŏng") == "hoeryong"


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("younghee", ("young", "hee")), ("cholmin", ("chol", "min")), ("kwangok", ("kwang", "ok")), ("sil", ("sil",))],
)
def test_words_split_into_syllables(word: str, syllables: tuple[str, ...]) -> None:
    assert segment(word) == syllables


def test_words_that_are_not_korean_do_not_split() -> None:
    assert segment("grandmother") is None and segment("zhu") is None and segment("") is None


def test_the_product_of_spellings_is_bounded() -> None:
    pools = [frozenset({"a", "b"})] * 3
    assert spell_product(pools, limit=8) is not None and len(spell_product(pools, limit=8) or []) == 8
    assert spell_product(pools, limit=7) is None


def test_hangul_names_are_spelt_the_northern_and_the_southern_way() -> None:
    full, given = hangul_variants("리철민")
    assert full == {"리철민", "이철민"} and given == {"철민"}
    full, _ = hangul_variants("림 순 옥")
    assert full == {"림순옥", "임순옥"}
    full, given = hangul_variants("남궁민수")  # a two-syllable surname
    assert "남궁민수" in full and given == {"민수"}
    assert hangul_variants("김") == (frozenset({"김"}), frozenset())
