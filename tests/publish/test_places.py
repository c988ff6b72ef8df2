"""Places in restricted values: every spelling the gazetteer and the list of Chinese places know."""

from __future__ import annotations

import pytest

from corroborate.domain import Gazetteer, normalise_place_name
from corroborate.publish.places import chinese_places, place_forms, word_spellings


def test_the_chinese_places_name_their_source_and_are_unambiguous() -> None:
    places = chinese_places()
    assert "Wikipedia" in places.source and all(p.wikipedia for p in places.places)
    ids = [p.id for p in places.places]
    assert len(ids) == len(set(ids))
    provinces = {p.id for p in places.places if p.kind in ("province", "municipality")}
    assert {p.province for p in places.places if p.province} <= provinces
    names = {p.name for p in places.places}
    assert {"Yanji", "Longjing", "Helong", "Hunchun", "Tumen", "Dandong", "Shenyang", "Changchun"} <= names
    keys: dict[str, str] = {}
    for place in places.places:
        for spelling in place.latin:
            other = keys.setdefault(normalise_place_name(spelling), place.id)
            assert other == place.id, f"{spelling!r} names both {other} and {place.id}"


def test_a_town_and_its_province_in_every_spelling_and_order() -> None:
    forms = place_forms("Helong, Jilin province")
    assert forms is not None
    sequences, strings = forms
    for expected in [("helong", "jilin"), ("hwaryong", "kirin"), ("jilin", "helong"), ("helong", "shi", "jilin")]:
        assert expected in sequences
    for expected in ["和龙吉林", "和龍市吉林省", "吉林省和龙市", "화룡시길림성", "길림화룡"]:
        assert expected in strings
    assert ("helong",) not in sequences, "the town alone is not the witness's location"


def test_a_north_korean_place_is_spelt_as_the_gazetteer_spells_it() -> None:
    forms = place_forms("Musan, North Hamgyong")
    assert forms is not None
    sequences, strings = forms
    musan = Gazetteer.default().lookup("Musan")
    assert ("musan", "north", "hamgyong") in sequences and ("musan", "hamgyong", "bukto") in sequences
    assert ("hambuk", "do", "musan") in sequences, "province first, as Korean writes it"
    assert any(s.startswith(musan.hangul) for s in strings) and any(s.endswith(musan.hangul) for s in strings)


def test_a_town_written_alone_is_spelt_alone_and_what_names_no_place_is_none() -> None:
    forms = place_forms("Yanji")
    assert forms is not None and ("yeongil",) in forms[0] and "延吉" in forms[1] and "연길" in forms[1]
    assert place_forms("a room above a noodle shop") is None
    assert place_forms("") is None


@pytest.mark.parametrize(("word", "expected"), [("Nanping", ("nampyong",)), ("Hoeryong", ("hoeryong",))])
def test_a_word_of_a_note_that_names_a_place_has_its_spellings(word: str, expected: tuple[str, ...]) -> None:
    assert expected in word_spellings(word)


def test_a_word_that_names_no_place_has_none() -> None:
    assert word_spellings("building") == ()
