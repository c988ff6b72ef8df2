"""Warnings in plain words about what a capture-history table or an estimate can support (issue 15, item 6).

Every method adds these to its ``Estimate.warnings``, so a reader is never handed a silently huge number:
pairs of lists with no one in common, too few people on more than one list, an estimate (or an interval's
upper end) more than ``HUGE`` times the people seen. The log-linear method adds its own about models whose
estimate does not exist or is not identifiable; a sampler adds its own about chains that did not converge.
Pure computation on the values passed in; never quotes a person's data (there is none here, only counts).
"""

from __future__ import annotations

from collections.abc import Sequence

from corroborate.stats.linkage.population import CaptureHistories

__all__ = ["FEW_OVERLAPS", "HUGE", "empty_overlaps", "overlap_warnings", "size_warnings"]

HUGE = 20  # an estimate more than this many times the people seen is flagged
FEW_OVERLAPS = 20  # fewer people than this on two or more lists is flagged


def empty_overlaps(histories: CaptureHistories) -> list[tuple[str, str]]:
    """The pairs of lists that have no one in common."""
    lists = histories.lists
    found = []
    for a in range(len(lists)):
        for b in range(a + 1, len(lists)):
            if not any(pattern[a] and pattern[b] and count for pattern, count in histories.rows):
                found.append((lists[a], lists[b]))
    return found


def overlap_warnings(histories: CaptureHistories) -> list[str]:
    """Warnings about the overlaps between lists, on which every estimate rests."""
    found: list[str] = []
    observed = histories.observed
    if observed == 0:
        return ["No one is counted in this table: there is nothing to estimate from."]
    for name, on_list in zip(histories.lists, _list_counts(histories), strict=True):
        if on_list == 0:
            found.append(f"List {name} has no one on it: it tells nothing about the people no list saw.")
    empty = empty_overlaps(histories)
    if empty:
        pairs = _join([f"{a} and {b}" for a, b in empty])
        which = f"Lists {pairs} have" if len(empty) == 1 else f"{len(empty)} pairs of lists ({pairs}) have"
        found.append(f"{which} no one in common. Estimates from tables with empty overlaps can be unstable: the "
                     "table cannot tell whether such lists never meet the same people or just did not this "
                     "time (a log-linear model with such a pair's interaction treats them as never "
                     "overlapping).")  # fmt: skip
    several = sum(count for pattern, count in histories.rows if sum(pattern) >= 2)
    if several < FEW_OVERLAPS:
        found.append(f"Only {several} of the {observed:,} people seen are on more than one list: every estimate "
                     "rests on these overlaps, and so few cannot support a precise one.")  # fmt: skip
    return found


def size_warnings(observed: int, estimate: float | None, upper: float | None) -> list[str]:
    """Warnings when an estimate, or its interval's upper end, is more than ``HUGE`` times the people seen."""
    found: list[str] = []
    if estimate is not None and observed > 0 and estimate > HUGE * observed:
        found.append(f"The estimate is {estimate / observed:,.0f} times the {observed:,} people seen: numbers this "
                     "large come from a model the overlaps barely support. Do not report it without checking the "
                     "other models and methods.")  # fmt: skip
    elif upper is not None and observed > 0 and upper > HUGE * observed:
        found.append(f"The interval's upper end is {upper / observed:,.0f} times the {observed:,} people seen: the "
                     "data leave the size of the unseen population very uncertain.")  # fmt: skip
    return found


def _list_counts(histories: CaptureHistories) -> list[int]:
    return [sum(count for pattern, count in histories.rows if pattern[j]) for j in range(len(histories.lists))]


def _join(parts: Sequence[str]) -> str:
    return "; ".join(parts)
