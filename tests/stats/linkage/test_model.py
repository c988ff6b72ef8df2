"""Splink linkage of generated lists against their known truth: the pairs it puts together are right, it
finds most of the true ones across romanisations and Hangul, and the capture histories it gives are close
to the true ones."""

from __future__ import annotations

import pytest

from corroborate.stats.linkage import Population, capture_histories, simulate
from corroborate.stats.linkage.model import LinkedRecords, link_records, pair_scores


@pytest.fixture(scope="module")
def linked() -> tuple[Population, LinkedRecords]:
    population = simulate(2500, lists=4, seed=3)
    records = [(r.list_name, r.record_id, r.as_row()) for r in population.records]
    return population, link_records(records, threshold=0.9)


def test_most_true_pairs_are_found_and_few_false_ones(linked: tuple[Population, LinkedRecords]) -> None:
    population, found = linked
    truth = {(r.list_name, r.record_id): r.person_id for r in population.records}
    assert set(found.clusters) == set(truth)
    precision, recall = pair_scores(truth, found.clusters)
    assert precision > 0.97 and recall > 0.9, (precision, recall)
    assert all(p >= 0.5 for *_, p, _ in found.pairs)


def test_the_capture_histories_of_the_clusters_are_close_to_the_true_ones(
    linked: tuple[Population, LinkedRecords],
) -> None:
    population, found = linked
    lists = [spec.name for spec in population.lists]
    true = population.capture_histories()
    estimated = capture_histories(found.memberships(), lists)
    assert abs(estimated.observed - true.observed) / true.observed < 0.05, (estimated.observed, true.observed)


def test_pair_scores_count_pairs_not_records() -> None:
    truth = {"a": "P1", "b": "P1", "c": "P1", "d": "P2"}
    assert pair_scores(truth, truth) == (1.0, 1.0)
    assert pair_scores(truth, {"a": "x", "b": "x", "c": "y", "d": "y"}) == (0.5, 1 / 3)
    assert pair_scores(truth, {k: k for k in truth}) == (1.0, 0.0)


def test_too_few_records_are_refused() -> None:
    with pytest.raises(ValueError, match="at least two records"):
        link_records([("A", "1", {"name": "Kim Young-chol"})])
