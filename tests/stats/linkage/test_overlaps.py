"""List overlaps: people and records by the exact combination of lists that holds them, the same counts as
the capture histories."""

from __future__ import annotations

import csv
import io

import pytest

from corroborate.stats.linkage import Overlap, capture_histories, list_overlaps, overlaps_csv


def test_people_and_records_are_counted_by_their_exact_combination_of_lists() -> None:
    clusters = {("A", "1"): "p", ("B", "1"): "p", ("B", "2"): "p", ("A", "2"): "q", ("C", "1"): "r",
                ("A", "3"): "s", ("B", "3"): "s", ("C", "2"): "t", ("C", "3"): "t"}  # fmt: skip
    found = list_overlaps(clusters, ["A", "B", "C"])
    assert found == (Overlap(("C",), 2, 3), Overlap(("A", "B"), 2, 5), Overlap(("A",), 1, 1))  # ties: fewer lists first
    histories = capture_histories(((name, person) for (name, _), person in clusters.items()), ["A", "B", "C"])
    as_patterns = {tuple(int(name in o.lists) for name in "ABC"): o.people for o in found}
    assert as_patterns == dict(histories.rows)
    rows = list(csv.DictReader(io.StringIO(overlaps_csv(found))))
    assert rows[1] == {"lists": "A+B", "lists_count": "2", "people": "2", "records": "5", "share": "0.4000"}
    assert [r["lists"] for r in rows] == ["C", "A+B", "A"]
    with pytest.raises(ValueError, match="unknown lists"):
        list_overlaps(clusters, ["A", "B"])
