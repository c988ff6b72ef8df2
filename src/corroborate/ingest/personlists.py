"""Organisations' person lists as CSV files, read for linkage (issue 14).

A list is a UTF-8 CSV file with a header row; its name is the file's name without ``list-`` and ``.csv``
(``list-A.csv`` is list A). Columns read: ``record_id`` (required, unique in the file), and ``name``,
``sex``, ``birth_year``, ``age``, ``interview_date``, ``origin`` (any may be missing or empty); other
columns are ignored. Every problem of every file is reported at once (file, line, column) and no list is
read when one has any; a problem never quotes a value, since names are restricted.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import DataFileInvalid, Problem

__all__ = ["COLUMNS", "PersonList", "read_person_lists"]

COLUMNS = ("record_id", "name", "sex", "birth_year", "age", "interview_date", "origin")


@dataclass(frozen=True)
class PersonList:
    """One organisation's list: its name and its records (the columns read, as written)."""

    name: str
    records: tuple[dict[str, str], ...]


def _list_name(path: Path) -> str:
    stem = path.stem
    return stem[len("list-") :] if stem.startswith("list-") and len(stem) > len("list-") else stem


def _read(path: Path, problems: list[Problem]) -> PersonList | None:
    shown = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if "record_id" not in header:
                problems.append(Problem(shown, 1, "record_id", "the header has no record_id column"))
                return None
            records: list[dict[str, str]] = []
            seen: dict[str, int] = {}
            for row in reader:
                line = reader.line_num
                if None in row:
                    problems.append(Problem(shown, line, "", "more cells than the header has columns"))
                    continue
                record = {column: (row.get(column) or "").strip() for column in COLUMNS}
                ref = record["record_id"]
                if not ref:
                    problems.append(Problem(shown, line, "record_id", "empty"))
                elif ref in seen:
                    problems.append(Problem(shown, line, "record_id", f"the same as on line {seen[ref]}"))
                else:
                    seen[ref] = line
                for column in ("birth_year", "age"):
                    if record[column] and not record[column].isdigit():
                        problems.append(Problem(shown, line, column, "not a whole number"))
                records.append(record)
    except FileNotFoundError:
        problems.append(Problem(shown, None, "", "no such file"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(shown, None, "", "not UTF-8 text"))
        return None
    except (OSError, csv.Error) as exc:
        problems.append(Problem(shown, None, "", f"cannot be read as CSV ({type(exc).__name__})"))
        return None
    if not records:
        problems.append(Problem(shown, None, "", "no records"))
    return PersonList(_list_name(path), tuple(records))


def read_person_lists(paths: Sequence[str | Path]) -> list[PersonList]:
    """Read every list; DataFileInvalid listing every problem of every file when any has one."""
    problems: list[Problem] = []
    lists = [found for path in paths if (found := _read(Path(path), problems)) is not None]
    names = [found.name for found in lists]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(name, None, "", "two files give the same list name"))
    if problems:
        shown = "; ".join(str(p) for p in problems[:20])
        more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
        summary = f"{len(problems)} problem(s) in the person lists; nothing was linked: {shown}{more}"
        raise DataFileInvalid("person list", problems, summary=summary)
    return lists
