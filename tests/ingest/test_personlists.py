"""Person lists read from CSV by their default columns: every problem of every file at once, with file, line
and column, never the value (names are restricted), and nothing read when any list has one."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest import PERSON_FIELDS, personlists, read_person_lists
from corroborate.stats.linkage import person_features


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _found(raised: pytest.ExceptionInfo[DataFileInvalid]) -> set[tuple[str, int | None, str]]:
    return {(p.file.rsplit("/", 1)[-1], p.line, p.path) for p in raised.value.problems}


def test_lists_are_read_by_their_names(tmp_path: Path) -> None:
    a = _write(tmp_path / "list-A.csv", "record_id,name,sex,birth_year,extra\n1,Kim Young-chol,M,1971,x\n2,,F,,\n")
    shelter = _write(tmp_path / "shelter.csv", "name,record_id\n박철수,s-1\n")
    lists = read_person_lists([a, shelter])
    assert [x.name for x in lists] == ["A", "shelter"]
    assert lists[0].records[0] == dict.fromkeys(PERSON_FIELDS, "") | {
        "record_id": "1",
        "name": "Kim Young-chol",
        "sex": "M",
        "birth_year": "1971",
    }
    assert lists[0].attributes == () and "extra" not in lists[0].records[0]
    assert lists[1].records[0]["name"] == "박철수"


def test_the_columns_simulate_writes_are_read_and_normalised(tmp_path: Path) -> None:
    header = "record_id,name,sex,birth_year,age,interview_date,origin,crossing,arrest,repatriation\n"
    rows = "A-1,한수애,female,1945,,2014-02-14,Hoeryung,2012-8-19,2012-09,\nA-2,Kim Hye-hui,남,,38,2017-11-11,,,,2018\n"
    (found,) = read_person_lists([_write(tmp_path / "list-A.csv", header + rows)])
    first, second = found.records
    assert (first["sex"], first["crossing"], first["arrest"], first["repatriation"]) == (
        "F",
        "2012-08-19",
        "2012-09",
        "",
    )
    assert (second["sex"], second["age"], second["interview_date"], second["repatriation"]) == (
        "M",
        "38",
        "2017-11-11",
        "2018",
    )


def test_a_csv_saved_by_excel_with_blank_rows_is_read(tmp_path: Path) -> None:
    path = tmp_path / "church.csv"
    path.write_bytes("\ufeffrecord_id,name\r\n1,Pak Chol-su\r\n,\r\n\r\n2,Ri Myong-hui\r\n,\r\n".encode())
    (found,) = read_person_lists([path])
    assert [r["record_id"] for r in found.records] == ["1", "2"]


def test_every_problem_of_every_list_is_said_without_its_value(tmp_path: Path) -> None:
    bad = _write(
        tmp_path / "list-A.csv",
        "record_id,name,birth_year,age\n1,Secret Name,19x1,\n1,Other Name,,old\n,Third Name,1970,\n",
    )
    no_id = _write(tmp_path / "list-B.csv", "name\nFourth Name\n")
    latin1 = tmp_path / "list-C.csv"
    latin1.write_bytes("record_id,name\n1,Kim Ch\xf6l\n".encode("latin-1"))
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([bad, no_id, latin1, tmp_path / "missing.csv"])
    assert _found(raised) == {
        ("list-A.csv", 2, "birth_year"),
        ("list-A.csv", 3, "record_id"),
        ("list-A.csv", 3, "age"),
        ("list-A.csv", 4, "record_id"),
        ("list-B.csv", 1, "record_id"),
        ("list-C.csv", None, ""),
        ("missing.csv", None, ""),
    }
    message = str(raised.value)
    assert message.startswith("7 problem(s) in the person lists; nothing was linked:")
    for value in ("Secret Name", "Other Name", "Third Name", "Fourth Name", "19x1", "old"):
        assert value not in message


def test_malformed_rows_missing_columns_and_punctuation_names_are_all_refused(tmp_path: Path) -> None:
    """The acceptance case of issue 14: all three kinds at once, each where it is, and nothing read."""
    rows = _write(
        tmp_path / "list-A.csv",
        "record_id,name,sex\n1,Kim Young-chol,M\n2,Pak Secret,F,extra\n3,-,M\n"
        "4,???,F\n5,(),M\n6,Ri\n7,  ... ,F\n8,Ri Myong-hui,F\n",
    )
    no_name = _write(tmp_path / "list-B.csv", "record_id,sex\n1,M\n")
    good = _write(tmp_path / "list-C.csv", "record_id,name\n1,Choe Son-hui\n")
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([rows, no_name, good], action="stored")
    assert _found(raised) == {
        ("list-A.csv", 3, ""),
        ("list-A.csv", 4, "name"),
        ("list-A.csv", 5, "name"),
        ("list-A.csv", 6, "name"),
        ("list-A.csv", 7, ""),
        ("list-A.csv", 8, "name"),
        ("list-B.csv", 1, "name"),
    }
    by_line = {p.line: p.message for p in raised.value.problems if p.file.endswith("list-A.csv")}
    assert (
        by_line[3] == "4 cells where the header has 3 columns"
        and by_line[7] == "2 cells where the header has 3 columns"
    )
    assert by_line[4].startswith("a name with no letter")
    message = str(raised.value)
    assert "7 problem(s) in the person lists; nothing was stored:" in message
    assert "Pak Secret" not in message and "extra" not in message and "???" not in message


def test_values_that_cannot_be_read_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "list-A.csv",
        "record_id,name,sex,birth_year,age,interview_date,crossing\n"
        "1,Kim,X,1975,,,2004-13\n2,Ri,F,1650,130,2008-01-01,\n3,Pak,M,,40,,1908-02-30\n"
        "4,Choe,F,1975-06-01,,,2004/03/05\n",
    )
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([path])
    assert _found(raised) == {
        ("list-A.csv", 2, "sex"),
        ("list-A.csv", 2, "crossing"),
        ("list-A.csv", 3, "birth_year"),
        ("list-A.csv", 3, "age"),
        ("list-A.csv", 4, "age"),
        ("list-A.csv", 4, "crossing"),
        ("list-A.csv", 5, "crossing"),
    }
    ages = [p.message for p in raised.value.problems if p.path == "age"]
    assert ages == [
        "not an age (a whole number from 0 to 120)",
        "an age needs the date it was given at (the interview_date column is empty)",
    ]


def test_a_birth_date_keeps_only_its_year(tmp_path: Path) -> None:
    path = _write(tmp_path / "list-A.csv", "record_id,name,birth_year\n1,Kim,1975-06-01\n2,Ri,01980\n")
    (found,) = read_person_lists([path])
    assert [r["birth_year"] for r in found.records] == ["1975", "1980"]


def test_ambiguous_or_empty_headers_are_refused(tmp_path: Path) -> None:
    both = _write(tmp_path / "list-A.csv", "record_id,name,family_name,given_name\n1,Kim Chol,Kim,Chol\n")
    twice = _write(tmp_path / "list-B.csv", "record_id,name,record_id\n1,Kim,2\n")
    empty = _write(tmp_path / "list-C.csv", "")
    only_header = _write(tmp_path / "list-D.csv", "record_id,name\n")
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([both, twice, empty, only_header])
    messages = {p.file.rsplit("/", 1)[-1]: p.message for p in raised.value.problems}
    assert messages == {
        "list-A.csv": "the header has name and family_name or given_name: give a mapping file saying which to read",
        "list-B.csv": "two columns have this name; rename one",
        "list-C.csv": "no header row",
        "list-D.csv": "no records",
    }


def test_a_mapping_beside_a_csv_is_pointed_to(tmp_path: Path) -> None:
    data = _write(tmp_path / "shelter.csv", "No.,Name\n1,Kim\n")
    _write(tmp_path / "shelter.yaml", "file: shelter.csv\ncolumns: {record_id: No., name: Name}\n")
    with pytest.raises(DataFileInvalid, match="shelter.yaml beside it may map its columns: give that file instead"):
        read_person_lists([data])
    (found,) = read_person_lists([tmp_path / "shelter.yaml"])
    assert found.name == "shelter" and found.records[0]["name"] == "Kim"


def test_a_hopeless_file_lists_its_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(f"{i},-\n" for i in range(personlists.MAX_PROBLEMS_PER_FILE + 5))
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([_write(tmp_path / "list-A.csv", "record_id,name\n" + rows)])
    problems = raised.value.problems
    assert len(problems) == personlists.MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message == "and 5 more problems, not listed"


def test_two_files_of_one_list_name_are_refused(tmp_path: Path) -> None:
    one = tmp_path / "a"
    one.mkdir()
    first = _write(one / "list-A.csv", "record_id,name\n1,Kim\n")
    second = _write(tmp_path / "list-A.csv", "record_id,name\n2,Ri\n")
    with pytest.raises(DataFileInvalid, match="two files give the same list name") as raised:
        read_person_lists([first, second])
    assert len(raised.value.problems) == 1


def test_family_and_given_names_reach_linkage_in_their_order(tmp_path: Path) -> None:
    """Two columns are joined as "Family, Given", which the name features take as written: a given name that
    looks like a family name ("Kim") stays the given name."""
    path = _write(
        tmp_path / "list-A.csv",
        "record_id,family_name,given_name,hangul_name\n1,Ri,Kim,\n2,,Yong-chol,\n3,Pak,,\n4,Kim,Young-chol,김영철\n",
    )
    (found,) = read_person_lists([path])
    assert [r["name"] for r in found.records] == ["Ri, Kim", ", Yong-chol", "Pak,", "Kim, Young-chol"]
    first = person_features(found.records[0]).name
    assert first is not None and (first.family, first.given, first.swapped) == ("lee", "kim", False)
    hangul = person_features(found.records[3]).name  # the Hangul name is the one compared
    assert hangul is not None and hangul.hangul and hangul.given == "yeongcheol"
