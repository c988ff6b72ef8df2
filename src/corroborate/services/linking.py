"""Use case: link organisations' person lists (CSV files) and write who is on which list (issue 14).

Reads every list first (every problem of every file at once, nothing linked when one has any), links them
with Splink (``stats.linkage.model``) and writes, into a folder: ``clusters.csv`` (each record's list, id and
person: the cluster it joined), ``pairs.csv`` (the pairs scored at 0.5 or more, for review) and
``capture-histories.csv`` (people by the lists that saw them, the format ``shared/data/mse`` and estimation
use). The outputs name records by their ids, never by a name; nothing is logged. ``linkage_outputs`` adds
the clusters as Parquet, the list overlaps, the pairs' explanations and the charts.

``link_stored_lists`` links the lists kept in a case store instead (``services.personlists``), read back
for whoever may see identities, and writes the same outputs.

Both link on DuckDB in this process, or with ``engine="spark"`` on Apache Spark (``stats.linkage.engines``:
locally on this machine's cores, or on the cluster at ``spark_master``), with the same model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from corroborate.errors import OutputFailed, UserError
from corroborate.ingest import PersonList, read_person_lists, read_truth
from corroborate.stats.linkage import capture_histories

from . import encoding, personlists
from .access import Actor
from .casefiles import check_output, csv_text, write_output
from .interruptible import interruptible
from .linkage_outputs import output_names, write_linkage_outputs
from .unlocking import Secrets

__all__ = ["LinkedLists", "link_encoded_lists", "link_lists", "link_stored_lists"]

_OUTPUTS = ("clusters.csv", "pairs.csv", "capture-histories.csv")


@dataclass(frozen=True)
class LinkedLists:
    """What was linked and written: the lists, how many records, how many people (clusters) and how many
    of them more than one list holds, and the files."""

    lists: tuple[str, ...]
    records: int
    people: int
    on_several: int
    files: tuple[Path, ...]
    scores: tuple[float, float] | None = None  # pairwise precision and recall against a generated truth


def link_lists(
    paths: Sequence[str | Path], folder: str | Path, *, threshold: float = 0.9, force: bool = False,
    duplicate_free: Sequence[str] = (), charts: bool = True, engine: str = "duckdb", spark_master: str | None = None,
    truth: str | Path | None = None,
) -> LinkedLists:  # fmt: skip
    """Link the lists at ``paths`` (two or more) and write the outputs into ``folder`` (made when missing);
    nothing is written when an output is there already, unless ``force``. The lists named in
    ``duplicate_free`` hold each person at most once (best-link clustering); ``charts`` writes the charts.
    ``engine`` is "duckdb" or "spark" (on ``spark_master``; default: locally, every core). With ``truth`` (a
    generated population's ``truth.csv``) the clusters are scored against it (``LinkedLists.scores``)."""
    if len(paths) < 2:
        raise UserError("give two lists or more: linkage finds who is on more than one")
    _check_engine(engine, spark_master)
    target = _check_outputs(folder, threshold=threshold, force=force, charts=charts)
    known = read_truth(truth) if truth is not None else None
    return _link_and_write(read_person_lists(paths), target, folder, threshold=threshold, force=force,
                           duplicate_free=duplicate_free, charts=charts, engine=engine,
                           spark_master=spark_master, truth=known, truth_shown=str(truth))  # fmt: skip


def _check_engine(engine: str, spark_master: str | None) -> None:
    """Refuse an unknown engine, and a Spark master URL without the Spark engine."""
    from corroborate.stats.linkage.engines import ENGINES  # no heavy import: pyspark loads only to link

    if engine not in ENGINES:
        raise UserError(f"--engine is one of {', '.join(ENGINES)}, not {engine}")
    if spark_master is not None and engine != "spark":
        raise UserError("--spark-master is for --engine spark")


def link_stored_lists(
    location: str, folder: str | Path, *, actor: Actor, secrets: Secrets, case: str | None = None,
    names: Sequence[str] | None = None, threshold: float = 0.9, force: bool = False,
    duplicate_free: Sequence[str] = (), charts: bool = True, engine: str = "duckdb", spark_master: str | None = None,
) -> LinkedLists:  # fmt: skip
    """Link the person lists kept in a case (those ``names``, two or more; default: all) and write the same
    outputs as ``link_lists`` into ``folder`` (``duplicate_free``, ``charts``, ``engine`` and ``spark_master``
    as there). Needs a role that may read the lists' records (they are restricted) and the case's keys; nothing
    is written when an output is there already, unless ``force``."""
    if names is not None and len(set(names)) < 2:
        raise UserError("name two lists or more: linkage finds who is on more than one")
    _check_engine(engine, spark_master)
    target = _check_outputs(folder, threshold=threshold, force=force, charts=charts)
    lists = personlists.stored_lists(location, actor=actor, secrets=secrets, case=case, names=names)
    if len(lists) < 2:
        raise UserError(f"the case holds {len(lists)} person list(s); linkage needs two or more "
                        "(add them with `corroborate lists add`)")  # fmt: skip
    return _link_and_write(lists, target, folder, threshold=threshold, force=force, duplicate_free=duplicate_free,
                           charts=charts, engine=engine, spark_master=spark_master)  # fmt: skip


def _check_outputs(folder: str | Path, *, threshold: float, force: bool, charts: bool = True) -> Path:
    """The output folder, once the threshold is one and no output would be overwritten unasked."""
    if not 0.5 <= threshold < 1:
        raise UserError(f"--threshold is a match probability from 0.5 to below 1, not {threshold}")
    return _output_folder(folder, (*_OUTPUTS, *output_names(charts=charts)), force=force)


def _output_folder(folder: str | Path, names: Sequence[str], *, force: bool) -> Path:
    """The output folder, once it is not a file and none of ``names`` in it would be overwritten unasked."""
    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise OutputFailed(str(folder), "it is a file, not a folder")
    for name in names:
        check_output(target / name, force=force)
    return target


def _link_and_write(
    lists: Sequence[PersonList], target: Path, folder: str | Path, *, threshold: float, force: bool,
    duplicate_free: Sequence[str] = (), charts: bool = True, engine: str = "duckdb", spark_master: str | None = None,
    truth: Mapping[tuple[str, str], str] | None = None, truth_shown: str = "",
) -> LinkedLists:  # fmt: skip
    """Link the records of ``lists`` and write the outputs into ``target`` (``folder`` as the user named it)."""
    from corroborate.stats.linkage.model import link_records  # Splink and DuckDB load only to link

    records = [(found.name, record["record_id"], record) for found in lists for record in found.records]
    order = [found.name for found in lists]
    if unknown := sorted(set(duplicate_free) - set(order)):
        raise UserError(f"--duplicate-free {', '.join(unknown)}: no such list; the lists are {', '.join(order)}")
    if truth is not None and (strangers := len({(name, ref) for name, ref, _ in records} - set(truth))):
        raise UserError(f"{strangers:,} records of the lists are not in the truth file {truth_shown}: is it theirs?")
    from corroborate.stats.linkage.engines import EngineUnavailable

    try:
        linked = interruptible(link_records, records, threshold=threshold, duplicate_free=duplicate_free,
                               engine=engine, spark_master=spark_master or "local[*]")  # Ctrl-C stops it  # fmt: skip
    except EngineUnavailable as exc:  # the Spark engine without pyspark or Java
        raise UserError(str(exc)) from None
    pairs = (("match_probability", "match_weight"),
             ((a[0], a[1], b[0], b[1], f"{p:.6f}", f"{w:.3f}") for a, b, p, w in linked.pairs))  # fmt: skip
    written = _write_tables(target, folder, linked.clusters, pairs, order, force=force)
    written += write_linkage_outputs(target, linked, order, charts=charts, force=force)
    made = _summary(order, len(records), linked.clusters, written)
    if truth is None:
        return made
    from corroborate.stats.linkage.model import pair_scores

    return replace(made, scores=pair_scores({key: truth[key] for key in linked.clusters}, linked.clusters))


def _write_tables(
    target: Path, folder: str | Path, clusters: Mapping[tuple[str, str], str],
    pairs: tuple[Sequence[str], Iterable[Sequence[object]]], order: Sequence[str], *, force: bool,
) -> tuple[Path, ...]:  # fmt: skip
    """Write ``clusters.csv``, ``pairs.csv`` (its score columns and rows, each row the two records and their
    scores) and ``capture-histories.csv`` (lists in the order ``order``) into ``target``, made when missing."""
    scores, pair_rows = pairs
    texts = [csv_text(("list", "record_id", "person"), ((lst, rid, who) for (lst, rid), who in clusters.items())),
             csv_text(("list_l", "record_id_l", "list_r", "record_id_r", *scores), pair_rows),
             capture_histories([(lst, who) for (lst, _), who in clusters.items()], order).to_csv()]  # fmt: skip
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFailed(str(folder), exc.strerror or type(exc).__name__) from None
    return tuple(write_output(target / name, text, force=force) for name, text in zip(_OUTPUTS, texts, strict=True))


def _summary(
    order: Sequence[str], records: int, clusters: Mapping[tuple[str, str], str], written: tuple[Path, ...]
) -> LinkedLists:  # fmt: skip
    """What was linked: the people (clusters) and how many of them more than one list holds."""
    lists_of: dict[str, set[str]] = {}
    for (lst, _), person in clusters.items():
        lists_of.setdefault(person, set()).add(lst)
    on_several = sum(len(held) > 1 for held in lists_of.values())
    return LinkedLists(tuple(order), records, len(lists_of), on_several, written)


def link_encoded_lists(
    paths: Sequence[str | Path], folder: str | Path, *, threshold: float = 0.9, force: bool = False
) -> LinkedLists:  # fmt: skip
    """Link organisations' encoding files (``corroborate encode``; two or more, all under one key) on their
    keyed Bloom filters only, and write ``clusters.csv``, ``pairs.csv`` (pairs of Dice 0.8 or more, with
    their Dice coefficient) and ``capture-histories.csv`` into ``folder``, as ``link_lists`` writes them.
    Two records are one person from a Dice coefficient of ``threshold``."""
    if len(paths) < 2:
        raise UserError("give two encoding files or more: linkage finds who is on more than one list")
    if not 0.8 <= threshold <= 1:
        raise UserError(f"--threshold is a Dice coefficient from 0.8 to 1, not {threshold}")
    target = _output_folder(folder, _OUTPUTS, force=force)
    from corroborate.stats.linkage.encoded import link_encodings  # NumPy loads only to link

    lists = encoding.read_encodings(paths)
    records = [(found.name, record_id, bits) for found in lists for record_id, bits in found.records]
    linked = link_encodings(records, threshold=threshold, pairs_from=min(0.8, threshold))
    pairs = (("dice",), ((a[0], a[1], b[0], b[1], f"{d:.4f}") for a, b, d in linked.pairs))
    order = [found.name for found in lists]
    written = _write_tables(target, folder, linked.clusters, pairs, order, force=force)
    return _summary(order, len(records), linked.clusters, written)
