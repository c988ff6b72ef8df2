"""A made-up population's truth file: read as (list, record id) to person, or refused with every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest import read_truth


def test_the_truth_maps_each_record_to_its_person(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("record_id,list_name,person_id,noise\nA-1,A,P1,\nB-7,B,P1,typo\n", encoding="utf-8")
    assert read_truth(path) == {("A", "A-1"): "P1", ("B", "B-7"): "P1"}


def test_every_problem_is_listed(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("record_id,person\nA-1,P1\n", encoding="utf-8")
    with pytest.raises(DataFileInvalid) as refused:
        read_truth(wrong)
    assert [(p.line, p.path) for p in refused.value.problems] == [(1, "list_name"), (1, "person_id")]
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("record_id,list_name,person_id\nA-1,A,\n,B,P2\nC-1,C,P3\n", encoding="utf-8")
    with pytest.raises(DataFileInvalid) as refused:
        read_truth(gaps)
    assert [p.line for p in refused.value.problems] == [2, 3]
    with pytest.raises(DataFileInvalid, match="no such file"):
        read_truth(tmp_path / "missing.csv")
