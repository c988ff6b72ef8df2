"""Poisson log-linear fits (issue 15): one model on one table with statsmodels, many tables at once with NumPy.

``glm_fit`` fits a model's design with statsmodels' GLM (Poisson family, log link), the reference fit whose
estimates, standard errors, log-likelihood and AIC the search and the log-normal interval use.
``newton_fits`` fits the same design to many count vectors at once (bootstrap resamples, jackknife deletions,
the profile likelihood's constrained fits) by Newton's method on stacked arrays: a statsmodels fit per
resample would cost a thousand times its setup. Both are checked against each other in the tests.
Pure computation; statsmodels is imported only when a fit runs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["GlmFit", "NewtonFits", "glm_fit", "newton_fits", "poisson_loglik"]

_Floats = NDArray[np.float64]
_MAX_STEP = 5.0  # a Newton step larger than this (on the log scale) is shortened to it: no overflow from afar
_TOLERANCE = 1e-9
_ITERATIONS = 100
_VANISHED = 1e-9  # a fitted mean below this has run off to zero
_LARGEST = 50.0  # a coefficient beyond this (a factor of e^50) has run off to infinity


@dataclass(frozen=True)
class GlmFit:
    """A model fitted by statsmodels: coefficients and standard errors (intercept first), fitted means of the
    cells fitted, log-likelihood, deviance and residual degrees of freedom, and whether IRLS converged."""

    params: _Floats
    bse: _Floats
    fitted: _Floats
    loglik: float
    deviance: float
    df_resid: int
    converged: bool


def glm_fit(matrix: _Floats, counts: _Floats) -> GlmFit:
    """Fit the Poisson log-linear model with design ``matrix`` to ``counts`` (one per row)."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # A fit near the edge of existence warns (perfect separation, overflow); the existence check, not the
        # warning, decides whether the fit is used, and its non-convergence is reported in plain words.
        warnings.simplefilter("ignore")
        result = GLM(counts, matrix, family=families.Poisson()).fit()
    return GlmFit(params=np.asarray(result.params, dtype=np.float64), bse=np.asarray(result.bse, dtype=np.float64),
                  fitted=np.asarray(result.fittedvalues, dtype=np.float64), loglik=float(result.llf),
                  deviance=float(result.deviance), df_resid=int(round(result.df_resid)),
                  converged=bool(result.converged))  # fmt: skip


def poisson_loglik(counts: _Floats, means: _Floats) -> _Floats:
    """Poisson log-likelihood of each row of ``counts`` under ``means`` (with the log(y!) term, as R and
    statsmodels write it); a cell with mean zero and count zero adds nothing."""
    from scipy.special import gammaln

    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(counts > 0, counts * np.log(means), 0.0) - means - gammaln(counts + 1.0)
    return np.asarray(terms.sum(axis=-1), dtype=np.float64)


@dataclass(frozen=True)
class NewtonFits:
    """Fits of one design to many count vectors: coefficients (one row each), fitted means, log-likelihoods,
    and which fits converged (a fit whose estimate does not exist runs off: some fitted mean vanishes or some
    coefficient grows without bound; it is not counted as converged)."""

    params: _Floats
    fitted: _Floats
    loglik: _Floats
    converged: NDArray[np.bool_]


def newton_fits(matrix: _Floats, counts: _Floats, *, start: _Floats, offset: _Floats | None = None) -> NewtonFits:
    """Maximise each row of ``counts``'s Poisson likelihood under ``matrix`` (plus a fixed ``offset`` on the log
    scale) by Newton's method, every row at once, from the coefficients ``start``."""
    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    rows = counts.shape[0]
    beta = np.tile(np.asarray(start, dtype=np.float64), (rows, 1))
    shift = np.zeros(matrix.shape[0]) if offset is None else np.asarray(offset, dtype=np.float64)
    done = np.zeros(rows, dtype=bool)
    settled = np.zeros(rows, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(_ITERATIONS):
            live = ~done
            if not live.any():
                break
            means = np.exp(beta[live] @ matrix.T + shift)
            gradient = (counts[live] - means) @ matrix
            hessian = (matrix.T[None, :, :] * means[:, None, :]) @ matrix
            try:
                step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                step = np.stack([_solve_or_nan(h, g) for h, g in zip(hessian, gradient, strict=True)])
            largest = np.abs(step).max(axis=1, initial=0.0)
            step *= np.minimum(1.0, _MAX_STEP / np.where(largest > 0, largest, 1.0))[:, None]
            beta[live] += step
            small = np.isfinite(largest) & (largest < _TOLERANCE * (1.0 + np.abs(beta[live]).max(axis=1)))
            settled[np.flatnonzero(live)[small]] = True
            done[np.flatnonzero(live)[small | ~np.isfinite(largest)]] = True
        means = np.exp(beta @ matrix.T + shift)
        gradient = np.abs((counts - means) @ matrix).max(axis=1, initial=0.0)
    # Where the MLE does not exist, Newton's steps follow a direction in which some fitted means fall to zero
    # until they are too small to move the sums, and then stop as if settled: such a fit ran off.
    ran_off = (means.min(axis=1, initial=np.inf) < _VANISHED) | (np.abs(beta).max(axis=1, initial=0.0) > _LARGEST)
    converged = settled & ~ran_off & np.isfinite(means).all(axis=1) & (gradient < 1e-6 * (1.0 + counts.sum(axis=1)))
    return NewtonFits(params=beta, fitted=means, loglik=poisson_loglik(counts, means), converged=converged)


def _solve_or_nan(hessian: _Floats, gradient: _Floats) -> _Floats:
    try:
        return np.asarray(np.linalg.solve(hessian, gradient), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.full_like(gradient, np.nan)
