"""Which records are one person, from the scored pairs at a chosen threshold: connected components, or
best links when some lists are known to hold each person at most once.

Connected components put together every two records joined by a chain of pairs at or above the threshold.
That is right when every list may hold a person twice, but one wrong pair then merges two people whole.
When a list is known to be duplicate-free (a register that checked its people, say), a person's cluster
may hold at most one of its records: best-link clustering (Splink's ``cluster_using_single_best_links``)
joins two clusters only along the pair that is the best for both, and never when the merge would put two
records of one duplicate-free list together. With distinct scores this is the same as taking the pairs
from the highest match probability down and refusing every merge that breaks the rule.

Both run in SQL on the linker's own backend (DuckDB or Spark). Works on record ids only; never logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["cluster_predictions", "numbered"]


def numbered(found: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Cluster ids renamed P-000001, P-000002 ... in the order of each cluster's first (list, record id)."""
    names: dict[str, str] = {}
    for key in sorted(found):
        names.setdefault(found[key], f"P-{len(names) + 1:06d}")
    return {key: names[cluster] for key, cluster in found.items()}


def cluster_predictions(
    linker: Any, predicted: Any, *, threshold: float, duplicate_free: Sequence[str] = ()
) -> dict[tuple[str, str], str]:
    """Each record's person, (list name, record id) to P-000001 ..., from Splink's scored pairs
    ``predicted`` at match probability ``threshold``. ``duplicate_free`` names the linker's input tables
    (not the lists) that hold each person at most once; with none, connected components."""
    if duplicate_free:
        clustered = linker.clustering.cluster_using_single_best_links(
            predicted, duplicate_free_datasets=list(duplicate_free), threshold_match_probability=threshold
        )
    else:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predicted, threshold_match_probability=threshold
        )
    found = {(str(row["list_name"]), str(row["record_id"])): str(row["cluster_id"])
             for row in clustered.as_record_list()}  # fmt: skip
    return numbered(found)
