"""Organisations' person lists read for linkage (issue 14): CSV files, XLSX workbooks, and YAML mapping files
that say how to read either (``personmapping``).

A list given as a CSV or an XLSX alone is read by the default columns: each field from the column of its
own name (``record_id``, ``name``, ``sex``, ``birth_year``, ``age``, ``interview_date``, ``origin`` ... as
``corroborate simulate`` writes them); its name is the file's name without ``list-`` (``list-A.csv`` is list
A). A mapping names the data file, the list, and the source column of each field. Either way a list needs a
``record_id`` column and a name column. Each record is checked: the row's cell count, its id (present,
unique), that a name has a letter (not only punctuation), birth year, age and dates that can be read, an age
with the date it was given at, and a sex value the list's map knows. Every problem of every file is
reported at once (file, line, column) and no list is returned when there is one; a problem never quotes a
cell, since names are restricted. Nothing is logged.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import DataFileInvalid, Problem

from .personmapping import (
    DATE_FIELDS,
    FIELDS,
    MAPPING_SUFFIXES,
    NAME_FIELDS,
    ListMapping,
    default_mapping,
    iso_date,
    read_mapping,
    sex_key,
)
from .xlsx import SheetMissing, WorkbookUnreadable, sheet_rows

__all__ = ["COLUMNS", "FIELDS", "MAX_PROBLEMS_PER_FILE", "PersonList", "read_person_lists"]

COLUMNS = FIELDS  # the default column of each field is its own name
MAX_PROBLEMS_PER_FILE = 1000  # past this, a file's further problems are counted, not listed one by one
_SHOWN = 20  # problems in the error's one-line message (all are in its ``problems``)


@dataclass(frozen=True)
class PersonList:
    """One organisation's list: its name, its records, and which of their keys are free attributes.

    Each record maps every one of ``FIELDS`` to its text ("" where the list does not say): ``name`` is the
    name linkage reads (a full name as written, or "family, given" from two columns), ``hangul_name`` a
    name in Hangul next to it; ``sex`` is "M" or "F"; dates are ISO 8601 at the precision written;
    ``interview_date`` is the date an age was given at. The list's ``attributes`` follow under their column
    names. ``files`` are those it was read from: the data file, then its mapping file if it had one."""

    name: str
    records: tuple[dict[str, str], ...]
    attributes: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()


class _FileProblems:
    """The problems of one file, listed up to MAX_PROBLEMS_PER_FILE and counted after."""

    def __init__(self, shown: str, problems: list[Problem]) -> None:
        self.shown, self.problems, self.start, self.unlisted = shown, problems, len(problems), 0

    def add(self, line: int | None, column: str, message: str) -> None:
        if len(self.problems) - self.start < MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(self.shown, line, column, message))
        else:
            self.unlisted += 1

    def close(self) -> None:
        if self.unlisted:
            self.problems.append(Problem(self.shown, None, "", f"and {self.unlisted:,} more problems, not listed"))


def _header_name(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip()


@contextmanager
def _table(mapping: ListMapping) -> Iterator[Iterator[tuple[int, list[str]]]]:
    """The data file's rows as (line or row number, cells)."""
    if mapping.is_xlsx:
        with sheet_rows(mapping.data, sheet=mapping.sheet) as rows:
            yield rows
        return
    with mapping.data.open(encoding="utf-8-sig", newline="") as handle:  # -sig: Excel's CSV starts with a BOM
        reader = csv.reader(handle, delimiter=mapping.delimiter)
        yield ((reader.line_num, row) for row in reader)


