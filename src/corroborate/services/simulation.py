"""Use case: a synthetic population of border crossers and the lists that saw them, written as the files the
organisations would hold, with the truth kept in files of its own (issue 14: for trying linkage and
estimation, and for their tests and benchmarks).

Each list's CSV has what an organisation records (a name as it wrote it, sex, birth year or age at the
interview, place of origin, dates) and never who the person really is; ``truth.csv`` pairs each record
with its person and the mistakes the list made; ``capture-histories.csv`` counts the people by the lists
that saw them, in the format ``corroborate estimate`` (issue 15) and ../shared/data/mse use. The people
are made up: no file holds anyone's real identity.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import OutputFailed, UserError
from corroborate.stats.linkage import default_lists, simulate

from .casefiles import check_output, write_output

__all__ = ["LIST_COLUMNS", "SimulatedLists", "simulate_lists"]

LIST_COLUMNS = ("record_id", "name", "sex", "birth_year", "age", "interview_date", "origin", "crossing", "arrest",
                "repatriation")  # fmt: skip
MAX_PEOPLE = 1_000_000


@dataclass(frozen=True)
class SimulatedLists:
    """What was written: the files, how many people were made, how many records the lists hold, and how
    many people at least one list saw."""

    files: tuple[Path, ...]
    people: int
    records: int
    seen: int


def _csv(header: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def simulate_lists(
    folder: str | Path, *, people: int, lists: int = 4, seed: int = 0, force: bool = False
) -> SimulatedLists:
    """Generate ``people`` people and ``lists`` lists (A, B, C ...) with ``seed``, and write one CSV a list,
    ``truth.csv`` and ``capture-histories.csv`` into ``folder`` (made when missing). Nothing is written when
    any of the files is there already, unless ``force``."""
    if not 1 <= people <= MAX_PEOPLE:
        raise UserError(f"--people must be 1 to {MAX_PEOPLE:,}, not {people:,}")
    if lists < 2:
        raise UserError("--lists must be at least 2: one list cannot tell how many it missed")
    try:
        specs = default_lists(lists)
    except ValueError as exc:
        raise UserError(f"--lists: {exc}") from None
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise OutputFailed(str(folder), "it is a file, not a folder")
    names = [f"list-{spec.name}.csv" for spec in specs] + ["truth.csv", "capture-histories.csv"]
    for name in names:  # every file may be written, or none is
        check_output(target / name, force=force)
    population = simulate(people, specs, seed=seed)
    rows = [record.as_row() for record in population.records]
    texts = [_csv(LIST_COLUMNS, [row for row in rows if row["list_name"] == spec.name]) for spec in specs]
    texts.append(_csv(("record_id", "list_name", "person_id", "noise"), rows))
    histories = population.capture_histories()
    texts.append(histories.to_csv())
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFailed(str(folder), exc.strerror or type(exc).__name__) from None
    written = tuple(write_output(target / name, text, force=force) for name, text in zip(names, texts, strict=True))
    return SimulatedLists(written, people, len(population.records), histories.observed)
