"""Fixtures of the ingest tests: workbooks made with openpyxl in the test (no binary files committed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

WriteWorkbook = Callable[[Path, dict[str, Sequence[Sequence[object]]]], Path]


@pytest.fixture
def write_workbook() -> WriteWorkbook:
    """Writes an .xlsx with one sheet per key of ``sheets`` (in order), each row a list of cell values."""

    def write(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        book.save(path)
        return path

    return write
