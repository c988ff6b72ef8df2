"""Workbook rows as the text a CSV would hold: numbers without ".0", dates in ISO, empty rows kept in place so
that row numbers are the sheet's; a damaged workbook or a missing sheet is its own error; openpyxl is loaded
only when a workbook is read."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path

import pytest

from corroborate.errors import DataFileInvalid
from corroborate.ingest import read_person_lists
from corroborate.ingest.xlsx import SheetMissing, WorkbookUnreadable, cell_text, sheet_rows

WriteWorkbook = Callable[[Path, dict[str, Sequence[Sequence[object]]]], Path]  # the conftest's fixture


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (1975.0, "1975"),
        (1975, "1975"),
        (38.5, "38.5"),
        (True, "TRUE"),
        ("  Kim ", "  Kim "),
        (datetime(2008, 3, 1), "2008-03-01"),
        (datetime(2008, 3, 1, 10, 5), "2008-03-01 10:05:00"),
        (date(2004, 11, 27), "2004-11-27"),
        (time(9, 30), "09:30:00"),
    ],
)
def test_cells_read_as_a_csv_writes_them(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_rows_keep_the_sheets_numbers(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    path = write_workbook(
        tmp_path / "book.xlsx",
        {"Notes": [["not this one"]], "List": [["title"], [], ["id", "born", None], [1.0, 1975.0]]},
    )
    with sheet_rows(path, sheet="List") as rows:
        assert list(rows) == [(1, ["title"]), (2, []), (3, ["id", "born"]), (4, ["1", "1975"])]
    with sheet_rows(path) as rows:
        assert next(rows) == (1, ["not this one"])


def test_a_missing_sheet_or_a_damaged_workbook_is_said(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    path = write_workbook(tmp_path / "book.xlsx", {"One": [["a"]], "Two": [["b"]]})
    with pytest.raises(SheetMissing) as missing, sheet_rows(path, sheet="Three"):
        pass
    assert missing.value.sheets == ["One", "Two"]
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(path.read_bytes()[:200])
    with pytest.raises(WorkbookUnreadable), sheet_rows(damaged):
        pass
    with pytest.raises(FileNotFoundError), sheet_rows(tmp_path / "none.xlsx"):
        pass


def test_a_workbook_alone_is_read_by_the_default_columns(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    rows = [
        ["record_id", "name", "sex", "birth_year", "age", "interview_date", "crossing"],
        [1, "Kim Young-chol", "M", 1971.0, None, None, datetime(2004, 11, 27)],
        [2.0, "김영희", "F", None, 38, date(2008, 3, 1), "2004-11"],
        [None, None, None, None, None, None, None],
    ]
    (found,) = read_person_lists([write_workbook(tmp_path / "list-A.xlsx", {"Sheet": rows})])
    assert found.name == "A"
    first, second = found.records
    assert (first["record_id"], first["birth_year"], first["crossing"]) == ("1", "1971", "2004-11-27")
    assert (second["record_id"], second["age"], second["interview_date"], second["crossing"]) == (
        "2",
        "38",
        "2008-03-01",
        "2004-11",
    )


def test_workbook_problems_are_at_the_sheets_rows(tmp_path: Path, write_workbook: WriteWorkbook) -> None:
    rows = [["record_id", "name"], [1, "Kim"], [2, "---", None, "stray"], [1, "Ri"], [None, "Pak"]]
    path = write_workbook(tmp_path / "list-A.xlsx", {"Sheet": rows})
    damaged = tmp_path / "list-B.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataFileInvalid) as raised:
        read_person_lists([path, damaged, tmp_path / "old.xls"])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.path, p.message) for p in raised.value.problems}
    assert found == {
        ("list-A.xlsx", 3, "", "a cell right of the header's last column (cell 4 of the row)"),
        ("list-A.xlsx", 4, "record_id", "the same id as on line 2"),
        ("list-A.xlsx", 5, "record_id", "empty: every record needs an id"),
        ("list-B.xlsx", None, "", "cannot be read as an XLSX workbook (BadZipFile)"),
        ("old.xls", None, "", "an old Excel file (.xls) cannot be read: save it as .xlsx or CSV"),
    }


def test_corroborate_starts_without_openpyxl() -> None:
    probe = "import sys, corroborate.cli.commands, corroborate.ingest; print('openpyxl' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"
