"""Clustering scored pairs: connected components, and best links for duplicate-free lists (Splink's, run on
DuckDB), checked on a hand-made case, against a greedy union-find reference on random graphs, and on a
generated linkage whose duplicate-free lists really are."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import pytest

from corroborate.stats.linkage import Noise, default_lists, simulate
from corroborate.stats.linkage.clustering import cluster_predictions, numbered
from corroborate.stats.linkage.model import link_records, pair_scores

Node = tuple[str, str]
Edge = tuple[Node, Node, float]
LISTS = {"A": "list_0", "B": "list_1", "C": "list_2"}  # list name -> the linker's table


@pytest.fixture(scope="module")
def linker() -> Iterator[Any]:
    """A Splink linker over five records in each of lists A, B and C (their pairs are made up per test)."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator
    from splink.backends.duckdb import DuckDBAPI

    database = DuckDBAPI()
    tables = [database.register(pa.Table.from_pylist([{"record_id": f"{name}{i}", "list_name": name}
                                                      for i in range(1, 6)]), dataset_display_name=table)
              for name, table in LISTS.items()]  # fmt: skip
    settings = SettingsCreator(link_type="link_and_dedupe", unique_id_column_name="record_id",
                               comparisons=[cl.ExactMatch("list_name")])  # fmt: skip
    yield Linker(tables, settings, log_level=logging.WARNING)


def _cluster(linker: Any, edges: Sequence[Edge], threshold: float, duplicate_free: Sequence[str]) -> list[set[Node]]:
    import pyarrow as pa

    rows = [{"record_id_l": a[1], "source_dataset_l": LISTS[a[0]], "record_id_r": b[1],
             "source_dataset_r": LISTS[b[0]], "match_probability": p} for a, b, p in edges]  # fmt: skip
    predicted = linker._db_api.register(pa.Table.from_pylist(rows, schema=pa.schema([
        ("record_id_l", pa.string()), ("source_dataset_l", pa.string()), ("record_id_r", pa.string()),
        ("source_dataset_r", pa.string()), ("match_probability", pa.float64())])))  # fmt: skip
    found = cluster_predictions(linker, predicted, threshold=threshold,
                                duplicate_free=[LISTS[name] for name in duplicate_free])  # fmt: skip
    return _groups(found)


def _groups(found: dict[Node, str]) -> list[set[Node]]:
    groups: dict[str, set[Node]] = {}
    for node, group in found.items():
        groups.setdefault(group, set()).add(node)
    return sorted((g for g in groups.values() if len(g) > 1), key=sorted)


def _reference(edges: Sequence[Edge], threshold: float, duplicate_free: Sequence[str]) -> list[set[Node]]:
    """Greedy best links: the pairs from the highest probability down, each merging two clusters unless the
    merge puts two records of a duplicate-free list together (union-find)."""
    nodes = {(name, f"{name}{i}") for name in LISTS for i in range(1, 6)}
    parent = {node: node for node in nodes}
    members = {node: {node} for node in nodes}

    def root(node: Node) -> Node:
        while parent[node] != node:
            node = parent[node]
        return node

    for a, b, p in sorted(edges, key=lambda edge: -edge[2]):
        ra, rb = root(a), root(b)
        if p < threshold or ra == rb:
            continue
        lists_a, lists_b = ({n[0] for n in members[r]} for r in (ra, rb))
        if any(name in lists_a and name in lists_b for name in duplicate_free):
            continue
        parent[rb] = ra
        members[ra] |= members.pop(rb)
    return sorted((m for m in members.values() if len(m) > 1), key=sorted)


def test_best_links_keep_one_record_of_a_duplicate_free_list(linker: Any) -> None:
    a1, b1, b2, c1 = ("A", "A1"), ("B", "B1"), ("B", "B2"), ("C", "C1")
    edges = [(a1, b1, 0.99), (b2, c1, 0.96), (a1, b2, 0.95), (b1, b2, 0.92), (("A", "A2"), ("C", "C2"), 0.5)]
    everyone = [{a1, b1, b2, c1}]  # a chain of pairs joins all four
    assert _cluster(linker, edges, 0.9, ()) == everyone
    # B holds each person once: A1 keeps its best B record, and B2 goes with C1 instead.
    assert _cluster(linker, edges, 0.9, ["B"]) == [{a1, b1}, {b2, c1}]
    # A duplicate-free too changes nothing here (a single A record); A alone leaves the chain whole.
    assert _cluster(linker, edges, 0.9, ["A", "B"]) == [{a1, b1}, {b2, c1}]
    assert _cluster(linker, edges, 0.9, ["A"]) == everyone
    assert _cluster(linker, edges, 0.97, ["B"]) == [{a1, b1}]  # the threshold still applies


@pytest.mark.parametrize("seed", range(6))
def test_best_links_agree_with_greedy_union_find_on_random_graphs(linker: Any, seed: int) -> None:
    rng = random.Random(seed)
    nodes = [(name, f"{name}{i}") for name in LISTS for i in range(1, 6)]
    pairs = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]
    chosen = rng.sample(pairs, 24)
    scores = rng.sample(range(500, 1000), len(chosen))  # distinct: no ties to break
    edges = [(a, b, s / 1000) for (a, b), s in zip(chosen, scores, strict=True)]
    free = rng.sample(sorted(LISTS), rng.randint(1, 2))
    found = _cluster(linker, edges, 0.7, free)
    assert found == _reference(edges, 0.7, free), free
    for group in found:
        for name in free:
            assert sum(node[0] == name for node in group) <= 1
    assert _cluster(linker, edges, 0.7, ()) == _reference(edges, 0.7, ())  # connected components


def test_cluster_ids_are_numbered_by_their_first_record() -> None:
    found = {("B", "2"): "x", ("A", "9"): "y", ("A", "1"): "x", ("C", "1"): "z"}
    assert numbered(found) == {("A", "1"): "P-000001", ("B", "2"): "P-000001", ("A", "9"): "P-000002",
                               ("C", "1"): "P-000003"}  # fmt: skip


def test_linking_with_duplicate_free_lists_never_puts_two_of_their_records_together() -> None:
    specs = [replace(spec, noise=Noise(duplicate=0.0)) if spec.name in "AC" else spec for spec in default_lists(3)]
    population = simulate(800, specs, seed=5)
    records = [(r.list_name, r.record_id, r.as_row()) for r in population.records]
    truth = {(r.list_name, r.record_id): r.person_id for r in population.records}
    linked = link_records(records, duplicate_free=("A", "C"))
    lists_of: dict[str, list[str]] = {}
    for (name, _), person in linked.clusters.items():
        lists_of.setdefault(person, []).append(name)
    assert all(held.count("A") <= 1 and held.count("C") <= 1 for held in lists_of.values())
    precision, recall = pair_scores(truth, linked.clusters)
    assert precision > 0.97 and recall > 0.9, (precision, recall)
    with pytest.raises(ValueError, match="no list named Z"):
        link_records(records[:10], duplicate_free=("Z",))
