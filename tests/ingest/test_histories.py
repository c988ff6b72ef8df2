"""Capture-history files: counts or one row per person, strata, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest.histories import read_capture_histories
from corroborate.stats.linkage.population import capture_histories


def write(tmp_path: Path, text: str, name: str = "histories.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **options: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(DataFileInvalid) as caught:
        read_capture_histories(path, **options)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def test_reads_a_shared_table(shared_dir: Path) -> None:
    read = read_capture_histories(shared_dir / "data" / "mse" / "uk_2013_5lists_UKdat_5.csv")
    assert read.lists == ("LA", "NG", "PFNCA", "GO", "GP")
    assert read.observed == 2744 and len(read.rows) == 18
    assert not read.per_person and read.strata == {}
    assert dict(read.rows)[(0, 1, 1, 1, 0)] == 4


def test_reads_what_simulate_and_link_write(tmp_path: Path) -> None:
    made = capture_histories([("A", "1"), ("B", "1"), ("C", "2"), ("A", "3"), ("C", "3"), ("B", "4")], ["A", "B", "C"])
    read = read_capture_histories(write(tmp_path, made.to_csv()))
    assert (read.lists, read.rows) == (made.lists, made.rows)


def test_one_row_per_person_is_counted(tmp_path: Path) -> None:
    text = "person_id,A,B,C\np1,1,0,0\np2,1,0,0\np3,0,1,1\np4,1,1,1\np5, 1 ,0,0\n"
    read = read_capture_histories(write(tmp_path, text))
    assert read.per_person and read.lists == ("A", "B", "C")
    assert dict(read.rows) == {(1, 0, 0): 3, (0, 1, 1): 1, (1, 1, 1): 1}


def test_strata_split_the_table_and_add_up_to_it(tmp_path: Path) -> None:
    text = (
        "A,B,C,count,province\n1,0,0,5,Ryanggang\n0,1,0,3,Ryanggang\n1,0,0,2,North Hamgyong\n1,1,0,4,North Hamgyong\n"
    )
    read = read_capture_histories(write(tmp_path, text), strata="Province")
    assert read.stratum_column == "province" and read.lists == ("A", "B", "C")
    assert list(read.strata) == ["Ryanggang", "North Hamgyong"]
    assert dict(read.strata["Ryanggang"]) == {(1, 0, 0): 5, (0, 1, 0): 3}
    assert dict(read.rows) == {(1, 0, 0): 7, (0, 1, 0): 3, (1, 1, 0): 4}
    # The same pattern in two strata is two cells, not a repetition.
    assert read.observed == sum(n for rows in read.strata.values() for _, n in rows)


def test_every_problem_is_listed_at_once_without_quoting_a_cell(tmp_path: Path) -> None:
    text = (
        "A,B,C,count\n"
        "1,0,0,12\n"
        "1,2,0,3\n"  # line 3: not 0/1
        "0,1,0,-4\n"  # line 4: negative
        "0,0,1,2.5\n"  # line 5: not whole
        "0,0,0,9\n"  # line 6: on no list
        "1,0,0,7\n"  # line 7: repeats line 2
        "1,1\n"  # line 8: wrong width
        "1,1,0,\n"  # line 9: count missing
        "x9z,1,1,1\n"  # line 10: not 0/1
    )
    found = problems(write(tmp_path, text))
    assert [(line, column) for line, column, _ in found] == [
        (3, "B"), (4, "count"), (5, "count"), (6, ""), (7, "count"), (8, ""), (9, "count"), (10, "A")
    ]  # fmt: skip
    messages = [message for _, _, message in found]
    assert "must be 0 or 1" in messages[0] and "negative" in messages[1] and "whole number" in messages[2]
    assert "on no list" in messages[3] and "already on line 2" in messages[4] and "2 cells" in messages[5]
    with pytest.raises(DataFileInvalid) as caught:
        read_capture_histories(write(tmp_path, text))
    assert "x9z" not in str(caught.value) and "2.5" not in str(caught.value)
    assert str(caught.value).startswith("8 problem(s) in the capture histories; nothing was estimated")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,B,count\n1,0,3\n0,1,2\n", "2 list columns; estimation needs between 3 and 10"),
        (",".join(f"L{i}" for i in range(11)) + ",count\n" + ",".join("1" * 11) + ",1\n", "11 list columns"),
        ("A,B,C\n1,0,0\nmaybe,0,0\n", "must be 0 or 1"),  # no count, not 0/1: per person, a bad cell
        ("A,B,B,count\n1,0,0,1\n", "two columns have this name"),
        ("", "the file is empty"),
        ("A,B,C,count\n", "a header but no rows"),
        ("A,B,C,count\n1,0,0,0\n0,1,0,0\n", "no one is counted"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert any(expected in message for _, _, message in problems(write(tmp_path, text)))


def test_a_missing_stratum_column_or_value_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "A,B,C,count,year\n1,0,0,3,2005\n0,1,0,2,\n")
    assert problems(path, strata="sex") == [(1, "sex", "no column of this name holds the strata (--strata)")]
    assert problems(path, strata="year") == [(3, "year", "the stratum is empty")]


def test_unreadable_files_are_problems_too(tmp_path: Path) -> None:
    assert "cannot be read" in problems(tmp_path / "missing.csv")[0][2]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"A,B,C,count\n1,0,0,3\n\xe9\n")
    assert problems(latin)[0][2] == "the file is not UTF-8 text"
