"""The cells and design matrices of log-linear capture-recapture models (issue 15).

A table over J lists has 2^J - 1 observable cells, one per non-empty capture pattern; a pattern the table
does not list is a cell with count zero. A model is its set of two-way interactions (pairs of lists) on top
of the intercept and the J main effects, coded 0/1 so that ``exp(intercept)`` is the expected number of
people on no list.

A pair of lists with no one in common (an *empty overlap*) gets special treatment, as in Chan, Silverman &
Vincent (2019) and SparseMSE: when the model includes its interaction, the interaction's estimate is minus
infinity and every cell holding both lists is fitted as zero. ``ModelDesign`` therefore drops those cells
and that column; what remains is the design the model is fitted, checked and counted on. Pure computation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corroborate.stats.linkage.population import CaptureHistories

__all__ = ["CellTable", "ModelDesign", "Pair", "cell_table", "model_design", "pair_terms"]

Pair = tuple[int, int]
_Floats = NDArray[np.float64]


@dataclass(frozen=True)
class CellTable:
    """Every observable cell of a table: ``patterns`` (cells x lists, 0/1) and ``counts`` (zero where absent)."""

    lists: tuple[str, ...]
    patterns: NDArray[np.int64]
    counts: _Floats

    @property
    def observed(self) -> int:
        """People seen on at least one list."""
        return int(self.counts.sum())

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """Every pair of lists, in order (0, 1), (0, 2) ... (1, 2) ..."""
        return tuple(itertools.combinations(range(len(self.lists)), 2))

    def on_both(self, pair: Pair) -> NDArray[np.bool_]:
        """The cells whose people are on both lists of ``pair``."""
        found: NDArray[np.bool_] = (self.patterns[:, pair[0]] == 1) & (self.patterns[:, pair[1]] == 1)
        return found

    def overlap(self, pair: Pair) -> int:
        """How many people are on both lists of ``pair`` (whatever other lists they are on)."""
        return int(self.counts[self.on_both(pair)].sum())

    def empty_pairs(self) -> tuple[Pair, ...]:
        """The pairs of lists with no one in common."""
        return tuple(pair for pair in self.pairs if self.overlap(pair) == 0)

    def with_counts(self, counts: _Floats) -> CellTable:
        """The same cells with other counts (a bootstrap resample, a jackknife deletion)."""
        return CellTable(self.lists, self.patterns, np.asarray(counts, dtype=np.float64))


def cell_table(histories: CaptureHistories) -> CellTable:
    """All 2^J - 1 observable cells of ``histories``, in binary order, with their counts."""
    width = len(histories.lists)
    patterns = np.array([p for p in itertools.product((0, 1), repeat=width) if any(p)], dtype=np.int64)
    found = {tuple(int(v) for v in pattern): count for pattern, count in histories.rows}
    counts = np.array([found.get(tuple(int(v) for v in row), 0) for row in patterns], dtype=np.float64)
    return CellTable(tuple(histories.lists), patterns, counts)


def pair_terms(lists: Sequence[str], pairs: Sequence[Pair]) -> tuple[str, ...]:
    """The interactions as written in output: ``"A:B"``."""
    return tuple(f"{lists[a]}:{lists[b]}" for a, b in pairs)


@dataclass(frozen=True)
class ModelDesign:
    """A model's design as fitted: the cells kept (``cells``, a mask over the table's cells), the pairs whose
    interactions are estimated (``fitted``) and those fixed at minus infinity (``empty``, pairs with no one in
    common), and the 0/1 design matrix over the kept cells (intercept, main effects, then ``fitted``)."""

    pairs: tuple[Pair, ...]
    fitted: tuple[Pair, ...]
    empty: tuple[Pair, ...]
    cells: NDArray[np.bool_]
    matrix: _Floats

    @property
    def parameters(self) -> int:
        """Parameters the model counts, those fixed at minus infinity included (as SparseMSE counts for AIC)."""
        return int(self.matrix.shape[1]) + len(self.empty)


def model_design(table: CellTable, pairs: Sequence[Pair]) -> ModelDesign:
    """The design of the model with main effects and the interactions ``pairs``, empty overlaps dropped."""
    ordered = tuple(sorted(pairs))
    empty = tuple(pair for pair in ordered if table.overlap(pair) == 0)
    fitted = tuple(pair for pair in ordered if pair not in empty)
    keep = np.ones(len(table.counts), dtype=bool)
    for pair in empty:
        keep &= ~table.on_both(pair)
    patterns = table.patterns[keep].astype(np.float64)
    columns = [np.ones(len(patterns)), *patterns.T, *(patterns[:, a] * patterns[:, b] for a, b in fitted)]
    return ModelDesign(ordered, fitted, empty, keep, np.column_stack(columns))
