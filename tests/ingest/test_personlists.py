"""Person lists read from CSV: every problem of every file at once, with file, line and column, never the
value (names are restricted), and nothing read when any list has one."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest import read_person_lists


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lists_are_read_by_their_names(tmp_path: Path) -> None:
    a = _write(tmp_path / "list-A.csv", "record_id,name,sex,birth_year,extra\n1,Kim Young-chol,M,1971,x\n2,,F,,\n")
    shelter = _write(tmp_path / "shelter.csv", "name,record_id\n박철수,s-1\n")
    lists = read_person_lists([a, shelter])
    assert [x.name for x in lists] == ["A", "shelter"]
    assert lists[0].records[0] == {"record_id": "1", "name": "Kim Young-chol", "sex": "M", "birth_year": "1971",
                                   "age": "", "interview_date": "", "origin": ""}  # fmt: skip
    assert lists[1].records[0]["name"] == "박철수"


def test_every_problem_of_every_list_is_said_without_its_value(tmp_path: Path) -> None:
    bad = _write(tmp_path / "list-A.csv", "record_id,name,birth_year,age\n1,Secret Name,19x1,\n1,Other Name,,old\n"
                 ",Third Name,1970,\n")  # fmt: skip
    no_id = _write(tmp_path / "list-B.csv", "name\nFourth Name\n")
    latin1 = tmp_path / "list-C.csv"
    latin1.write_bytes("record_id,name\n1,Kim Ch\xf6l\n".encode("latin-1"))
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([bad, no_id, latin1, tmp_path / "missing.csv"])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.path) for p in raised.value.problems}
    assert found == {("list-A.csv", 2, "birth_year"), ("list-A.csv", 3, "record_id"), ("list-A.csv", 3, "age"),
                     ("list-A.csv", 4, "record_id"), ("list-B.csv", 1, "record_id"), ("list-C.csv", None, ""),
                     ("missing.csv", None, "")}  # fmt: skip
    message = str(raised.value)
    assert message.startswith("7 problem(s) in the person lists; nothing was linked:")
    for value in ("Secret Name", "Other Name", "Third Name", "Fourth Name", "19x1", "old"):
        assert value not in message


def test_two_files_of_one_list_name_are_refused(tmp_path: Path) -> None:
    one = tmp_path / "a"
    one.mkdir()
    first = _write(one / "list-A.csv", "record_id\n1\n")
    second = _write(tmp_path / "list-A.csv", "record_id\n2\n")
    with pytest.raises(DataFileInvalid, match="two files give the same list name"):
        read_person_lists([first, second])
