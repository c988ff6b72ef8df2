"""The gazetteer: every spelling to one place, the shipped data kept consistent."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.domain.gazetteer import Gazetteer, Place, normalise_place_name, parse_gazetteer
from corroborate.errors import DataFileInvalid, UnknownPlace

GAZETTEER = Gazetteer.default()
PLACES = list(GAZETTEER)

# North Korea's extent with a margin of a few kilometres.
LAT_RANGE = (37.6, 43.1)
LON_RANGE = (124.2, 130.8)


def place(name: str) -> Place:
    return GAZETTEER.lookup(name)


# ------------------------------------------------------------- the reference paper


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Samsoo", "samsu"),
        ("Musan", "musan"),
        ("Hoeryong", "hoeryong"),
        ("Hoeryong City", "hoeryong"),
        ("Pyongyang", "pyongyang"),
        ("Chungjin", "chongjin"),
        ("Wonsan", "wonsan"),
        ("Saebyul", "saebyol"),
        ("Haeju", "haeju"),
    ],
)
def test_spellings_of_the_hrw_2007_report_resolve(spelling: str, place_id: str) -> None:
    assert place(spelling).id == place_id


def test_every_place_of_origin_in_the_seed_text_resolves(reference_paper: str) -> None:
    text = reference_paper
    origins = set(re.findall(r"interview with (?:man|woman) from ([A-Z][a-z]+)", text, flags=re.IGNORECASE))
    origins |= set(re.findall(r"\b(?:a|the) (?:man|woman|young man) from ([A-Z][a-z]+)", text))
    origins |= set(re.findall(r"\b([A-Z][a-z]+ City)\b", text))
    assert {"Samsoo", "Chungjin", "Saebyul", "Hoeryong City"} <= origins
    unknown = sorted(name for name in origins if name not in GAZETTEER)
    assert unknown == []


# ------------------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    "spelling",
    [
        "CH'ŎNGJIN",
        "ch’ongjin",
        "Chŏngjin",
        "Ch'ŏngjin",
        "chʼongjin",
        "Cheongjin",
        "청진",
        "청진시",
        " Chongjin-si ",
    ],
)
def test_chongjin_is_found_whatever_the_case_accents_or_apostrophes(spelling: str) -> None:
    assert place(spelling).id == "chongjin"


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Hoeryŏng", "hoeryong"),
        ("HOERYONG-SI", "hoeryong"),
        ("Hoeryung", "hoeryong"),
        ("Hweryong", "hoeryong"),
        ("회령", "hoeryong"),
        ("회령시", "hoeryong"),
        ("삼수", "samsu"),
        ("삼수군", "samsu"),
        ("무산", "musan"),
        ("Musan-gun", "musan"),
        ("혜산", "hyesan"),
        ("새별", "saebyol"),
        ("새별군", "saebyol"),
        ("평양", "pyongyang"),
        ("해주", "haeju"),
        ("원산", "wonsan"),
        ("온성", "onsong"),
        ("Onseong", "onsong"),
    ],
)
def test_accented_hangul_and_suffixed_spellings_resolve(spelling: str, place_id: str) -> None:
    assert place(spelling).id == place_id


def test_normalisation_examples() -> None:
    assert normalise_place_name("Ch'ŏngjin") == "chongjin"
    assert normalise_place_name("Hŭngnam-guyŏk") == "hungnam"
    assert normalise_place_name("North Hamgyong Province") == "northhamgyong"
    assert normalise_place_name("Kaesong Special City") == "kaesong"
    assert normalise_place_name("함경북도") == "함경북"
    assert normalise_place_name("남양로동자구") == "남양"
    # a two-syllable name ending in a suffix syllable keeps it
    assert normalise_place_name("신도") == "신도"
    assert normalise_place_name("우시군") == "우시"
    # a name that merely ends in suffix letters keeps them
    assert normalise_place_name("Sindo") == "sindo"


# ------------------------------------------------------------------ equivalences


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Saebyol", "saebyol"),
        ("Saepyol", "saebyol"),
        ("Kyongwon", "saebyol"),
        ("Kyŏngwŏn", "saebyol"),
        ("경원", "saebyol"),
        ("Undok", "undok"),
        ("Kyonghung", "undok"),
        ("은덕", "undok"),
        ("Rajin-Sonbong", "rason"),
        ("Rajin-Sŏnbong", "rason"),
        ("Rason", "rason"),
        ("라선", "rason"),
        ("Namyang", "namyang"),
        ("Sinpa", "kimjongsuk"),
        ("Huchang", "kimhyongjik"),
        ("Pungsan", "kimhyonggwon"),
        ("Songjin", "kimchaek"),
        ("Junggang", "chunggang"),
        ("Pyokdong", "pyoktong"),
        ("Nampho", "nampo"),
    ],
)
def test_former_names_and_equivalent_spellings(spelling: str, place_id: str) -> None:
    assert place(spelling).id == place_id


def test_namyang_is_a_workers_district_of_north_hamgyong() -> None:
    namyang = place("Namyang")
    assert namyang.kind == "workers_district"
    assert namyang.province == "North Hamgyong"
    assert namyang.border == "tumen"


@pytest.mark.parametrize(
    ("spelling", "province"),
    [
        ("Hamgyong-bukto", "North Hamgyong"),
        ("North Hamgyŏng", "North Hamgyong"),
        ("Hamgyeongbuk-do", "North Hamgyong"),
        ("함경북도", "North Hamgyong"),
        ("Hamgyongnam-do", "South Hamgyong"),
        ("Ryanggang", "Ryanggang"),
        ("Yanggang", "Ryanggang"),
        ("량강도", "Ryanggang"),
        ("양강도", "Ryanggang"),
        ("Chagang", "Chagang"),
        ("Jagang", "Chagang"),
        ("Jagang-do", "Chagang"),
        ("자강도", "Chagang"),
        ("Pyonganbuk-do", "North Pyongan"),
        ("North P'yŏngan", "North Pyongan"),
        ("Hwanghaenam-do", "South Hwanghae"),
        ("Kangwŏn-do", "Kangwon"),
    ],
)
def test_province_spellings(spelling: str, province: str) -> None:
    found = place(spelling)
    assert found.kind == "province"
    assert found.name == province


# ------------------------------------------------------------------ unknown names


@pytest.mark.parametrize(("typo", "meant"), [("Chongjn", "Chongjin"), ("Hyesn", "Hyesan"), ("Hoeryng", "Hoeryong")])
def test_unknown_names_raise_with_the_nearest_places_first(typo: str, meant: str) -> None:
    with pytest.raises(UnknownPlace) as caught:
        GAZETTEER.lookup(typo)
    assert caught.value.name == typo
    assert caught.value.suggestions[0] == meant
    assert meant in str(caught.value)


def test_suggestions_are_canonical_names_without_duplicates() -> None:
    suggestions = GAZETTEER.suggest("Chungjinn", limit=3)
    assert suggestions[0] == "Chongjin"
    assert len(suggestions) == len(set(suggestions)) <= 3
    assert all(GAZETTEER.lookup(name).name == name for name in suggestions)


def test_a_name_far_from_every_place_has_no_suggestions() -> None:
    with pytest.raises(UnknownPlace) as caught:
        GAZETTEER.lookup("Atlantis")
    assert caught.value.suggestions == []
    assert GAZETTEER.find("Atlantis") is None
    assert "Atlantis" not in GAZETTEER
    assert GAZETTEER.suggest("") == []


# ------------------------------------------------------------------ the shipped data


def test_nine_provinces() -> None:
    assert {p.name for p in GAZETTEER.provinces()} == {
        "North Pyongan",
        "South Pyongan",
        "Chagang",
        "Ryanggang",
        "North Hamgyong",
        "South Hamgyong",
        "North Hwanghae",
        "South Hwanghae",
        "Kangwon",
    }


def test_top_level_cities() -> None:
    assert place("Pyongyang").kind == "directly_governed_city"
    for name in ("Rason", "Nampo", "Kaesong"):
        assert place(name).kind == "special_city"
        assert place(name).province is None


def test_at_least_sixty_cities_counties_and_districts() -> None:
    local = [p for p in PLACES if p.kind in {"city", "county", "district", "workers_district"}]
    assert len(local) >= 60


def test_every_province_reference_resolves_to_a_top_level_entry() -> None:
    top_level = {p.name: p for p in PLACES if p.province is None}
    for p in PLACES:
        if p.kind in {"province", "special_city", "directly_governed_city"}:
            assert p.province is None, p.id
        else:
            assert p.province in top_level, p.id


def test_every_border_place_lies_in_an_existing_province() -> None:
    border = [p for p in PLACES if p.border is not None]
    for p in border:
        if p.province is None:
            assert p.kind == "special_city", p.id
        else:
            assert GAZETTEER.lookup(p.province).kind == "province", p.id


BORDER_PLACES = {
    "yalu": [
        "Sinuiju",
        "Uiju",
        "Sakju",
        "Changsong",
        "Pyoktong",
        "Sindo",
        "Chosan",
        "Usi",
        "Wiwon",
        "Manpo",
        "Chasong",
        "Chunggang",
        "Kimhyongjik",
        "Kimjongsuk",
        "Samsu",
        "Hyesan",
        "Pochon",
        "Samjiyon",
    ],
    "tumen": ["Taehongdan", "Musan", "Hoeryong", "Onsong", "Namyang", "Saebyol", "Undok", "Rason"],
}


@pytest.mark.parametrize(("name", "river"), [(n, r) for r, names in BORDER_PLACES.items() for n in names])
def test_river_border_places(name: str, river: str) -> None:
    assert place(name).border == river


def test_no_other_place_is_marked_as_on_the_border() -> None:
    expected = {name for names in BORDER_PLACES.values() for name in names}
    assert {p.name for p in PLACES if p.border is not None} == expected
    for name in ("Pihyon", "Ryongchon", "Yonsa", "Kimhyonggwon", "Chongjin"):
        assert place(name).border is None


def test_coordinates_lie_in_north_korea() -> None:
    for p in PLACES:
        assert LAT_RANGE[0] <= p.lat <= LAT_RANGE[1], p.id
        assert LON_RANGE[0] <= p.lon <= LON_RANGE[1], p.id


def test_no_two_places_share_a_normalised_spelling() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in PLACES:
        for spelling in p.spellings():
            owners[normalise_place_name(spelling)].add(p.id)
    clashes = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert clashes == {}
    assert "" not in owners


def test_ids_are_unique_lowercase_slugs() -> None:
    ids = [p.id for p in PLACES]
    assert len(ids) == len(set(ids)) == len(GAZETTEER)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_every_place_has_hangul_mr_and_rr() -> None:
    for p in PLACES:
        assert re.fullmatch(r"[\uac00-\ud7a3]+", p.hangul), p.id
        assert p.mr and p.rr and p.name.isascii(), p.id


def test_get_by_id() -> None:
    assert GAZETTEER.get("saebyol").name == "Saebyol"
    with pytest.raises(KeyError):
        GAZETTEER.get("atlantis")


def test_default_is_cached() -> None:
    assert Gazetteer.default() is GAZETTEER


# ------------------------------------------------------------------ building gazetteers


def _place(place_id: str, name: str, *variants: str) -> Place:
    hangul = {"a": "가가", "b": "나나"}[place_id]
    return Place(place_id, name, "county", hangul, name, name, variants, None, 40.0, 127.0, None)


def test_a_spelling_shared_by_two_places_is_refused() -> None:
    with pytest.raises(ValueError, match="'Chongjin' of 'b'.*already used by 'a'"):
        Gazetteer([_place("a", "Chongjin"), _place("b", "Elsewhere", "Chongjin")])


def test_a_small_gazetteer_works_on_its_own() -> None:
    small = Gazetteer([_place("a", "Alpha", "Alfa"), _place("b", "Beta")])
    assert len(small) == 2
    assert small.find("ALFA") == small.get("a")
    assert "beta" in small
    assert small.provinces() == []


def test_parse_reports_every_problem_at_once() -> None:
    text = """
