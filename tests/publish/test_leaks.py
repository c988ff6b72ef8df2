"""The leak scan: planted restricted values are caught in every spelling; public text is left alone."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.domain import Case, RestrictedIdentity
from corroborate.ingest import read_casefile
from corroborate.publish.disclosure import DisclosurePolicy, render_descriptor
from corroborate.publish.leaks import Leak, LeakScanner, scan_for_leaks

CONTEXT = "In late 2006, a source told Human Rights Watch that {} had crossed the Tumen river twice."


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture(scope="module")
def restricted(case: Case) -> dict[str, RestrictedIdentity]:
    return {w.id: w.restricted for w in case.witnesses if w.restricted is not None}


@pytest.fixture(scope="module")
def scanner(restricted: dict[str, RestrictedIdentity]) -> LeakScanner:
    return LeakScanner(restricted)


# (planted text, witness, field). The reference case's invented identities:
# W-002 Ri Chol-min 리철민 +86 130 5550 0147, born 1974-03-15, Helong;
# W-004 Kang Yong-su 강용수 (alias Jiang Yongzhu); W-005 Jon Kwang-hyok 전광혁;
# W-007 Pak Sun-ok 박순옥 (alias Grandmother Pak); W-010 Choe Myong-hui 최명희
# (alias Cui Minghui, messenger mh.hwasong.73); W-012 Hwang Kum-sil 황금실.
PLANTED = [
    # names: as recorded, case, spacing, hyphens, order
    ("Ri Chol-min", "W-002", "name"),
    ("RI CHOL MIN", "W-002", "name"),
    ("ri chol-min", "W-002", "name"),
    ("Ri Cholmin", "W-002", "name"),
    ("RiCholmin", "W-002", "name"),
    ("Chol-min Ri", "W-002", "name"),
    ("Ri, Chol-min", "W-002", "name"),
    ("Ri  Chol\u2010min", "W-002", "name"),
    ("Ri Chol-\nmin", "W-002", "name"),
    ("Cholmin", "W-002", "name"),
    ("Chol-min's", "W-002", "name"),
    # names: romanisation of surname and syllables
    ("Lee Cheol-min", "W-002", "name"),
    ("Yi Chul Min", "W-002", "name"),
    ("Rhee Ch\u2019\u014fl-min", "W-002", "name"),
    ("Park Sun-ok", "W-007", "name"),
    ("Bak Seon-ock", "W-007", "name"),
    ("PAK SUNOK", "W-007", "name"),
    ("Sun-ok Park", "W-007", "name"),
    ("Choi Myung-hee", "W-010", "name"),
    ("Choe Myeonghui", "W-010", "name"),
    ("Myong-hui", "W-010", "name"),
    ("Kang Young-soo", "W-004", "name"),
    ("Gang Yongsu", "W-004", "name"),
    ("Jeon Gwang-hyeok", "W-005", "name"),
    ("Chun Kwang Hyuk", "W-005", "name"),
    ("Hwang Geum-sil", "W-012", "name"),
    ("Whang Keumsil", "W-012", "name"),
    # aliases
    ("Grandmother Park", "W-007", "aliases"),
    ("Cui Minghui", "W-010", "aliases"),
    ("Yongzhu Jiang", "W-004", "aliases"),
    # Hangul: as recorded, spaced, zero-width, decomposed, southern spelling, with a particle
    ("리철민", "W-002", "name_hangul"),
    ("리 철 민", "W-002", "name_hangul"),
    ("리\u200b철\u200c민", "W-002", "name_hangul"),
    (unicodedata.normalize("NFD", "리철민"), "W-002", "name_hangul"),
    ("이철민", "W-002", "name_hangul"),
    ("리철민은", "W-002", "name_hangul"),
    (unicodedata.normalize("NFD", "박 순옥"), "W-007", "name_hangul"),
    ("최명희", "W-010", "name_hangul"),
    ("강용수", "W-004", "name_hangul"),
    ("전광혁", "W-005", "name_hangul"),
    ("황금실", "W-012", "name_hangul"),
    # phone numbers in any formatting
    ("+86 130 5550 0147", "W-002", "contacts"),
    ("0086-130-5550-0147", "W-002", "contacts"),
    ("13055500147", "W-002", "contacts"),
    ("(130) 5550 0147", "W-002", "contacts"),
    ("+86-130-5550-0147", "W-002", "contacts"),
    ("130.5550.0147", "W-002", "contacts"),
    ("8613055500147", "W-002", "contacts"),
    ("+86 (130) 5550-0147", "W-002", "contacts"),
    ("0130 5550 0147", "W-002", "contacts"),
    ("+86 134 5550 0563", "W-010", "contacts"),
    # handles
    ("mh.hwasong.73", "W-010", "contacts"),
    ("@MH_Hwasong_73", "W-010", "contacts"),
    # full birth dates in other formats
    ("15 March 1974", "W-002", "birth_date"),
    ("March 15, 1974", "W-002", "birth_date"),
    ("1974-03-15", "W-002", "birth_date"),
    ("1974/03/15", "W-002", "birth_date"),
    ("15.03.1974", "W-002", "birth_date"),
    ("15th of Mar. 1974", "W-002", "birth_date"),
    ("1974\ub144 3\uc6d4 15\uc77c", "W-002", "birth_date"),
    ("2 May 1968", "W-004", "birth_date"),
    # current locations and notes
    ("Helong, Jilin province", "W-002", "current_location"),
    ("room above a noodle shop", "W-002", "current_location"),
    ("back room of a church member's house", "W-007", "current_location"),
    ("Works day shifts on a building site", "W-002", "notes"),
    # what a reader sees, typed otherwise: collapsed spaces, invisible characters, look-alikes,
    # full-width forms, compatibility jamo, other notations of phones, dates and places
    ("박   순   옥", "W-007", "name_hangul"),
    ("ㅂㅏㄱㅅㅜㄴㅇㅗㄱ", "W-007", "name_hangul"),
    ("\u1107\u200b\u1161\u11a8순옥", "W-007", "name_hangul"),
    ("Раk Sun-оk", "W-007", "name"),
    ("Ｐａｋ Ｓｕｎ－ｏｋ", "W-007", "name"),
    ("P\u00adak Sun-ok", "W-007", "name"),
    ("+86_133_5550_0271", "W-007", "contacts"),
    ("133·5550·0271", "W-007", "contacts"),
    ("133,5550,0271", "W-007", "contacts"),
    ("+86 133 5550 O27l", "W-007", "contacts"),
    ("11.II.1940", "W-007", "birth_date"),
    ("11 Feb '40", "W-007", "birth_date"),
    ("Feb. 11th '40", "W-007", "birth_date"),
    ("吉林省和龙市", "W-002", "current_location"),
    ("Hwaryong, Kirin", "W-002", "current_location"),
    ("Hunchun City, Jilin Province", "W-007", "current_location"),
]


@pytest.mark.parametrize(("planted", "witness", "field"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_value_is_caught(scanner: LeakScanner, planted: str, witness: str, field: str) -> None:
    text = CONTEXT.format(planted)
    at = text.index(planted)
    leaks = scanner.scan(text, where=lambda offset: f"paragraph {1 + offset // 1000}")
    found = [leak for leak in leaks if (leak.witness, leak.field) == (witness, field)]
    assert found, f"{planted!r} was not caught: {[str(leak) for leak in leaks]}"
    leak = found[0]
    assert at <= leak.start < leak.end <= at + len(planted)
    assert leak.where == "paragraph 1"
    assert leak.matched == text[leak.start : leak.end]
    for shown in (str(leak), repr(leak), str(leak.public())):
        assert planted.casefold() not in shown.casefold()
        assert leak.matched.casefold() not in shown.casefold()


def test_there_are_well_over_twenty_planted_variants() -> None:
    assert len(PLANTED) >= 60
    assert len({field for _, _, field in PLANTED}) == 7


def test_the_reference_paper_leaks_nothing(scanner: LeakScanner, reference_paper: str) -> None:
    # It names Kim Jong Il, Kim Il Sung and the journalist Han Young-jin, and holds many numbers and dates.
    assert "Kim Jong Il" in reference_paper
    assert scanner.scan(reference_paper) == []


def test_public_descriptors_leak_nothing(case: Case, scanner: LeakScanner) -> None:
    interviews = {i.witness: i for i in case.interviews}
    policies = [DisclosurePolicy(), DisclosurePolicy(generalise={"age": "decade", "origin": "province"})]
    notes = [
        f"Human Rights Watch interview with {render_descriptor(w, interviews[w.id], p)}, China, November 28, 2006."
        for w in case.witnesses
        for p in policies
    ]
    text = "\n".join([*notes, "a woman from Saebyol, in her forties", "a man from Hoeryong in his thirties"])
    assert scanner.scan(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kim said so. Ri and Pak, Choe and Kang, Jon and Hwang were mentioned by surname only.",
        "Mr. Lee met Mrs. Park near the river; Kim Jong Il and Kim Il Sung ruled.",
        "Young men and young women, in 1974 or March 1974 or 1974-03, called 130 5550.",
        "The phone number 5550 0147 alone is too short; 2006-11-28 is an interview date.",
        "Is it OK? The sun, ok. I am min. O, il, ri, yi.",
        "Shenyang, Yanji and Hunchun are cities in China; Helong is a town.",
        "She prefers to be called after eight in the evening.",
    ],
)
def test_common_words_and_public_facts_are_not_leaks(scanner: LeakScanner, text: str) -> None:
    assert [str(leak) for leak in scanner.scan(text)] == []


def test_a_scanner_is_built_from_identities_or_from_a_table() -> None:
    with pytest.raises(TypeError):
        LeakScanner()
    with pytest.raises(TypeError):
        LeakScanner({}, table=LeakScanner({}).table)


def test_a_town_alone_or_a_province_alone_is_no_ones_location(scanner: LeakScanner) -> None:
    text = "Crossers reach Helong, Yanji (延吉), 和龙 and Shenyang; many live in Jilin province or in Liaoning."
    assert [str(leak) for leak in scanner.scan(text)] == []


def test_a_given_name_next_to_another_familys_surname_is_someone_else() -> None:
    restricted = {"W-001": RestrictedIdentity(name="Ri Jong-il"), "W-002": RestrictedIdentity(name="O Il")}
    scanner = LeakScanner(restricted)
    assert scanner.scan("Kim Jong Il and Jong-il Kim visited; oil prices rose.") == []
    caught = [(leak.witness, leak.detail) for leak in scanner.scan("Ri Jong Il met Jong-Il and O Il.")]
    assert caught == [("W-001", "full name"), ("W-001", "given name"), ("W-002", "full name")]


def test_notes_are_scanned_for_names_and_identifiers_not_common_words() -> None:
    note = "Met through pastor Kim Sung-ho in 2006; code LX4471; phone 010-1234-5678. Hard of hearing."
    scanner = LeakScanner({"W-001": RestrictedIdentity(notes=note)})
    assert {leak.detail for leak in scanner.scan("pastor Gim Seong-ho and lx4471, +82 10 1234 5678")} == {
        "name in notes",
        "identifier in notes",
        "phone number",
    }
    assert scanner.scan("In 2006 he was hard of hearing; Kim was a pastor.") == []


def test_a_name_recorded_in_two_scripts_is_scanned_in_both() -> None:
    scanner = LeakScanner({"W-001": RestrictedIdentity(name="Kim Young-hee (김영희)", aliases=["金英姬"])})
    found = {(leak.field, leak.detail) for leak in scanner.scan("Kim Younghee, 김 영희 and 金英姬; 영희는 왔다.")}
    assert found == {
        ("name", "full name"),
        ("name", "Hangul name"),
        ("aliases", "alias"),
        ("name", "given Hangul name"),
    }


def test_scan_for_leaks_is_the_scanner_in_one_call(restricted: dict[str, RestrictedIdentity]) -> None:
    [leak] = scan_for_leaks("We spoke to Choi Myung-hee.", restricted)
    assert isinstance(leak, Leak) and (leak.witness, leak.field, leak.where) == ("W-010", "name", None)


def test_a_megabyte_against_a_hundred_witnesses_is_fast(reference_paper: str) -> None:
    surnames = ["Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Cho", "Yun", "Jang", "Han", "Hwang", "Song"]
    given = ["Chol", "Myong", "Kum", "Sun", "Ok", "Hyok", "Kwang", "Song", "Yong", "Hui", "Sil", "Nam", "Il"]
    restricted = {
        f"W-{n:03d}": RestrictedIdentity(
            name=f"{surnames[n % 12]} {given[n % 13]}-{given[(n * 7 + 3) % 13].lower()}",
            name_hangul="박순옥"[: 2 + n % 2] + chr(0xAC00 + n * 37),
            aliases=[f"Alias{n} Person"],
            contacts=[f"+86 139 {n:04d} {n * 13 % 10000:04d}", f"handle.{n}.x"],
            birth_date=f"19{50 + n % 40}-0{1 + n % 9}-1{n % 10}",
            current_location=f"Town{n}, Jilin province (flat {n} above a shop)",
            notes=f"Reached through contact number {n}; prefers evening calls after work in the fields.",
        )
        for n in range(100)
    }
    start = time.perf_counter()
    scanner = LeakScanner(restricted)
    built = time.perf_counter() - start
    text = (reference_paper * (1_000_000 // len(reference_paper) + 1))[:1_000_000]
    start = time.perf_counter()
    leaks = scanner.scan(text)
    scanned = time.perf_counter() - start
    assert leaks == []
    assert built < 1.0 and scanned < 1.0, f"build {built:.2f}s, scan {scanned:.2f}s"


# ---------------------------------------------------------------- properties

# Every restricted full name of the reference case (names, Hangul names, aliases), with its witness.
_REFERENCE = read_casefile(Path(__file__).resolve().parents[2] / "examples" / "border-crossers-2007" / "case.yaml")
_NAMES = [
    (value, w.id)
    for w in _REFERENCE.witnesses
    if w.restricted is not None
    for value in [w.restricted.name, w.restricted.name_hangul, *w.restricted.aliases]
    if value
]
_HANGUL_GLUE = ["", " ", "\u200b", "\u200d", " \u200b"]
_LATIN_GLUE = [" ", "-", "", "  ", "\u2010", " - ", "\n", "-\n"]


@st.composite
def respelt(draw: st.DrawFn) -> tuple[str, str]:
    """A restricted full name of the case with random case, and random spaces or hyphens between its parts."""
    name, witness = draw(st.sampled_from(_NAMES))
    if all("\uac00" <= c <= "\ud7a3" for c in name):
        text = name[0] + "".join(draw(st.sampled_from(_HANGUL_GLUE)) + c for c in name[1:])
        return (unicodedata.normalize("NFD", text) if draw(st.booleans()) else text), witness
    first, *rest = re.split(r"[\s-]+", name)
    letters = first + "".join(draw(st.sampled_from(_LATIN_GLUE)) + part for part in rest)
    flips = draw(st.lists(st.booleans(), min_size=len(letters), max_size=len(letters)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(letters, flips, strict=True)), witness


_values = st.text(max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    identity=st.builds(
        RestrictedIdentity,
        name=st.none() | _values,
        name_hangul=st.none() | _values,
        aliases=st.lists(_values, max_size=3),
        contacts=st.lists(_values | st.from_regex(r"\+?[0-9 ()-]{7,20}", fullmatch=True), max_size=3),
        birth_date=st.none() | st.dates().map(lambda d: d.isoformat()),
        current_location=st.none() | _values,
        notes=st.none() | st.text(max_size=200),
    ),
    text=st.text(max_size=200),
)
def test_any_identity_compiles_and_scans(identity: RestrictedIdentity, text: str) -> None:
    for leak in scan_for_leaks(text, {"W-001": identity}):
        assert leak.witness == "W-001" and 0 <= leak.start < leak.end <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_can_be_scanned(scanner: LeakScanner, text: str) -> None:
    for leak in scanner.scan(text, where=lambda offset: f"at {offset}"):
        assert 0 <= leak.start < leak.end <= len(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(max_size=200), after=st.text(max_size=200), name=respelt())
def test_a_full_name_inserted_anywhere_is_caught(
    scanner: LeakScanner, before: str, after: str, name: tuple[str, str]
) -> None:
    spelt, witness = name
    text = f"{before} {spelt} {after}"
    at = len(before) + 1
    leaks = scanner.scan(text)
    assert any(leak.witness == witness and leak.start >= at and leak.end <= at + len(spelt) for leak in leaks), [
        str(leak) for leak in leaks
    ]
