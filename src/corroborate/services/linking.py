"""Use case: link organisations' person lists (CSV files) and write who is on which list (issue 14).

Reads every list first (every problem of every file at once, nothing linked when one has any), links them
with Splink (``stats.linkage.model``) and writes, into a folder: ``clusters.csv`` (each record's list, id and
person: the cluster it joined), ``pairs.csv`` (the pairs scored at 0.5 or more, for review) and
``capture-histories.csv`` (people by the lists that saw them, the format ``shared/data/mse`` and estimation
use). The outputs name records by their ids, never by a name; nothing is logged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import OutputFailed, UserError
from corroborate.ingest import read_person_lists
from corroborate.stats.linkage import capture_histories

from .casefiles import check_output, write_output

__all__ = ["LinkedLists", "link_lists"]


@dataclass(frozen=True)
class LinkedLists:
    """What was linked and written: the lists, how many records, how many people (clusters) and how many
    of them more than one list holds, and the files."""

    lists: tuple[str, ...]
    records: int
    people: int
    on_several: int
    files: tuple[Path, ...]


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def link_lists(
    paths: Sequence[str | Path], folder: str | Path, *, threshold: float = 0.9, force: bool = False
) -> LinkedLists:
    """Link the lists at ``paths`` (two or more) and write the outputs into ``folder`` (made when missing);
    nothing is written when an output is there already, unless ``force``."""
    if len(paths) < 2:
        raise UserError("give two lists or more: linkage finds who is on more than one")
    if not 0.5 <= threshold < 1:
        raise UserError(f"--threshold is a match probability from 0.5 to below 1, not {threshold}")
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise OutputFailed(str(folder), "it is a file, not a folder")
    names = ["clusters.csv", "pairs.csv", "capture-histories.csv"]
    for name in names:
        check_output(target / name, force=force)
    from corroborate.stats.linkage.model import link_records  # Splink and DuckDB load only to link

    lists = read_person_lists(paths)
    records = [(found.name, record["record_id"], record) for found in lists for record in found.records]
    linked = link_records(records, threshold=threshold)
    order = [found.name for found in lists]
    clusters = _csv(("list", "record_id", "person"), ((lst, rid, who) for (lst, rid), who in linked.clusters.items()))
    pairs = _csv(("list_l", "record_id_l", "list_r", "record_id_r", "match_probability", "match_weight"),
                 ((a[0], a[1], b[0], b[1], f"{p:.6f}", f"{w:.3f}") for a, b, p, w in linked.pairs))  # fmt: skip
    histories = capture_histories(linked.memberships(), order)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFailed(str(folder), exc.strerror or type(exc).__name__) from None
    texts = [clusters, pairs, histories.to_csv()]
    written = tuple(write_output(target / name, text, force=force) for name, text in zip(names, texts, strict=True))
    lists_of: dict[str, set[str]] = {}
    for (lst, _), person in linked.clusters.items():
        lists_of.setdefault(person, set()).add(lst)
    on_several = sum(len(held) > 1 for held in lists_of.values())
    return LinkedLists(tuple(order), len(records), len(lists_of), on_several, written)
