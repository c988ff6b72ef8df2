"""A YAML mapping per person list: which column gives which field, checked as a whole (every problem with the
mapping's line) before the data file it names is read with it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest import read_person_lists
from corroborate.ingest.personmapping import iso_date, read_mapping

WriteWorkbook = Callable[[Path, dict[str, Sequence[Sequence[object]]]], Path]  # the conftest's fixture


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> set[tuple[int | None, str, str]]:
    found: list = []
    assert read_mapping(path, found) is None
    assert {p.file for p in found} == {str(path)}
    return {(p.line, p.path, p.message) for p in found}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2008-03-01", "2008-03-01"),
        ("2008-3-1", "2008-03-01"),
        ("2008-03", "2008-03"),
        ("2008", "2008"),
        ("2008-03-01 10:05:00", "2008-03-01"),
        ("2008-02-30", None),
        ("2008-13", None),
        ("1700", None),
        ("03/01/2008", None),
        ("soon", None),
    ],
)
def test_dates_are_read_in_iso_at_their_precision(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso


def test_a_date_format_reads_the_lists_own_dates() -> None:
    assert iso_date("01.03.2008", date_format="%d.%m.%Y") == "2008-03-01"
    assert iso_date("2008-03", date_format="%d.%m.%Y") == "2008-03"  # ISO is read as well
    assert iso_date("31.02.2008", date_format="%d.%m.%Y") is None


def test_a_workbook_is_read_through_its_mapping(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    rows = [
        ["Shelter registrations 2008"],
        [],
        ["No.", "Surname", "Given names", "이름", "성별", "Age", "Hometown", "Crossed", "Church", "Notes", "Unused"],
        [101, "Kim", "Young-chol", "김영철", "남", 38.0, "Hoeryong", "27/11/2004", "Seoul Central", None, "x"],
        [102, "Ri", "Myong-hui", None, "여", None, "Musan", datetime(2006, 4, 2), None, "came twice", None],
        [103, None, None, "박철수", None, 41, None, None, None, None, None],
    ]
    workbook = write_workbook(tmp_path / "registrations.xlsx", {"Summary": [["totals"]], "2008": rows})
    mapping = _write(
        tmp_path / "shelter-a.yaml",
        """\
list: Shelter A
file: registrations.xlsx
sheet: "2008"
header_row: 3
date_format: "%d/%m/%Y"
columns:
  record_id: No.
  family_name: Surname
  given_name: Given names
  hangul_name: 이름
  sex: 성별
  age: Age
  origin: Hometown
  crossing: Crossed
ages_at: 2008-06-30
sex_values: {남: M, 여: F}
attributes: [Church, Notes]
""",
    )
    (found,) = read_person_lists([mapping])
    assert found.name == "Shelter A" and found.attributes == ("Church", "Notes") and found.files == (workbook, mapping)
    first, second, third = found.records
    assert {
        k: first[k]
        for k in (
            "record_id",
            "name",
            "hangul_name",
            "sex",
            "age",
            "interview_date",
            "origin",
            "crossing",
            "Church",
            "Notes",
        )
    } == {
        "record_id": "101",
        "name": "Kim, Young-chol",
        "hangul_name": "김영철",
        "sex": "M",
        "age": "38",
        "interview_date": "2008-06-30",
        "origin": "Hoeryong",
        "crossing": "2004-11-27",
        "Church": "Seoul Central",
        "Notes": "",
    }
    assert (second["sex"], second["crossing"], second["Notes"], second["age"]) == ("F", "2006-04-02", "came twice", "")
    assert (third["name"], third["hangul_name"], third["sex"]) == ("", "박철수", "")
    assert "Unused" not in first


def test_a_csv_mapping_with_its_own_delimiter_and_sex_codes(tmp_path: Path) -> None:
    _write(
        tmp_path / "church.csv",
        "ID;Full name;Gender;Born;Interviewed;Arrested\n"
        "c1;Pak Chol-su;1;1970;;2003\nc2;Choe Son-hui;2;;;\nc3;Ri Kwang;9;;;\n",
    )
    mapping = _write(
        tmp_path / "list-church.yml",
        """\
file: church.csv
delimiter: ";"
columns: {record_id: ID, name: Full name, sex: Gender, birth_year: Born, interview_date: Interviewed,
          arrest: Arrested}
sex_values: {1: M, 2: F, 9: null}
""",
    )
    (found,) = read_person_lists([mapping])
    assert found.name == "church"
    assert [(r["sex"], r["birth_year"], r["arrest"]) for r in found.records] == [
        ("M", "1970", "2003"),
        ("F", "", ""),
        ("", "", ""),
    ]


def test_every_problem_of_a_mapping_is_said_at_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.yaml",
        """\
file: data.xls
sheet: First
header_row: 0
colour: blue
columns:
  record_id: No.
  name: Name
  family_name: Surname
  age: Age
  gender: Sex
