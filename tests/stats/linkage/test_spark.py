"""Linkage on Apache Spark against DuckDB, on 20,000 generated records: with the same trained model both engines
put the records into the same clusters, and a model trained on Spark gives clusters close to DuckDB's own.

One Spark run (a local session, two cores): Spark trains a model and links; DuckDB then links with that model
(the identical clusters), and trains and links on its own (the close ones). Needs pyspark and Java; skipped
locally without them, a failure under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from corroborate.stats.linkage import simulate
from corroborate.stats.linkage.engines import EngineUnavailable, spark_session
from corroborate.stats.linkage.model import LinkedRecords, link_records, pair_scores
from support import unavailable

pytestmark = [pytest.mark.spark, pytest.mark.slow]

Records = list[tuple[str, str, dict[str, Any]]]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local Spark session on two cores, shared by the module's tests."""
    with ExitStack() as stack:
        try:
            session = stack.enter_context(spark_session("local[2]"))
        except EngineUnavailable as exc:  # pyspark or Java missing
            unavailable(str(exc))
        yield session


@pytest.fixture(scope="module")
def sample() -> tuple[Records, dict[tuple[str, str], str]]:
    population = simulate(16_000, lists=4, seed=3)  # some 22,000 records: the first 20,000 are the sample
    assert len(population.records) >= 20_000
    chosen = population.records[:20_000]
    records = [(r.list_name, r.record_id, r.as_row()) for r in chosen]
    return records, {(r.list_name, r.record_id): r.person_id for r in chosen}


@pytest.fixture(scope="module")
def on_spark(spark: Any, sample: tuple[Records, dict[tuple[str, str], str]]) -> LinkedRecords:
    records, _ = sample
    return link_records(records, engine="spark", spark=spark, max_u_pairs=2_000_000)


def test_the_same_model_gives_the_same_clusters_on_both_engines(
    on_spark: LinkedRecords, sample: tuple[Records, dict[tuple[str, str], str]]
) -> None:
    records, truth = sample
    on_duckdb = link_records(records, model=on_spark.model)
    assert set(on_spark.clusters) == set(truth)
    assert on_duckdb.clusters == on_spark.clusters
    spark_pairs = {(a, b): p for a, b, p, _ in on_spark.pairs}
    duckdb_pairs = {(a, b): p for a, b, p, _ in on_duckdb.pairs}
    assert spark_pairs.keys() == duckdb_pairs.keys()
    assert all(abs(spark_pairs[k] - duckdb_pairs[k]) < 1e-9 for k in spark_pairs)
    precision, recall = pair_scores(truth, on_spark.clusters)
    assert precision > 0.97 and recall > 0.9, (precision, recall)


def test_a_model_trained_on_spark_gives_clusters_close_to_duckdb(
    on_spark: LinkedRecords, sample: tuple[Records, dict[tuple[str, str], str]]
) -> None:
    """Training samples random pairs for u, differently on each engine: on this sample DuckDB's own clusters
    move between two solutions with the seed and the number of pairs (pairs put together 0.95 alike, one as
    right as the other), and Spark's model gave one of them (measured: 1.0 and 1.0 against DuckDB's with the
    same number of pairs)."""
    records, truth = sample
    on_duckdb = link_records(records, max_u_pairs=2_000_000)
    agreement = pair_scores(on_duckdb.clusters, on_spark.clusters)  # DuckDB's pairs Spark has; Spark's DuckDB has
    assert min(agreement) > 0.9, agreement
    spark_scores, duckdb_scores = pair_scores(truth, on_spark.clusters), pair_scores(truth, on_duckdb.clusters)
    assert all(abs(a - b) < 0.05 for a, b in zip(spark_scores, duckdb_scores, strict=True)), (
        spark_scores,
        duckdb_scores,
    )
