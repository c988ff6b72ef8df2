"""A made-up population's truth (``truth.csv`` of `corroborate simulate`, issue 14): which person each record of
its lists is, to score a linkage against. Every problem of the file is listed at once, never a value.
"""

from __future__ import annotations

import csv
from pathlib import Path

from corroborate.errors import DataFileInvalid, Problem

__all__ = ["read_truth"]


def read_truth(path: str | Path) -> dict[tuple[str, str], str]:
    """A generated population's truth (``truth.csv`` of `corroborate simulate`): (list, record id) to person.
    DataFileInvalid, with every problem, when it is not such a file."""
    shown, found, problems = str(path), {}, []
    try:
        with Path(path).expanduser().open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("record_id", "list_name", "person_id") if c not in (reader.fieldnames or [])]
            problems += [Problem(shown, 1, column, "the header has no such column") for column in missing]
            for row in [] if missing else reader:
                if not row["record_id"] or not row["list_name"] or not row["person_id"]:
                    problems.append(Problem(shown, reader.line_num, "", "a record id, list or person is missing"))
                found[row["list_name"], row["record_id"]] = row["person_id"]
    except FileNotFoundError:
        problems.append(Problem(shown, None, "", "no such file"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(shown, None, "", f"cannot be read as CSV ({type(exc).__name__})"))
    if problems:
        raise DataFileInvalid("truth", problems)
    return found
