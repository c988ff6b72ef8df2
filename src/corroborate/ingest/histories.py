"""Capture histories read for multiple systems estimation (issue 15): who was on which list, counted.

Two layouts of a CSV file are read, told apart by a ``count`` column:

- *counts*: one 0/1 column per list and ``count``, the number of people with that pattern (the format of
  ``shared/data/mse`` and of the ``capture-histories.csv`` that `corroborate link` and `corroborate simulate`
  write). Each pattern is written once: a pattern written twice is a problem, not summed, since a table that
  repeats a pattern was most likely pasted together from two and would count people twice.
- *one row per person*: one 0/1 column per list and no ``count``; the rows are counted. Columns named
  ``id``, ``person``, ``person_id`` or ``cluster_id`` identify the person and are ignored.

Either may have a stratum column (``strata``, e.g. province, year or sex): the table is then split by its
values as well as read whole. Between 3 and 10 lists. Every problem is listed at once (file, line, column) and
nothing is returned when there is one: cells that are not 0 or 1, counts that are negative or not whole
numbers, rows on no list, repeated patterns, rows of the wrong width, too few or too many lists, no one
counted. A problem never quotes a cell. Nothing is logged.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from corroborate.errors import DataFileInvalid, Problem

__all__ = ["ID_COLUMNS", "MAX_LISTS", "MIN_LISTS", "HistoriesFile", "Rows", "read_capture_histories"]

MIN_LISTS, MAX_LISTS = 3, 10
ID_COLUMNS = ("id", "person", "person_id", "cluster_id")
_MAX_PROBLEMS = 1000  # past this, further problems are counted, not listed
_SHOWN = 20  # problems in the error's one-line message (all are in its ``problems``)
_WHOLE = re.compile(r"[0-9]+")

Rows = tuple[tuple[tuple[int, ...], int], ...]  # (pattern, count): the rows of ``stats``' ``CaptureHistories``


@dataclass(frozen=True)
class HistoriesFile:
    """A capture-history file as read: its lists, the whole table's rows (each pattern with someone in it and
    its count), and the rows of each stratum (in the order its values first appear) when a stratum column was
    named. ``per_person`` tells which layout the file had."""

    path: Path
    lists: tuple[str, ...]
    rows: Rows
    per_person: bool
    stratum_column: str | None = None
    strata: dict[str, Rows] = field(default_factory=dict)

    @property
    def observed(self) -> int:
        """People seen on at least one list."""
        return sum(count for _, count in self.rows)


class _Problems:
    def __init__(self, shown: str) -> None:
        self.shown, self.found, self.unlisted = shown, list[Problem](), 0

    def add(self, line: int | None, column: str, message: str) -> None:
        if len(self.found) < _MAX_PROBLEMS:
            self.found.append(Problem(self.shown, line, column, message))
        else:
            self.unlisted += 1

    def raise_any(self) -> None:
        if self.found:
            self.fail()

    def fail(self) -> NoReturn:
        if self.unlisted:
            self.found.append(Problem(self.shown, None, "", f"and {self.unlisted:,} more problems, not listed"))
        shown = "; ".join(str(p) for p in self.found[:_SHOWN])
        more = f"; and {len(self.found) - _SHOWN} more" if len(self.found) > _SHOWN else ""
        summary = f"{len(self.found)} problem(s) in the capture histories; nothing was estimated: {shown}{more}"
        raise DataFileInvalid("capture histories", self.found, summary=summary)


def _rows(path: Path, problems: _Problems) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: Excel's CSV starts with a BOM
            reader = csv.reader(handle)
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError:
        problems.add(None, "", "the file is not UTF-8 text")
    except csv.Error:
        problems.add(None, "", "the file is not a readable CSV (an unclosed quote?)")
    except OSError as exc:
        problems.add(None, "", f"the file cannot be read ({exc.strerror or type(exc).__name__})")


@dataclass
class _Layout:
    lists: list[tuple[int, str]]  # (position, name)
    count: int | None
    stratum: int | None
    stratum_name: str
    width: int


def _layout(line: int, header: list[str], strata: str | None, problems: _Problems) -> _Layout | None:
    names = [cell.strip() for cell in header]
    before = len(problems.found)
    seen: set[str] = set()
    for position, name in enumerate(names):
        if not name:
            problems.add(line, f"column {position + 1}", "a column has no name")
        elif name.casefold() in seen:
            problems.add(line, name, "two columns have this name")
        seen.add(name.casefold())
    folded = [name.casefold() for name in names]
    count = folded.index("count") if "count" in folded else None
    stratum = None
    if strata is not None:
        if strata.strip().casefold() in folded:
            stratum = folded.index(strata.strip().casefold())
            strata = names[stratum]
        else:
            problems.add(line, strata, "no column of this name holds the strata (--strata)")
    skipped = {count, stratum} | ({i for i, n in enumerate(folded) if n in ID_COLUMNS} if count is None else set())
    lists = [(i, name) for i, name in enumerate(names) if i not in skipped]
    if not MIN_LISTS <= len(lists) <= MAX_LISTS:
        problems.add(line, "", f"{len(lists)} list columns; estimation needs between {MIN_LISTS} and {MAX_LISTS} "
                               "(one 0/1 column per list, and `count` unless each row is one person)")  # fmt: skip
    if len(problems.found) > before:
        return None
    return _Layout(lists, count, stratum, strata or "", len(names))


def read_capture_histories(path: str | Path, *, strata: str | None = None) -> HistoriesFile:
    """Read a capture-history CSV (counts, or one row per person), split by the column ``strata`` if named;
    DataFileInvalid listing every problem."""
    path = Path(path)
    problems = _Problems(path.name)
    layout: _Layout | None = None
    counts: dict[str, dict[tuple[int, ...], int]] = {}
    first_line: dict[tuple[str, tuple[int, ...]], int] = {}
    rows_read = 0
    for line, row in _rows(path, problems):
        if layout is None:
            layout = _layout(line, row, strata, problems)
            if layout is None:
                break
            continue
        if not row or all(not cell.strip() for cell in row):
            continue
        rows_read += 1
        if len(row) != layout.width:
            problems.add(line, "", f"the row has {len(row)} cells, the header {layout.width}")
            continue
        parsed = _row(line, row, layout, problems)
        if parsed is None:
            continue
        pattern, number, stratum = parsed
        key = (stratum, pattern)
        if layout.count is not None and key in first_line:
            problems.add(line, "count", f"this pattern is already on line {first_line[key]}: write each pattern "
                                        "once, with its total")  # fmt: skip
            continue
        first_line.setdefault(key, line)
        table = counts.setdefault(stratum, {})
        table[pattern] = table.get(pattern, 0) + number
    if layout is None:
        if not problems.found:
            problems.add(None, "", "the file is empty: it needs a header row naming the lists")
        problems.fail()
    if rows_read == 0:
        problems.add(None, "", "the file has a header but no rows")
    elif not problems.found and sum(sum(t.values()) for t in counts.values()) == 0:
        problems.add(None, "count", "no one is counted: every count is zero")
    problems.raise_any()
    lists = tuple(name for _, name in layout.lists)
    total: dict[tuple[int, ...], int] = {}
    for table in counts.values():
        for pattern, number in table.items():
            total[pattern] = total.get(pattern, 0) + number
    by_stratum = {value: _ordered(table) for value, table in counts.items()} if layout.stratum is not None else {}
    return HistoriesFile(path=path, lists=lists, rows=_ordered(total), per_person=layout.count is None,
                         stratum_column=layout.stratum_name or None, strata=by_stratum)  # fmt: skip


def _row(line: int, row: list[str], layout: _Layout, problems: _Problems) -> tuple[tuple[int, ...], int, str] | None:
    """A row's pattern, its count (1 for a person) and its stratum ("" when none); None with problems."""
    before = len(problems.found)
    pattern = []
    for position, name in layout.lists:
        cell = row[position].strip()
        if cell not in ("0", "1"):
            problems.add(line, name, "must be 0 or 1 (1: on this list)")
        pattern.append(1 if cell == "1" else 0)
    number = 1
    if layout.count is not None:
        cell = row[layout.count].strip()
        if _WHOLE.fullmatch(cell):
            number = int(cell)
        elif not cell:
            problems.add(line, "count", "the count is missing")
        elif cell.startswith("-"):
            problems.add(line, "count", "a count cannot be negative")
        else:
            problems.add(line, "count", "a count must be a whole number")
    stratum = ""
    if layout.stratum is not None:
        stratum = row[layout.stratum].strip()
        if not stratum:
            problems.add(line, layout.stratum_name, "the stratum is empty")
    if len(problems.found) == before and not any(pattern):
        problems.add(line, "", "the row is on no list: a person no list saw cannot be counted (leave the row out)")
    if len(problems.found) > before:
        return None
    return tuple(pattern), number, stratum


def _ordered(table: dict[tuple[int, ...], int]) -> Rows:
    """Rows with someone in them, by the number of lists a pattern has, then in decreasing binary order (as
    ``stats.linkage.capture_histories`` orders them)."""
    kept = sorted(((p, n) for p, n in table.items() if n > 0), key=lambda item: (sum(item[0]), [-v for v in item[0]]))
    return tuple(kept)
