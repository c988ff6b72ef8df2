"""The synthetic border-crosser population: truth kept, lists drawn as asked, noise in the proportions asked."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date

import pytest

from corroborate.domain import Gazetteer
from corroborate.stats.linkage import (
    FAMILY_NAMES,
    CaptureHistories,
    Dependence,
    ListSpec,
    Noise,
    Person,
    Population,
    Style,
    capture_histories,
    default_lists,
    has_hangul,
    name_features,
    simulate,
)
from corroborate.stats.linkage.recording import record_name
from support import SHARED

GAZETTEER = Gazetteer.default()
NOISY = Noise(swap=0.3, typo=0.1, age_only=0.2, year_off=0.25, duplicate=0.1, place_variant=0.5)


@pytest.fixture(scope="module")
def noisy() -> Population:
    return simulate(4000, 4, seed=11, noise=NOISY)


def truth_of(population: Population) -> dict[str, Person]:
    return {p.person_id: p for p in population.people}


# ------------------------------------------------------------------ shape and reproducibility


def test_the_same_seed_gives_the_same_population() -> None:
    assert simulate(300, 4, seed=7) == simulate(300, 4, seed=7)
    assert simulate(300, 4, seed=7).records != simulate(300, 4, seed=8).records


@pytest.mark.parametrize("count", [3, 10])
def test_people_and_lists_as_asked(count: int) -> None:
    population = simulate(1500, count, seed=1)
    assert len(population.people) == 1500
    assert len({p.person_id for p in population.people}) == 1500
    assert [spec.name for spec in population.lists] == list("ABCDEFGHIJ"[:count])
    assert {r.list_name for r in population.records} == {spec.name for spec in population.lists}
    assert len({r.record_id for r in population.records}) == len(population.records)
    assert {r.person_id for r in population.records} <= {p.person_id for p in population.people}


def test_people_are_plausible_border_crossers() -> None:
    population = simulate(2000, 3, seed=2)
    families = {w for _, hangul, _, _ in FAMILY_NAMES for w in hangul.split()}
    for person in population.people:
        place = GAZETTEER.get(person.origin)
        assert place.kind != "province"
        assert 1940 <= person.birth_year <= 1995
        assert person.sex in ("F", "M")
        assert person.family in families and len(person.given) == 2 and has_hangul(person.given)
        crossed = date.fromisoformat(person.crossing)
        assert crossed.year - person.birth_year >= 15
        if person.repatriation is not None:
            assert person.arrest is not None
        if person.arrest is not None:
            assert crossed < date.fromisoformat(person.arrest)
            if person.repatriation is not None:
                assert date.fromisoformat(person.arrest) < date.fromisoformat(person.repatriation)
    common = Counter(p.family for p in population.people).most_common(3)
    assert [family for family, _ in common] == ["김", "이", "박"]
    assert 0.15 < sum(p.arrest is not None for p in population.people) / 2000 < 0.65


def test_default_lists_spread_capture_and_styles() -> None:
    lists = default_lists(10)
    assert [spec.name for spec in lists] == list("ABCDEFGHIJ")
    assert all(0.2 <= spec.capture <= 0.45 for spec in lists)
    assert [spec.style for spec in lists[:4]] == ["hangul", "rr", "mr", "adhoc"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"people": 0},
        {"people": 10, "lists": 27},
        {"people": 10, "lists": [ListSpec("A", 0.3, "rr"), ListSpec("A", 0.3, "mr")]},
        {"people": 10, "dependence": [Dependence("A", "Z")]},
        {"people": 10, "dependence": [Dependence("B", "A")]},
        {"people": 10, "heterogeneity": -1.0},
    ],
)
def test_impossible_populations_are_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        simulate(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make",
    [lambda: Noise(typo=1.5), lambda: ListSpec("A", 1.0, "rr"), lambda: ListSpec("A", 0.3, "x")],  # type: ignore[arg-type]
)
def test_impossible_settings_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


# ------------------------------------------------------------------ capture


def test_capture_histories_count_each_person_seen_once(noisy: Population) -> None:
    histories = noisy.capture_histories()
    seen = {r.person_id for r in noisy.records}
    assert histories.observed == len(seen)
    assert histories.lists == ("A", "B", "C", "D")
    assert all(any(pattern) and len(pattern) == 4 for pattern, _ in histories.rows)
    on_a = {r.person_id for r in noisy.records if r.list_name == "A"}
    assert sum(count for pattern, count in histories.rows if pattern[0]) == len(on_a)
    assert len({pattern for pattern, _ in histories.rows}) == len(histories.rows)


def test_capture_histories_by_hand() -> None:
    histories = capture_histories([("A", "p1"), ("A", "p1"), ("B", "p1"), ("B", "p2"), ("C", "p3")], ["A", "B", "C"])
    assert histories == CaptureHistories(("A", "B", "C"), (((0, 1, 0), 1), ((0, 0, 1), 1), ((1, 1, 0), 1)))
    assert histories.to_csv() == "A,B,C,count\n0,1,0,1\n0,0,1,1\n1,1,0,1\n"
    with pytest.raises(ValueError, match="unknown list"):
        capture_histories([("D", "p1")], ["A", "B", "C"])


def test_capture_histories_write_the_shared_mse_format() -> None:
    """Expanding a published table into people and counting them again gives the file back, row for row."""
    text = (SHARED / "data" / "mse" / "uk_2013_5lists_UKdat_5.csv").read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    lists = header.split(",")[:-1]
    memberships = []
    for number, row in enumerate(rows):
        *pattern, count = (int(v) for v in row.split(","))
        for person in range(count):
            memberships += [(name, f"{number}-{person}") for name, on in zip(lists, pattern, strict=True) if on]
    assert capture_histories(memberships, lists).to_csv().splitlines() == text.splitlines()


def test_dependence_raises_the_overlap_of_two_lists() -> None:
    lists = [ListSpec("A", 0.3, "rr"), ListSpec("B", 0.3, "mr"), ListSpec("C", 0.3, "hangul")]

    def overlap(population: Population, first: str, second: str) -> int:
        on = {name: {r.person_id for r in population.records if r.list_name == name} for name in "ABC"}
        return len(on[first] & on[second])

    independent = simulate(4000, lists, seed=5, heterogeneity=0.0)
    dependent = simulate(4000, lists, seed=5, heterogeneity=0.0, dependence=[Dependence("A", "B", 2.0)])
    # Independent lists of 0.3 each overlap on about 0.09 of people; with odds x e^2 on B for A's people, about 0.23.
    assert 300 < overlap(independent, "A", "B") < 420
    assert overlap(dependent, "A", "B") > 1.8 * overlap(independent, "A", "B")
    assert abs(overlap(dependent, "A", "C") - overlap(independent, "A", "C")) < 80


def test_visibility_makes_the_same_people_seen_on_every_list() -> None:
    lists = [ListSpec(name, 0.3, "rr") for name in "ABC"]
    alike = dict(simulate(4000, lists, seed=6, heterogeneity=0.0).capture_histories().rows)
    varied = dict(simulate(4000, lists, seed=6, heterogeneity=2.0).capture_histories().rows)
    assert varied[(1, 1, 1)] > 2 * alike[(1, 1, 1)]


# ------------------------------------------------------------------ what lists write


def test_each_list_writes_in_its_style(noisy: Population) -> None:
    style = {spec.name: spec.style for spec in noisy.lists}
    by_style: dict[str, list[str]] = {}
    for record in noisy.records:
        by_style.setdefault(style[record.list_name], []).append(record.name)
    assert all(has_hangul(name) for name in by_style["hangul"])
    assert not any(has_hangul(name) for names in (by_style["rr"], by_style["mr"], by_style["adhoc"]) for name in names)
    assert all(name.isascii() for name in by_style["rr"] + by_style["adhoc"])
    assert any("ŏ" in name or "ŭ" in name for name in by_style["mr"])
    assert any("'" in name for name in by_style["mr"])


def test_noise_comes_in_the_proportions_asked(noisy: Population) -> None:
    romanised = {spec.name for spec in noisy.lists if spec.style != "hangul"}
    records = noisy.records
    flagged = Counter(flag for r in records for flag in r.noise)
    n = len(records)
    with_year = sum(r.birth_year is not None for r in records)
    swaps = sum("swap" in r.noise for r in records if r.list_name in romanised)
    with_variants = sum(bool(GAZETTEER.get(truth_of(noisy)[r.person_id].origin).variants) for r in records)
    assert abs(flagged["typo"] / n - NOISY.typo) < 0.02
    assert abs(flagged["age_only"] / n - NOISY.age_only) < 0.03
    assert abs(flagged["year_off"] / with_year - NOISY.year_off) < 0.03
    assert abs(swaps / sum(r.list_name in romanised for r in records) - NOISY.swap) < 0.03
    assert abs(flagged["place_variant"] / with_variants - NOISY.place_variant) < 0.03
    assert abs(flagged["duplicate"] / (n - flagged["duplicate"]) - NOISY.duplicate) < 0.02
    assert flagged["swap"] == swaps  # Hangul lists never swap


def test_the_noise_flags_tell_the_truth(noisy: Population) -> None:
    people = truth_of(noisy)
    for record in noisy.records:
        person = people[record.person_id]
        place = GAZETTEER.get(person.origin)
        interviewed = date.fromisoformat(record.interview_date)
        assert interviewed > date.fromisoformat(person.crossing)
        if "age_only" in record.noise:
            assert record.birth_year is None and record.age is not None
            assert interviewed.year - record.age - person.birth_year in (0, 1)
        elif "year_off" in record.noise:
            assert record.birth_year is not None and abs(record.birth_year - person.birth_year) in (1, 2)
        else:
            assert record.birth_year == person.birth_year and record.age is None
        if "place_variant" in record.noise:
            assert record.origin in place.variants
        assert GAZETTEER.find(record.origin) == place
        assert record.sex == person.sex


def test_duplicates_appear_only_when_asked() -> None:
    quiet = simulate(2000, 3, seed=4, noise=Noise(duplicate=0.0))
    for population, expected in ((quiet, False), (simulate(2000, 3, seed=4, noise=Noise(duplicate=0.1)), True)):
        twice = Counter((r.list_name, r.person_id) for r in population.records)
        assert (max(twice.values()) > 1) is expected
        assert any("duplicate" in r.noise for r in population.records) is expected


def test_a_list_may_have_its_own_noise() -> None:
    careful = ListSpec("A", 0.4, "rr", noise=Noise(swap=0.0, typo=0.0, year_off=0.0, age_only=0.0, duplicate=0.0))
    population = simulate(1500, [careful, ListSpec("B", 0.4, "rr")], seed=3, noise=NOISY)
    assert not any(
        {"swap", "typo", "year_off", "age_only", "duplicate"} & set(r.noise)
        for r in population.records
        if r.list_name == "A"
    )
    assert any("swap" in r.noise for r in population.records if r.list_name == "B")


def test_names_module_finds_the_true_family_and_given_name_most_of_the_time(noisy: Population) -> None:
    """The generator's romanisations and the feature code agree: the link between issue 14's items 2 and 5."""
    people = truth_of(noisy)
    clean = [r for r in noisy.records if "typo" not in r.noise]
    family_hits = given_hits = order_hits = 0
    for record in clean:
        person = people[record.person_id]
        truth = name_features(person.family + person.given)
        seen = name_features(record.name)
        family_hits += seen.family_key == truth.family_key
        given_hits += seen.given_key == truth.given_key
        order_hits += seen.swapped == ("swap" in record.noise)
    assert family_hits / len(clean) > 0.97
    assert given_hits / len(clean) > 0.97
    assert order_hits / len(clean) > 0.97


def test_records_become_csv_rows() -> None:
    record = simulate(50, 3, seed=9, noise=Noise(age_only=1.0)).records[0]
    row = record.as_row()
    assert row["record_id"] == record.record_id and row["person_id"] == record.person_id
    assert row["birth_year"] == "" and row["age"] == str(record.age)
    assert list(row)[:3] == ["record_id", "list_name", "person_id"]
    assert row["noise"].split() == list(record.noise)


@pytest.mark.parametrize("style", ["hangul", "rr", "mr", "adhoc"])
def test_a_typo_always_changes_the_name(style: Style) -> None:
    population = simulate(300, 3, seed=12)
    for number, person in enumerate(population.people):
        # Two generators in the same state draw the same name up to the typo.
        clean, _ = record_name(person.family, person.given, style, random.Random(number), Noise(typo=0.0))
        typed, made = record_name(person.family, person.given, style, random.Random(number), Noise(typo=1.0))
        assert made.count("typo") == 1
        assert typed.replace(" ", "") != clean.replace(" ", "")