class _Reader:
    """Reads one list's rows into records, noting every problem."""

    def __init__(self, mapping: ListMapping, found: _FileProblems) -> None:
        self.mapping, self.found = mapping, found
        self.width = 0
        self.is_xlsx = mapping.is_xlsx
        self.where: dict[str, int] = {}  # field or attribute -> its cell's position
        self.shown: dict[str, str] = {}  # field or attribute -> its column as the header writes it
        self.seen: dict[str, int] = {}
        self.records: list[dict[str, str]] = []
        self.dates: dict[str, str | None] = {}  # the same dates recur; kept only while this list is read

    def date(self, written: str) -> str | None:
        """``iso_date`` of a cell, remembered for the next cell that writes the same."""
        if written not in self.dates:
            self.dates[written] = iso_date(written, date_format=self.mapping.date_format)
        return self.dates[written]

    def header(self, line: int, cells: list[str], problems: list[Problem]) -> bool:
        """Find the columns; False (with problems) when a required or mapped one is missing."""
        names = [_header_name(cell) for cell in cells]
        self.width = len(cells)
        position: dict[str, int] = {}
        twice: set[str] = set()
        for i, name in enumerate(names):
            if name in position:
                twice.add(name)
            position.setdefault(name, i)
        mapping, ok = self.mapping, True
        if mapping.columns is None:  # a data file alone: each field from the column of its name
            wanted = {name: name for name in FIELDS if name in position}
            if "record_id" not in wanted:
                self.found.add(line, "record_id", "the header has no record_id column" + _beside(mapping.data))
                ok = False
            if not any(name in wanted for name in NAME_FIELDS):
                self.found.add(line, "name", "the header has no name column (name, family_name and given_name, or "
                               "hangul_name)" + _beside(mapping.data))  # fmt: skip
                ok = False
            if "name" in wanted and ("family_name" in wanted or "given_name" in wanted):
                self.found.add(line, "name", "the header has name and family_name or given_name: give a mapping "
                               "file saying which to read")  # fmt: skip
                ok = False
        else:
            wanted = dict(mapping.columns)
            for name, column in mapping.columns.items():
                if column not in position:
                    problems.append(mapping.problem(f"the header (row {line} of {mapping.data.name}) has no "
                                                    f"column {column!r}", "columns", name))  # fmt: skip
                    ok = False
            for i, column in enumerate(mapping.attributes):
                if column not in position:
                    problems.append(mapping.problem(f"the header (row {line} of {mapping.data.name}) has no "
                                                    f"column {column!r}", "attributes", i))  # fmt: skip
                    ok = False
                wanted[column] = column
        for key, column in wanted.items():
            if column in twice:
                self.found.add(line, column, "two columns have this name; rename one")
                ok = False
            elif column in position:
                self.where[key], self.shown[key] = position[column], column
        return ok

    def row(self, line: int, cells: list[str]) -> None:
        """Check one row and keep its record."""
        if not "".join(cells).strip():
            return  # a blank row, as spreadsheets and their CSV exports leave between and after rows
        if self.is_xlsx:
            if len(cells) > self.width:
                self.found.add(line, "", f"a cell right of the header's last column (cell {len(cells)} of the row)")
                return
            cells += [""] * (self.width - len(cells))  # a workbook's row ends at its last filled cell
        elif len(cells) != self.width:
            self.found.add(line, "", f"{len(cells)} cells where the header has {self.width} columns")
            return
        record = dict.fromkeys(FIELDS, "")
        for key, i in self.where.items():  # fields in FIELDS' order, then attributes in the mapping's
            record[key] = cells[i].strip()
        self._check_id(line, record["record_id"])
        self._check_names(line, record)
        self._check_numbers(line, record)
        self._check_dates(line, record)
        self._check_sex(line, record)
        self.records.append(record)

    def _check_id(self, line: int, ref: str) -> None:
        if not ref:
            self.found.add(line, self.shown["record_id"], "empty: every record needs an id")
        elif ref in self.seen:
            self.found.add(line, self.shown["record_id"], f"the same id as on line {self.seen[ref]}")
        else:
            self.seen[ref] = line

    def _check_names(self, line: int, record: dict[str, str]) -> None:
        for key in NAME_FIELDS:
            if record[key] and not any(ch.isalpha() for ch in record[key]):
                self.found.add(line, self.shown[key], "a name with no letter (only punctuation, digits or spaces)")
        family, given = record["family_name"], record["given_name"]
        if family or given:  # "Family, Given": the linkage reads the parts as given ("Kim," or ", Young-chol")
            record["name"] = f"{family}, {given}".strip()

    def _check_numbers(self, line: int, record: dict[str, str]) -> None:
        written = record["birth_year"]
        if written:
            year = written if written.isdigit() else (self.date(written) or "")[:4]
            if not year.isdigit() or not 1850 <= int(year) <= 2100:
                self.found.add(line, self.shown["birth_year"], "not a year of birth (1850 to 2100, or a date)")
            else:
                record["birth_year"] = str(int(year))
        age = record["age"]
        if age:
            if not age.isdigit() or not 0 <= int(age) <= 120:
                self.found.add(line, self.shown["age"], "not an age (a whole number from 0 to 120)")
            elif self.mapping.ages_at is None and not record["interview_date"]:
                column = self.shown.get("interview_date")
                where = f"the {column} column is empty" if column else "the list has no interview_date column"
                self.found.add(line, self.shown["age"], f"an age needs the date it was given at ({where})")
            record["age"] = str(int(age)) if age.isdigit() else age
        if self.mapping.ages_at is not None:
            record["interview_date"] = self.mapping.ages_at

    def _check_dates(self, line: int, record: dict[str, str]) -> None:
        for key in DATE_FIELDS:
            if record[key] and not (key == "interview_date" and self.mapping.ages_at is not None):
                found = self.date(record[key])
                if found is None:
                    how = f"as {self.mapping.date_format} or " if self.mapping.date_format else ""
                    self.found.add(line, self.shown[key], f"not a date ({how}2008-03-01, 2008-03 or 2008)")
                else:
                    record[key] = found

    def _check_sex(self, line: int, record: dict[str, str]) -> None:
        if record["sex"]:
            code = self.mapping.sex_values.get(sex_key(record["sex"]))
            if code is None:
                known = "its mapping's sex_values" if self.mapping.source else "M, F, male, female, 남 or 여"
                self.found.add(line, self.shown["sex"], f"a sex value that is not one of {known}")
            else:
                record["sex"] = code


