"""The outputs of a linkage beyond its three tables: the clusters as Parquet equal the CSV, the overlaps
and explanations are written, charts only when asked, each file whole and readable by its owner only."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from corroborate.errors import OutputExists
from corroborate.services.linkage_outputs import CHARTS, TABLES, output_names, write_linkage_outputs
from corroborate.stats.linkage import simulate
from corroborate.stats.linkage.model import LinkedRecords, link_records


@pytest.fixture(scope="module")
def linked() -> LinkedRecords:
    population = simulate(300, lists=2, seed=4)
    return link_records([(r.list_name, r.record_id, r.as_row()) for r in population.records])


def test_the_outputs_are_written_and_the_parquet_holds_the_clusters(tmp_path: Path, linked: LinkedRecords) -> None:
    import pyarrow.parquet as pq

    written = write_linkage_outputs(tmp_path, linked, ["A", "B"])
    assert [p.name for p in written] == list(output_names()) == [*TABLES, *CHARTS]
    table = pq.read_table(tmp_path / "clusters.parquet")
    assert table.column_names == ["list", "record_id", "person"]
    rows = table.to_pylist()
    assert len(rows) == len(linked.clusters)
    assert {(r["list"], r["record_id"]): r["person"] for r in rows} == linked.clusters
    with (tmp_path / "overlaps.csv").open(encoding="utf-8", newline="") as handle:
        assert sum(int(r["people"]) for r in csv.DictReader(handle)) == len(set(linked.clusters.values()))
    with (tmp_path / "explanations.csv").open(encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == len(linked.pairs)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    with pytest.raises(OutputExists):
        write_linkage_outputs(tmp_path, linked, ["A", "B"])
    assert len(write_linkage_outputs(tmp_path, linked, ["A", "B"], force=True)) == len(written)


def test_no_charts_leaves_the_charts_out(tmp_path: Path, linked: LinkedRecords) -> None:
    written = write_linkage_outputs(tmp_path, linked, ["A", "B"], charts=False)
    assert [p.name for p in written] == list(TABLES) == list(output_names(charts=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(TABLES)
