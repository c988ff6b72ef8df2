"""Linkage on keyed Bloom-filter encodings: Dice by popcount as clk.dice computes it, spellings of one person
encoded alike, generated lists linked on encodings nearly as well as in clear, and another key links nothing."""

from __future__ import annotations

import random

import numpy as np
import pytest

from corroborate.stats.linkage import Population, dice
from corroborate.stats.linkage.encoded import (
    FeatureEncoder,
    bit_matrix,
    candidate_pairs,
    dice_scores,
    key_check,
    link_encodings,
)
from corroborate.stats.linkage.model import LinkedRecords, pair_scores

KEY = b"the organisations' shared key, 32B"
OTHER_KEY = b"a key another linkage made, 32 B!"


def _pairs(*pairs: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([a for a, _ in pairs], dtype=np.int64), np.array([b for _, b in pairs], dtype=np.int64)


def test_dice_on_known_bit_arrays() -> None:
    a = bytes([0b11110000]) + bytes(7)  # 4 bits
    b = bytes([0b11000000]) + bytes(6) + bytes([1])  # 3 bits, 2 shared with a
    empty = bytes(8)
    scores = dice_scores(bit_matrix([a, b, empty]), *_pairs((0, 1), (0, 0), (0, 2), (2, 2)))
    assert scores.tolist() == [2 * 2 / 7, 1.0, 0.0, 0.0]


def test_dice_by_popcount_is_clk_dice_on_random_filters_of_any_length() -> None:
    rng = random.Random(3)
    for width in (8, 12, 128):  # 12 bytes: rows are padded to whole 64-bit words
        filters = [bytes(rng.getrandbits(8) & rng.getrandbits(8) for _ in range(width)) for _ in range(30)]
        left, right = _pairs(*[(rng.randrange(30), rng.randrange(30)) for _ in range(200)])
        found = dice_scores(bit_matrix(filters), left, right)
        expected = [dice(filters[i], filters[j]) for i, j in zip(left.tolist(), right.tolist(), strict=True)]
        assert found == pytest.approx(expected, abs=1e-12)
    with pytest.raises(ValueError, match="different lengths"):
        bit_matrix([bytes(8), bytes(16)])


def _record(name: str, born: str = "1971", origin: str = "Hoeryong", sex: str = "M") -> dict[str, str]:
    return {"name": name, "birth_year": born, "origin": origin, "sex": sex}


def test_spellings_of_one_person_encode_alike_and_other_people_apart() -> None:
    encode = FeatureEncoder(KEY)
    same = [encode(_record(n)) for n in ("Kim Young-chol", "김영철", "Gim Yeongcheol", "Yŏng-ch'ŏl KIM")]
    assert all(dice(same[0], other) >= 0.95 for other in same[1:])
    assert dice(same[0], encode(_record("Kim Young-chol", born="1972"))) >= 0.9  # a year off still overlaps
    assert dice(same[0], encode(_record("Kim Young-chol", origin="Musan"))) < 0.9  # same name and province
    assert dice(same[0], encode(_record("Kim Young-chol", origin="Hyesan"))) < 0.85  # another province
    assert dice(same[0], encode(_record("Pak Myong-su", born="1950", sex="F"))) < 0.5
    assert encode({}) == bytes(len(same[0]))  # nothing known: no bit set
    with pytest.raises(ValueError, match="at least 16 bytes"):
        FeatureEncoder(b"short")


def test_the_key_check_tells_keys_apart_without_the_key() -> None:
    assert key_check(KEY) == key_check(bytes(KEY)) != key_check(OTHER_KEY)
    assert len(key_check(KEY)) == 16 and KEY.hex()[:16] not in key_check(KEY)


def test_blocking_finds_alike_filters_and_never_empty_ones() -> None:
    rng = random.Random(5)
    base = [bytes(rng.getrandbits(8) & rng.getrandbits(8) for _ in range(128)) for _ in range(50)]
    near = [bytes(b ^ (1 if i == 3 else 0) for i, b in enumerate(f)) for f in base[:10]]  # one bit changed
    matrix = bit_matrix([*base, *near, bytes(128), bytes(128)])
    left, right = candidate_pairs(matrix, bits=1024, bands=10, band_bits=16)
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    assert {(i, 50 + i) for i in range(10)} <= found  # each near copy is a candidate of its original
    assert not any(60 in pair or 61 in pair for pair in found)
    assert len(found) < 61 * 60 // 20  # far fewer than all pairs
    with pytest.raises(ValueError, match="sampled bits"):
        candidate_pairs(matrix, bits=1024, band_bits=64)


def _encoded(population: Population, keys: dict[str, bytes]) -> list[tuple[str, str, bytes]]:
    encoders = {name: FeatureEncoder(key) for name, key in keys.items()}
    return [(r.list_name, r.record_id, encoders[r.list_name](r.as_row())) for r in population.records]


def test_generated_lists_link_on_encodings_nearly_as_well_as_in_clear(
    small_linkage: tuple[Population, LinkedRecords],
) -> None:
    population, plain = small_linkage
    truth = {(r.list_name, r.record_id): r.person_id for r in population.records}
    linked = link_encodings(_encoded(population, dict.fromkeys("ABC", KEY)))
    assert set(linked.clusters) == set(truth)
    precision, recall = pair_scores(truth, linked.clusters)
    plain_precision, plain_recall = pair_scores(truth, plain.clusters)
    assert precision >= 0.95 and recall >= plain_recall - 0.05, (precision, recall, plain_precision, plain_recall)
    assert all(d >= 0.8 for *_, d in linked.pairs) and linked.candidates < len(truth) ** 2 / 20
    first = sorted(linked.clusters)[0]
    assert linked.clusters[first] == "P-000001"


def test_lists_encoded_under_another_key_link_to_nothing(small_linkage: tuple[Population, LinkedRecords]) -> None:
    population, _ = small_linkage
    linked = link_encodings(_encoded(population, {"A": KEY, "B": OTHER_KEY, "C": OTHER_KEY}))
    lists_of: dict[str, set[str]] = {}
    for (list_name, _), person in linked.clusters.items():
        lists_of.setdefault(person, set()).add(list_name)
    assert not any("A" in held and len(held) > 1 for held in lists_of.values())
    assert any(held == {"B", "C"} for held in lists_of.values())  # B and C share a key: they still link
    assert not any({a[0], b[0]} & {"A"} and a[0] != b[0] for a, b, _ in linked.pairs)


def test_link_refuses_repeated_records_and_bad_thresholds() -> None:
    one = FeatureEncoder(KEY)(_record("Kim Young-chol"))
    with pytest.raises(ValueError, match="twice"):
        link_encodings([("A", "1", one), ("A", "1", one)])
    with pytest.raises(ValueError, match="thresholds"):
        link_encodings([("A", "1", one), ("B", "1", one)], threshold=0.7, pairs_from=0.8)
    linked = link_encodings([("A", "1", one), ("B", "1", one), ("B", "2", bytes(len(one)))])
    assert linked.clusters == {("A", "1"): "P-000001", ("B", "1"): "P-000001", ("B", "2"): "P-000002"}
