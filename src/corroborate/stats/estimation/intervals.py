"""Intervals for a log-linear model's population estimate (issue 15): log-normal, profile likelihood, BCa.

All three are conditional on the model chosen: none accounts for the search that chose it.

- *Log-normal* (SparseMSE's ``estimatepopulation.0``): the intercept is the log of the expected number of
  people on no list; ``observed + exp(intercept +/- z * se)``.
- *Profile likelihood* (the classic choice, e.g. Rcapture, Cormack 1992): the values of the intercept whose
  profile log-likelihood lies within half the chi-square quantile of its maximum; the other parameters are
  refitted at each value. Missing (None) on a side where the likelihood never falls that far.
- *Parametric bootstrap, BCa* (Efron 1987; SparseMSE's ``estimatepopulation``): cell counts are redrawn from
  the fitted Poisson means, the same model is refitted to each resample, and the bias-corrected and
  accelerated percentiles of the resampled estimates are taken; the acceleration comes from the jackknife
  that deletes one person at a time (one fit per non-empty cell, weighted by its count). A resample whose
  estimate does not exist (its fit runs off) is left out and counted. Seeded.

Pure computation; scipy is imported only when an interval is computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .design import CellTable, ModelDesign, model_design
from .poisson import newton_fits

__all__ = ["Bootstrap", "bootstrap_interval", "lognormal_interval", "profile_interval"]

_Floats = NDArray[np.float64]
_WIDEST = 40.0  # the profile is followed at most this many standard errors from the estimate, on the log scale


def _quantile(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2.0))


def lognormal_interval(
    observed: int, intercept: float, se: float, *, level: float = 0.95
) -> tuple[float | None, float | None]:
    """``observed + exp(intercept -/+ z se)``; None for an end too large to be a number."""
    z = _quantile(level)
    with np.errstate(over="ignore"):
        ends = [observed + float(np.exp(intercept + side * z * se)) for side in (-1.0, 1.0)]
    return _finite(ends[0]), _finite(ends[1])


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


def profile_interval(
    table: CellTable, design: ModelDesign, params: _Floats, se: float, *, level: float = 0.95
) -> tuple[float | None, float | None]:
    """The profile-likelihood interval of the population, from the fitted coefficients ``params``."""
    from scipy.optimize import brentq
    from scipy.stats import chi2

    counts = table.counts[design.cells]
    rest = design.matrix[:, 1:]
    best = float(newton_fits(design.matrix, counts, start=params).loglik[0])
    drop = float(chi2.ppf(level, 1)) / 2.0
    warm = {"start": np.asarray(params[1:], dtype=np.float64)}

    def excess(intercept: float) -> float:
        fitted = newton_fits(rest, counts, start=warm["start"], offset=np.full(len(counts), intercept))
        if not fitted.converged[0]:
            return float("nan")
        warm["start"] = fitted.params[0]
        return best - float(fitted.loglik[0]) - drop

    def end(direction: float) -> float | None:
        warm["start"] = np.asarray(params[1:], dtype=np.float64)
        inner, step = float(params[0]), max(se, 1e-3)
        while abs(inner - params[0]) < _WIDEST * max(se, 1e-3):
            outer = inner + direction * step
            value = excess(outer)
            if not np.isfinite(value):
                return None
            if value > 0:
                root = brentq(excess, min(inner, outer), max(inner, outer), xtol=1e-10)
                return table.observed + float(np.exp(root))
            inner, step = outer, step * 1.5
        return None

    return end(-1.0), end(+1.0)


@dataclass(frozen=True)
class Bootstrap:
    """A bootstrap's interval (None where it cannot be had) and how many resamples were used and left out."""

    lower: float | None
    upper: float | None
    used: int
    failed: int
    seed: int


def _fit_all(table: CellTable, pairs: tuple[tuple[int, int], ...], counts: _Floats, start: dict[tuple[int, int],
             float]) -> tuple[_Floats, NDArray[np.bool_]]:  # fmt: skip
    """Estimate of the population for each row of ``counts`` under the model ``pairs``: rows are grouped by
    which of the model's pairs they leave empty (those interactions are then minus infinity, as in the fit)."""
    estimates = np.full(len(counts), np.nan)
    converged = np.zeros(len(counts), dtype=bool)
    signatures = np.stack([counts[:, table.on_both(pair)].sum(axis=1) == 0 for pair in pairs], axis=1) \
        if pairs else np.zeros((len(counts), 0), dtype=bool)  # fmt: skip
    for signature in np.unique(signatures, axis=0):
        rows = np.flatnonzero((signatures == signature).all(axis=1))
        design = model_design(table.with_counts(counts[rows[0]]), pairs)
        guess = np.array([start.get(column, 0.0) for column in _columns(len(table.lists), design)])
        fitted = newton_fits(design.matrix, counts[rows][:, design.cells], start=guess)
        estimates[rows] = counts[rows].sum(axis=1) + np.exp(fitted.params[:, 0])
        converged[rows] = fitted.converged
    return estimates, converged


def _columns(width: int, design: ModelDesign) -> list[tuple[int, int]]:
    """Keys of a design's columns: (-1, -1) the intercept, (j, j) list j's main effect, (a, b) a pair."""
    return [(-1, -1), *((j, j) for j in range(width)), *design.fitted]


def bootstrap_interval(
    table: CellTable, design: ModelDesign, params: _Floats, *, resamples: int, seed: int, level: float = 0.95
) -> Bootstrap:
    """The parametric bootstrap's BCa interval of the population under the model ``design`` fitted as ``params``."""
    from scipy.stats import norm

    width = len(table.lists)
    start = dict(zip(_columns(width, design), (float(v) for v in params), strict=True))
    means = np.zeros(len(table.counts))
    means[design.cells] = np.exp(design.matrix @ params)
    estimate = table.observed + float(np.exp(params[0]))
    rng = np.random.default_rng(seed)
    drawn = rng.poisson(means, size=(resamples, len(means))).astype(np.float64)
    values, converged = _fit_all(table, design.pairs, drawn, start)
    values = values[converged]
    failed = resamples - len(values)
    if len(values) < 20:
        return Bootstrap(None, None, len(values), failed, seed)
    share = (np.sum(values < estimate) + 0.5 * np.sum(values == estimate)) / len(values)
    if not 0.0 < share < 1.0:
        return Bootstrap(None, None, len(values), failed, seed)
    bias = float(norm.ppf(share))
    acceleration = _acceleration(table, design, start)
    z = _quantile(level)
    ends = []
    for zq in (-z, z):
        shifted = bias + (bias + zq) / (1.0 - acceleration * (bias + zq))
        ends.append(float(np.quantile(values, float(norm.cdf(shifted)))))
    return Bootstrap(ends[0], ends[1], len(values), failed, seed)


def _acceleration(table: CellTable, design: ModelDesign, start: dict[tuple[int, int], float]) -> float:
    """BCa's acceleration from the jackknife deleting one person at a time (one fit per non-empty cell)."""
    occupied = np.flatnonzero(table.counts > 0)
    deleted = np.tile(table.counts, (len(occupied), 1))
    deleted[np.arange(len(occupied)), occupied] -= 1.0
    values, converged = _fit_all(table, design.pairs, deleted, start)
    weights = table.counts[occupied][converged]
    values = values[converged]
    if weights.sum() == 0:
        return 0.0
    centre = float(np.sum(weights * values) / weights.sum())
    spread = float(np.sum(weights * (centre - values) ** 2))
    if spread <= 0.0:
        return 0.0
    return float(np.sum(weights * (centre - values) ** 3) / (6.0 * spread**1.5))