places:
  - {id: a, name: A, kind: hamlet, hangul: 가, mr: A, rr: A, province: Nowhere, lat: x, lon: 1, border: nile}
  - {id: b, name: B, kind: county, hangul: 나, mr: B, rr: B, province: null,
     lat: 1, lon: 1, border: null, colour: red}
"""
    with pytest.raises(DataFileInvalid) as caught:
        parse_gazetteer(text)
    message = str(caught.value)
    for fragment in (
        "kind 'hamlet'",
        "border 'nile'",
        "lat must be a number",
        "unknown field 'colour'",
        "Nowhere",
    ):
        assert fragment in message


def test_parse_refuses_text_that_is_not_a_gazetteer() -> None:
    with pytest.raises(DataFileInvalid, match="must be a mapping with a 'places' list"):
        parse_gazetteer("just text")
    with pytest.raises(DataFileInvalid, match="not valid YAML, line 1"):
        parse_gazetteer("places: [unclosed")


# ------------------------------------------------------------------ properties


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_place_name(text)
    assert normalise_place_name(once) == once


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=40))
def test_lookup_raises_nothing_but_unknown_place(text: str) -> None:
    try:
        found = GAZETTEER.lookup(text)
    except UnknownPlace as exc:
        assert exc.name == text
        assert GAZETTEER.find(text) is None
    else:
        assert GAZETTEER.find(text) == found


@settings(deadline=None)
@given(st.sampled_from(PLACES).flatmap(lambda p: st.tuples(st.just(p), st.sampled_from(p.spellings()))))
def test_every_spelling_resolves_in_any_case(pair: tuple[Place, str]) -> None:
    expected, spelling = pair
    assert GAZETTEER.lookup(spelling) == expected
    assert GAZETTEER.lookup(spelling.upper()) == expected
    assert GAZETTEER.lookup(f"  {spelling.lower()}  ") == expected