sex_values: {m: M, f: female, M: M}
date_format: "no directives"
attributes: [Notes, Notes, Name, origin]
""",
    )
    assert _problems(path) == {
        (3, "header_row", "Input should be greater than or equal to 1"),
        (
            4,
            "colour",
            "unknown key; the keys are list, file, sheet, header_row, delimiter, date_format, columns, "
            "ages_at, sex_values, attributes",
        ),
        (
            10,
            "columns.gender",
            "unknown key; the keys are record_id, name, family_name, given_name, hangul_name, sex, "
            "birth_year, age, interview_date, origin, crossing, arrest, repatriation",
        ),
        (11, "sex_values.f", "Input should be 'M' or 'F'"),
    }
    path = _write(
        tmp_path / "bad.yaml",
        path.read_text()
        .replace("header_row: 0\ncolour: blue\n", "")
        .replace("  gender: Sex\n", "")
        .replace("f: female", "f: F"),
    )
    assert _problems(path) == {
        (1, "file", "an old Excel file (.xls) cannot be read: save it as .xlsx or CSV"),
        (2, "sheet", "a sheet is only chosen in an XLSX workbook"),
        (5, "columns.name", "map either name or family_name and given_name, not both"),
        (7, "columns.age", "an age needs the date it was given at: map columns.interview_date or set ages_at"),
        (8, "sex_values", "sex_values, but no sex column is mapped"),
        (8, "sex_values.M", "'M' and 'm' are one value (case and width are ignored)"),
        (9, "date_format", "not a date format that writes and reads back a whole date (e.g. %d/%m/%Y)"),
        (10, "attributes.1", "this attribute is listed twice"),
        (10, "attributes.2", "this column is mapped to name already"),
        (10, "attributes.3", "an attribute may not be called like a field; map it under columns"),
    }


def test_a_mapping_needs_its_file_a_record_id_and_a_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "thin.yaml", "columns:\n  sex: Sex\nages_at: 2008\nsex_values: {}\n")
    assert _problems(path) == {
        (None, "file", "missing; it is required"),
        (1, "columns.record_id", "missing; it is required"),
    }
    path = _write(tmp_path / "thin.yaml", "file: a.csv\ncolumns:\n  record_id: No.\nages_at: someday\n")
    assert _problems(path) == {(4, "ages_at", "Value error, not a date (2008-03-01, 2008-03 or 2008)")}
    path = _write(tmp_path / "thin.yaml", "file: a.csv\ncolumns:\n  record_id: No.\nages_at: 2008\n")
    assert _problems(path) == {
        (2, "columns", "no name column: map name, or family_name and given_name, or hangul_name"),
        (4, "ages_at", "ages_at is the date of the ages, but no age column is mapped"),
    }
    for text, message in (
        ("[file, columns]", "a mapping file is a YAML mapping of keys (file, columns, ...)"),
        ("file: a.csv\nfile: b.csv\n", "a key is written twice"),
    ):
        found: list = []
        read_mapping(_write(tmp_path / "thin.yaml", text), found)
        assert len(found) == 1 and message in found[0].message


def test_mapped_columns_missing_from_the_header_are_said_in_the_mapping(tmp_path: Path) -> None:
    _write(tmp_path / "list.csv", "No.,Name,Sex\n1,Kim,M\n")
    mapping = _write(
        tmp_path / "list.yaml",
        "file: list.csv\ncolumns:\n  record_id: No.\n  name: Name\n"
        "  sex: Gender\n  origin: Hometown\nattributes: [Notes]\n",
    )
    other = _write(tmp_path / "other.yaml", "file: gone.csv\ncolumns: {record_id: No., name: Name}\n")
    sheet = _write(tmp_path / "sheet.yaml", "file: list.csv\nsheet: A\ncolumns: {record_id: No., name: Name}\n")
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([mapping, other, sheet])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.path, p.message) for p in raised.value.problems}
    assert found == {
        ("list.yaml", 5, "columns.sex", "the header (row 1 of list.csv) has no column 'Gender'"),
        ("list.yaml", 6, "columns.origin", "the header (row 1 of list.csv) has no column 'Hometown'"),
        ("list.yaml", 7, "attributes.0", "the header (row 1 of list.csv) has no column 'Notes'"),
        ("gone.csv", None, "", "no such file (named by other.yaml)"),
        ("sheet.yaml", 2, "sheet", "a sheet is only chosen in an XLSX workbook"),
    }


def test_row_problems_name_the_lists_own_columns(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    rows = [
        ["No.", "Name", "Sex", "Born", "Crossed"],
        [1, "Kim", "남", "1975", "2004"],
        [2, "?", "M", "19x5", "soon"],
        [3, "Ri", "?", 1650, None],
    ]
    write_workbook(tmp_path / "book.xlsx", {"Sheet1": rows, "Sheet2": []})
    mapping = _write(
        tmp_path / "book.yaml",
        "file: book.xlsx\ncolumns: {record_id: No., name: Name, sex: Sex, "
        "birth_year: Born, crossing: Crossed}\nsex_values: {남: M, 여: F}\n",
    )
    missing_sheet = _write(
        tmp_path / "other.yaml", "file: book.xlsx\nsheet: Sheet3\ncolumns: {record_id: No., name: Name}\n"
    )
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([mapping, missing_sheet])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.path, p.message) for p in raised.value.problems}
    assert found == {
        ("book.xlsx", 3, "Name", "a name with no letter (only punctuation, digits or spaces)"),
        ("book.xlsx", 3, "Sex", "a sex value that is not one of its mapping's sex_values"),
        ("book.xlsx", 3, "Born", "not a year of birth (1850 to 2100, or a date)"),
        ("book.xlsx", 3, "Crossed", "not a date (2008-03-01, 2008-03 or 2008)"),
        ("book.xlsx", 4, "Sex", "a sex value that is not one of its mapping's sex_values"),
        ("book.xlsx", 4, "Born", "not a year of birth (1850 to 2100, or a date)"),
        ("other.yaml", 2, "sheet", "the workbook has no such worksheet; it has 'Sheet1', 'Sheet2'"),
    }
