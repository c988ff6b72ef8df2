"""A made-up population's lists as files: one CSV a list without the truth, the truth apart, the capture
histories counted from it; all or nothing, and the same files for the same seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corroborate.errors import OutputExists, UserError
from corroborate.services import simulation


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_lists_hold_no_truth_and_the_truth_counts_the_histories(tmp_path: Path) -> None:
    made = simulation.simulate_lists(tmp_path / "lists", people=1500, lists=3, seed=5)
    names = [p.name for p in made.files]
    assert names == ["list-A.csv", "list-B.csv", "list-C.csv", "truth.csv", "capture-histories.csv"]
    listed = {name: _rows(tmp_path / "lists" / name) for name in names[:3]}
    assert all(tuple(rows[0]) == simulation.LIST_COLUMNS for rows in listed.values())
    assert sum(len(rows) for rows in listed.values()) == made.records
    truth = _rows(tmp_path / "lists" / "truth.csv")
    assert [r["record_id"] for r in truth] == [r["record_id"] for rows in listed.values() for r in rows]
    seen: dict[str, set[str]] = {}
    for row in truth:
        seen.setdefault(row["person_id"], set()).add(row["list_name"])
    histories = _rows(tmp_path / "lists" / "capture-histories.csv")
    assert sum(int(r["count"]) for r in histories) == len(seen) == made.seen <= made.people
    for row in histories:  # each pattern counts the people whose lists are exactly its ones
        pattern = {name for name in "ABC" if row[name] == "1"}
        assert int(row["count"]) == sum(lists == pattern for lists in seen.values())


def test_the_same_seed_makes_the_same_files_and_nothing_is_overwritten(tmp_path: Path) -> None:
    first = simulation.simulate_lists(tmp_path / "one", people=300, seed=9)
    second = simulation.simulate_lists(tmp_path / "two", people=300, seed=9)
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]
    (tmp_path / "three").mkdir()
    (tmp_path / "three" / "truth.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(OutputExists):
        simulation.simulate_lists(tmp_path / "three", people=300, seed=9)
    assert [p.name for p in (tmp_path / "three").iterdir()] == ["truth.csv"]  # all or nothing
    simulation.simulate_lists(tmp_path / "three", people=300, seed=9, force=True)
    assert (tmp_path / "three" / "truth.csv").read_bytes() == first.files[-2].read_bytes()


@pytest.mark.parametrize(("people", "lists", "said"), [(0, 3, "--people"), (10, 1, "at least 2"), (10, 99, "--lists")])
def test_impossible_sizes_are_refused(tmp_path: Path, people: int, lists: int, said: str) -> None:
    with pytest.raises(UserError, match=said):
        simulation.simulate_lists(tmp_path, people=people, lists=lists)
    assert list(tmp_path.iterdir()) == []
