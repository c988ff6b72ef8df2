"""Rows of one sheet of an Excel workbook (.xlsx), as the text a CSV file would hold.

Read with openpyxl in its read-only streaming mode, so a sheet of a million rows is never held whole;
openpyxl is imported only here, when a workbook is read (``corroborate`` starts without it). Cells that
are numbers or dates become the text a CSV would hold: a birth year stored as 1975.0 is "1975", a date
cell is an ISO date. Formulas give the value the workbook last computed. Never logs a cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

__all__ = ["SheetMissing", "WorkbookUnreadable", "cell_text", "sheet_rows"]


class WorkbookUnreadable(Exception):
    """The file is not a workbook openpyxl can read (``reason`` is the error's kind, never its text)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class SheetMissing(Exception):
    """The workbook has no (work)sheet of the name asked for; ``sheets`` are those it has."""

    def __init__(self, sheets: list[str]) -> None:
        self.sheets = sheets
        super().__init__(", ".join(sheets))


def cell_text(value: object) -> str:
    """A cell's value as a CSV would write it: whole numbers without ".0", dates in ISO, empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


@contextmanager
def sheet_rows(path: Path, *, sheet: str | None = None) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """The rows of ``sheet`` (default: the first worksheet) as (row number, cells as text); an empty row is
    an empty list. FileNotFoundError, WorkbookUnreadable or SheetMissing when it cannot be read."""
    from openpyxl import load_workbook  # only when a workbook is read

    if not path.is_file():
        raise FileNotFoundError(str(path))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged workbook
        raise WorkbookUnreadable(type(exc).__name__) from None
    try:
        sheets = [found for found in book.worksheets if hasattr(found, "iter_rows")]
        names = [found.title for found in sheets]
        if sheet is None and not sheets:
            raise SheetMissing([])
        if sheet is not None and sheet not in names:
            raise SheetMissing(names)
        chosen = sheets[0] if sheet is None else sheets[names.index(sheet)]
        # Some writers record a wrong size for a sheet; read-only mode would trust it and cut rows short.
        chosen.reset_dimensions()
        yield _rows(chosen)
    finally:
        book.close()


def _rows(found: object) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, row in enumerate(found.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
            cells = [cell_text(value) for value in row]
            while cells and not cells[-1].strip():
                cells.pop()
            yield number, cells
    except Exception as exc:  # a sheet damaged part-way through
        raise WorkbookUnreadable(type(exc).__name__) from None