def _beside(data: Path) -> str:
    """A hint when a mapping file of the same name sits next to a data file read without it."""
    for suffix in MAPPING_SUFFIXES:
        if data.with_suffix(suffix).is_file():
            return f"; {data.with_suffix(suffix).name} beside it may map its columns: give that file instead"
    return ""


def _read_table(mapping: ListMapping, problems: list[Problem]) -> PersonList | None:
    found = _FileProblems(str(mapping.data), problems)
    reader = _Reader(mapping, found)
    header_line: int | None = None
    try:
        with _table(mapping) as rows:
            for line, cells in rows:
                if header_line is None:
                    if line < mapping.header_row:
                        continue
                    header_line = line
                    if not any(cell.strip() for cell in cells):
                        found.add(line, "", "the header row is empty")
                        break
                    if not reader.header(line, cells, problems):
                        break
                    continue
                reader.row(line, cells)
    except FileNotFoundError:
        found.add(None, "", "no such file" + (f" (named by {mapping.source.name})" if mapping.source else ""))
    except UnicodeDecodeError:
        found.add(None, "", "not UTF-8 text (save it as CSV UTF-8)")
    except WorkbookUnreadable as exc:
        found.add(None, "", f"cannot be read as an XLSX workbook ({exc.reason})")
    except SheetMissing as exc:
        sheets = ", ".join(repr(name) for name in exc.sheets) or "none"
        problems.append(mapping.problem(f"the workbook has no such worksheet; it has {sheets}", "sheet"))
    except (OSError, csv.Error) as exc:
        found.add(None, "", f"cannot be read as CSV ({type(exc).__name__})")
    else:
        if header_line is None:
            found.add(None, "", "no header row" if mapping.header_row == 1 else f"no row {mapping.header_row}")
        elif not reader.records and len(problems) == found.start:
            found.add(None, "", "no records")
    found.close()
    if len(problems) > found.start:
        return None
    files = (mapping.data,) if mapping.source is None else (mapping.data, mapping.source)
    return PersonList(mapping.list_name, tuple(reader.records), mapping.attributes, files)


def _read(path: Path, problems: list[Problem]) -> PersonList | None:
    suffix = path.suffix.lower()
    if suffix in MAPPING_SUFFIXES:
        mapping = read_mapping(path, problems)
        return _read_table(mapping, problems) if mapping is not None else None
    if suffix == ".xls":
        problems.append(
            Problem(str(path), None, "", "an old Excel file (.xls) cannot be read: save it as .xlsx or CSV")
        )
        return None
    return _read_table(default_mapping(path), problems)


def read_person_lists(paths: Sequence[str | Path], *, action: str = "linked") -> list[PersonList]:
    """Read every list (a CSV, an XLSX, or a YAML mapping naming either); DataFileInvalid listing every
    problem of every file when any has one. ``action`` ends its message: "nothing was {action}"."""
    problems: list[Problem] = []
    lists = [found for path in paths if (found := _read(Path(path), problems)) is not None]
    names = [found.name for found in lists]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(name, None, "", "two files give the same list name"))
    if problems:
        shown = "; ".join(str(p) for p in problems[:_SHOWN])
        more = f"; and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
        summary = f"{len(problems)} problem(s) in the person lists; nothing was {action}: {shown}{more}"
        raise DataFileInvalid("person list", problems, summary=summary)
    return lists
