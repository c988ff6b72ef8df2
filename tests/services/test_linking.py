"""Linking person lists from files: simulate, link, and compare with the truth kept apart; outputs name
records by id only, and nothing is written twice without --force."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corroborate.errors import OutputExists, UserError
from corroborate.services import linking, simulation
from corroborate.services.linkage_outputs import output_names
from corroborate.stats.linkage.model import pair_scores


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_linked_lists_find_the_people_the_truth_holds(tmp_path: Path) -> None:
    made = simulation.simulate_lists(tmp_path / "lists", people=2000, lists=3, seed=8)
    lists = [p for p in made.files if p.name.startswith("list-")]
    result = linking.link_lists(lists, tmp_path / "linked")
    assert [p.name for p in result.files] == ["clusters.csv", "pairs.csv", "capture-histories.csv",
                                              *output_names()]  # fmt: skip
    assert result.lists == ("A", "B", "C") and result.records == made.records
    clusters = _rows(tmp_path / "linked" / "clusters.csv")
    truth = {(r["list_name"], r["record_id"]): r["person_id"] for r in _rows(tmp_path / "lists" / "truth.csv")}
    found = {(r["list"], r["record_id"]): r["person"] for r in clusters}
    assert set(found) == set(truth) and len(set(found.values())) == result.people
    precision, recall = pair_scores(truth, found)
    assert precision > 0.97 and recall > 0.9, (precision, recall)
    observed = sum(int(r["count"]) for r in _rows(tmp_path / "linked" / "capture-histories.csv"))
    assert abs(observed - made.seen) / made.seen < 0.05 and observed == result.people
    names = {r["name"] for path in lists for r in _rows(path) if r["name"]}
    for path in result.files:  # record ids and people, never a name
        if path.suffix == ".parquet":
            continue  # binary: the same rows as clusters.csv (tests/services/test_linkage_outputs.py)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            text = text.split("</head>", 1)[1]  # without the chart libraries, whose code has short words
        assert not any(name in text for name in list(names)[:200])
    with pytest.raises(OutputExists):
        linking.link_lists(lists, tmp_path / "linked")


def test_one_list_or_a_threshold_out_of_range_is_refused(tmp_path: Path) -> None:
    made = simulation.simulate_lists(tmp_path / "lists", people=50, lists=2, seed=1)
    with pytest.raises(UserError, match="two lists or more"):
        linking.link_lists(made.files[:1], tmp_path / "out")
    with pytest.raises(UserError, match="--threshold"):
        linking.link_lists(made.files[:2], tmp_path / "out", threshold=0.2)
    assert not (tmp_path / "out").exists()
