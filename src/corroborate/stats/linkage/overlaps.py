"""How the lists overlap: for each combination of lists, how many people exactly those lists hold, and
how many records they hold of them (a list may hold a person twice).

The same counts as the capture histories (``population.capture_histories``), in the order a reader wants
(the largest combination first) and with the records beside the people. Counts only; never a name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Overlap", "list_overlaps", "overlaps_csv"]


@dataclass(frozen=True)
class Overlap:
    """The people on exactly the lists ``lists`` (in the lists' order), and their records there."""

    lists: tuple[str, ...]
    people: int
    records: int


def list_overlaps(clusters: Mapping[tuple[str, str], str], lists: Sequence[str]) -> tuple[Overlap, ...]:
    """The overlaps of ``clusters`` ((list, record id) to person): largest first, then by how many lists,
    then in the lists' order."""
    position = {name: i for i, name in enumerate(lists)}
    if unknown := {name for name, _ in clusters} - set(position):
        raise ValueError(f"unknown lists {sorted(unknown)}")
    held: dict[str, set[str]] = {}
    records: dict[str, int] = {}
    for (name, _), person in clusters.items():
        held.setdefault(person, set()).add(name)
        records[person] = records.get(person, 0) + 1
    people: dict[tuple[str, ...], list[int]] = {}
    for person, names in held.items():
        key = tuple(sorted(names, key=position.__getitem__))
        counts = people.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += records[person]
    order = sorted(people.items(), key=lambda item: (-item[1][0], len(item[0]), [position[n] for n in item[0]]))
    return tuple(Overlap(key, count, total) for key, (count, total) in order)


def overlaps_csv(overlaps: Sequence[Overlap]) -> str:
    """``lists`` (the names joined by "+"), ``lists_count``, ``people``, ``records`` and ``share`` (of the
    people on any list), one row per combination."""
    everyone = sum(o.people for o in overlaps)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["lists", "lists_count", "people", "records", "share"])
    for o in overlaps:
        writer.writerow(["+".join(o.lists), len(o.lists), o.people, o.records, f"{o.people / everyone:.4f}"])
    return buffer.getvalue()
