"""Does a log-linear model's maximum-likelihood estimate exist, and is it identifiable? (issue 15)

Two checks on a model's design (``design.model_design``: empty overlaps already fixed at minus infinity and
their cells dropped), as SparseMSE's ``checkident`` makes them (Chan, Silverman & Vincent 2019, after
Fienberg & Rinaldo 2012):

- *Existence*: the maximum-likelihood estimate exists exactly when some table with every cell strictly
  positive has the same sufficient statistics (the margins ``X'n``) as the data. The linear programme
  ``maximise s subject to X'x = X'n, x_i >= s, 0 <= s <= 1`` finds how far inside it can go: an optimum of
  zero means no such table, so the likelihood keeps growing as some parameter runs off to infinity, and the
  estimate of the people on no list is not a finite number.
- *Identifiability*: the design restricted to the cells kept must have full column rank, or different
  parameters fit the data equally well.

On SparseMSE's ``Artificial_3`` table these give its published answers: any model with the AB interaction
has no finite estimate; the model with all three interactions is not identifiable; the others pass.
Pure computation; scipy is imported only when a check runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .design import CellTable, ModelDesign

__all__ = ["Check", "check_model"]

_INSIDE = 1e-7  # an optimum above this is strictly positive (the solver's feasibility tolerance is 1e-7)


@dataclass(frozen=True)
class Check:
    """What the two checks found: the linear programme's optimum, the design's rank and column count."""

    optimum: float
    rank: int
    columns: int

    @property
    def exists(self) -> bool:
        """The maximum-likelihood estimate exists (the optimum is strictly positive)."""
        return self.optimum > _INSIDE

    @property
    def identifiable(self) -> bool:
        """The design has full column rank on the cells kept."""
        return self.rank == self.columns

    @property
    def ok(self) -> bool:
        return self.exists and self.identifiable

    @property
    def problem(self) -> str | None:
        """Why the model cannot give an estimate, in plain words; None when it can."""
        if self.ok:
            return None
        reasons = []
        if not self.exists:
            reasons.append("its maximum-likelihood estimate does not exist (the overlaps seen let the estimate "
                           "grow without bound)")  # fmt: skip
        if not self.identifiable:
            reasons.append(f"it is not identifiable (its {self.columns} parameters are not all determined by the "
                           f"cells it is fitted on; rank {self.rank})")  # fmt: skip
        return " and ".join(reasons)


def check_model(table: CellTable, design: ModelDesign) -> Check:
    """Run both checks on ``design`` fitted to ``table``'s counts."""
    from scipy.optimize import linprog

    matrix = design.matrix
    counts = table.counts[design.cells]
    rank = int(np.linalg.matrix_rank(matrix))
    cells, columns = matrix.shape
    # Variables: the table x (one per cell kept) and s; minimise -s.
    objective = np.zeros(cells + 1)
    objective[-1] = -1.0
    equal = np.hstack([matrix.T, np.zeros((columns, 1))])
    below = np.hstack([-np.eye(cells), np.ones((cells, 1))])  # s - x_i <= 0
    bounds = [(0.0, None)] * cells + [(0.0, 1.0)]
    solved = linprog(objective, A_ub=below, b_ub=np.zeros(cells), A_eq=equal, b_eq=matrix.T @ counts,
                     bounds=bounds, method="highs")  # fmt: skip
    optimum = float(-solved.fun) if solved.status == 0 else 0.0
    return Check(optimum=optimum, rank=rank, columns=columns)
