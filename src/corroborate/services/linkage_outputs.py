"""The outputs of a linkage beyond the three tables ``linking`` writes: the clusters as Parquet, the list
overlaps, why each pair scored what it did, and charts (issue 14, item 6).

Into the folder go ``clusters.parquet`` (the same rows as ``clusters.csv``), ``overlaps.csv`` (each
combination of lists and how many people, and records, exactly it holds), ``explanations.csv`` (each scored
pair's comparison levels and their match weights, which add up with the prior to the pair's match weight)
and, unless charts are turned off, ``overlaps.svg`` (an UpSet chart), ``match-weights.svg`` (a histogram of
the pairs' match weights), ``model.html`` (Splink's charts of the model) and ``waterfalls.html`` (Splink's
waterfall chart of pairs near the threshold). Every chart works offline. Record ids, list names, labels,
counts and weights only: never a name. Each file is written whole or not at all, readable by its owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corroborate.stats.linkage import (
    capture_histories,
    explanations_csv,
    list_overlaps,
    overlap_svg,
    overlaps_csv,
    weight_histogram_svg,
)

from .casefiles import write_output, write_output_bytes

if TYPE_CHECKING:
    from corroborate.stats.linkage.model import LinkedRecords

__all__ = ["CHARTS", "TABLES", "output_names", "write_linkage_outputs"]

TABLES = ("clusters.parquet", "explanations.csv", "overlaps.csv")
CHARTS = ("overlaps.svg", "match-weights.svg", "model.html", "waterfalls.html")


def output_names(*, charts: bool = True) -> tuple[str, ...]:
    """The files ``write_linkage_outputs`` writes."""
    return TABLES + (CHARTS if charts else ())


def _clusters_parquet(linked: LinkedRecords) -> bytes:
    """The clusters as a Parquet file: ``list``, ``record_id`` and ``person``, as in ``clusters.csv``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = list(linked.clusters)
    table = pa.table({"list": [k[0] for k in keys], "record_id": [k[1] for k in keys],
                      "person": [linked.clusters[k] for k in keys]})  # fmt: skip
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def write_linkage_outputs(
    target: Path, linked: LinkedRecords, lists: Sequence[str], *, charts: bool = True, force: bool = False
) -> tuple[Path, ...]:
    """Write the outputs of ``linked`` (lists in the order ``lists``) into the folder ``target``, which
    exists; returns the files in the order of ``output_names``."""
    if linked.weights is None:
        raise ValueError("the linkage carries no model weights to explain its pairs with")
    weights = linked.weights
    written = [write_output_bytes(target / "clusters.parquet", _clusters_parquet(linked), force=force)]
    texts = {
        "explanations.csv": explanations_csv(weights, linked.pairs, linked.levels),
        "overlaps.csv": overlaps_csv(list_overlaps(linked.clusters, lists)),
    }
    if charts:
        from corroborate.stats.linkage.splink_charts import model_page, waterfall_page  # loads Splink

        texts["overlaps.svg"] = overlap_svg(capture_histories(linked.memberships(), lists))
        texts["match-weights.svg"] = weight_histogram_svg([w for *_, w in linked.pairs], threshold=linked.threshold,
                                                          pairs_from=linked.pairs_from)  # fmt: skip
        texts["model.html"] = model_page(weights)
        texts["waterfalls.html"] = waterfall_page(weights, linked.pairs, linked.levels, threshold=linked.threshold)
    written += [write_output(target / name, texts[name], force=force) for name in output_names(charts=charts)[1:]]
    return tuple(written)
