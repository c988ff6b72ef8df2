"""Log-linear multiple systems estimation (issue 15): Poisson models on the 2^J - 1 observable cells.

A model has an intercept, one main effect per list and some two-way interactions (``design``); it is fitted
with statsmodels (``poisson.glm_fit``) and estimates the population as ``observed + exp(intercept)``. Models
whose estimate does not exist or is not identifiable (``existence``) are never fitted or reported as estimates.

The model is chosen as SparseMSE's ``stepwisefit`` chooses it (Chan, Silverman & Vincent 2019): from the
main-effects model, at each step every interaction not yet in is given a p-value, that of the number of
people on both its lists under the current model (a Poisson count with the fitted mean; the one-sided tail on
the side the count falls, so a pair seen together less often than expected counts as much as one seen more
often); candidates whose model fails a check are passed over; the smallest p-value is added while it is below
``threshold`` (0.02, or 0.05). On the UK 2013 tables this reproduces SparseMSE 2.0.1's figures.

Besides the chosen model, every model the search considered (the main-effects model and, at each step, the
current model plus each one interaction that passes both checks) is reported with its AIC and BIC (SparseMSE's
count of parameters: interactions of empty overlaps count), and a model-averaged estimate over them with
Akaike weights (Buckland, Burnham & Augustin 1997: weighted mean of the estimates; interval from the weighted
log-scale standard errors widened by the spread between models). Intervals: ``intervals``. Pure computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from corroborate.stats.linkage.population import CaptureHistories

from .cautions import overlap_warnings, size_warnings
from .design import CellTable, ModelDesign, Pair, cell_table, model_design, pair_terms
from .existence import Check, check_model
from .intervals import bootstrap_interval, lognormal_interval, profile_interval
from .poisson import GlmFit, glm_fit
from .results import Estimate, ModelFit

__all__ = ["INTERVALS", "THRESHOLDS", "FittedModel", "Search", "fit_model", "loglinear", "stepwise"]

INTERVALS = {"profile": "profile likelihood", "lognormal": "log-normal", "bootstrap": "bootstrap BCa"}
THRESHOLDS = (0.02, 0.05)
_LEFT_OUT = 0.05  # a larger share of bootstrap resamples without an estimate is worth a warning
_LARGEST_LOG = 200.0  # an intercept above this (e^200 people unseen) is no estimate: its exponential overflows soon


@dataclass(frozen=True)
class FittedModel:
    """One model: its interactions, its design, the two checks, and the fit (None when a check failed)."""

    pairs: tuple[Pair, ...]
    design: ModelDesign
    check: Check
    fit: GlmFit | None
    observed: int

    @property
    def problem(self) -> str | None:
        """Why this model gives no estimate, in plain words; None when it gives one."""
        if self.check.problem is not None:
            return self.check.problem
        if self.fit is None or not self.fit.converged:
            return "its fit did not converge"
        if not np.all(np.isfinite(self.fit.bse)) or self.fit.params[0] > _LARGEST_LOG:
            return "its estimate is too large or too uncertain to be a number"
        return None

    @property
    def usable(self) -> bool:
        return self.problem is None

    def _fitted(self) -> GlmFit:
        if self.fit is None:
            raise ValueError("this model was not fitted")
        return self.fit

    @property
    def intercept(self) -> float:
        return float(self._fitted().params[0])

    @property
    def se(self) -> float:
        return float(self._fitted().bse[0])

    @property
    def estimate(self) -> float:
        return self.observed + float(np.exp(self.intercept))

    @property
    def aic(self) -> float:
        return -2.0 * self._fitted().loglik + 2.0 * self.design.parameters

    @property
    def bic(self) -> float:
        return -2.0 * self._fitted().loglik + float(np.log(max(self.observed, 1))) * self.design.parameters

    def means(self, cells: int) -> np.ndarray:
        """Fitted means of all the table's cells (zero where an empty overlap fixes them)."""
        found = np.zeros(cells)
        found[self.design.cells] = self._fitted().fitted
        return found


def fit_model(table: CellTable, pairs: tuple[Pair, ...] = ()) -> FittedModel:
    """Check the model with main effects and the interactions ``pairs``; fit it if both checks pass."""
    design = model_design(table, pairs)
    check = check_model(table, design)
    fit = glm_fit(design.matrix, table.counts[design.cells]) if check.ok else None
    return FittedModel(design.pairs, design, check, fit, table.observed)


@dataclass(frozen=True)
class Step:
    """One interaction the search added: its p-value, and the people on both lists seen and expected."""

    pair: Pair
    p_value: float
    seen: int
    expected: float


@dataclass(frozen=True)
class Search:
    """What the stepwise search did: the model it chose, its steps, every model it considered (usable ones),
    and the interactions below the threshold it passed over because their model failed a check."""

    selected: FittedModel
    steps: tuple[Step, ...]
    considered: tuple[FittedModel, ...]
    passed_over: tuple[tuple[Pair, float, str], ...]


def _p_value(seen: int, expected: float) -> float:
    """The one-sided Poisson p-value of ``seen`` on the side it falls of ``expected``."""
    from scipy.stats import poisson

    if expected <= 0.0:
        return 1.0
    lower, upper = float(poisson.cdf(seen, expected)), float(poisson.sf(seen - 1, expected))
    return min(lower, upper, 1.0)


def stepwise(table: CellTable, *, threshold: float = 0.02) -> Search:
    """SparseMSE's stepwise search from the main-effects model (which must be usable)."""
    current = fit_model(table)
    if not current.usable:
        raise ValueError(f"the main-effects model gives no estimate: {current.problem}")
    considered: dict[tuple[Pair, ...], FittedModel] = {(): current}
    steps: list[Step] = []
    passed_over: list[tuple[Pair, float, str]] = []
    while True:
        means = current.means(len(table.counts))
        scored = []
        for pair in table.pairs:
            if pair in current.pairs:
                continue
            seen, expected = table.overlap(pair), float(means[table.on_both(pair)].sum())
            scored.append((_p_value(seen, expected), pair, seen, expected))
        chosen = None
        for p_value, pair, seen, expected in sorted(scored, key=lambda s: s[0]):  # stable: ties keep pair order
            pairs = tuple(sorted((*current.pairs, pair)))
            model = considered.get(pairs) or fit_model(table, pairs)
            if model.usable:
                considered[pairs] = model
                if chosen is None and p_value < threshold:
                    chosen = (model, Step(pair, p_value, seen, expected))
            elif p_value < threshold and chosen is None:
                passed_over.append((pair, p_value, model.problem or ""))
        if chosen is None:
            break
        current = chosen[0]
        steps.append(chosen[1])
    return Search(current, tuple(steps), tuple(considered.values()), tuple(passed_over))


def _weights(models: tuple[FittedModel, ...]) -> np.ndarray:
    aics = np.array([m.aic for m in models])
    raw = np.exp(-(aics - aics.min()) / 2.0)
    return np.asarray(raw / raw.sum(), dtype=np.float64)


def _averaged(models: tuple[FittedModel, ...], observed: int, level: float) -> dict[str, Any]:
    """The model-averaged estimate with Akaike weights, and its interval (Buckland et al. 1997, log scale)."""
    from scipy.stats import norm

    weights = _weights(models)
    intercepts = np.array([m.intercept for m in models])
    errors = np.array([m.se for m in models])
    centre = float(np.sum(weights * intercepts))
    spread = float(np.sum(weights * np.sqrt(errors**2 + (intercepts - centre) ** 2)))
    z = float(norm.ppf(0.5 + level / 2.0))
    lower, upper = (observed + float(np.exp(centre + side * z * spread)) for side in (-1.0, 1.0))
    return {"estimate": float(np.sum(weights * np.array([m.estimate for m in models]))), "lower": lower,
            "upper": upper, "interval": f"{level:.0%} log-normal, unconditional over models",
            "models": len(models)}  # fmt: skip


def _model_fits(search: Search, lists: tuple[str, ...], level: float) -> tuple[ModelFit, ...]:
    weights = dict(zip((m.pairs for m in search.considered), _weights(search.considered), strict=True))
    path = {_prefix(search, k + 1): (k + 1, step.p_value) for k, step in enumerate(search.steps)}
    found = []
    for model in sorted(search.considered, key=lambda m: m.aic):
        lower, upper = lognormal_interval(model.observed, model.intercept, model.se, level=level)
        fit = model._fitted()
        details: dict[str, Any] = {"bic": model.bic, "deviance": fit.deviance, "df": fit.df_resid,
                                   "interval": f"{level:.0%} log-normal",
                                   "selected": model is search.selected}  # fmt: skip
        if model.design.empty:
            details["empty_overlaps"] = list(pair_terms(lists, model.design.empty))
        if model.pairs in path:  # on the search's path: the step that added its last interaction
            details["step"], details["p_value"] = path[model.pairs]
        found.append(ModelFit(terms=(*lists, *pair_terms(lists, model.pairs)), estimate=model.estimate,
                              lower=lower, upper=upper, aic=model.aic, weight=float(weights[model.pairs]),
                              details=details))  # fmt: skip
    return tuple(found)


def _prefix(search: Search, steps: int) -> tuple[Pair, ...]:
    return tuple(sorted(step.pair for step in search.steps[:steps]))


def loglinear(
    histories: CaptureHistories,
    *,
    threshold: float = 0.02,
    interval: str = "profile",
    resamples: int = 999,
    seed: int = 0,
    level: float = 0.95,
) -> Estimate:
    """The stepwise log-linear estimate of the population, with its ``interval`` ("profile", "lognormal" or
    "bootstrap"; all three are in ``details["intervals"]``), the models considered and plain-words warnings.
    ``resamples`` bootstrap resamples (0: no bootstrap), drawn from ``seed``."""
    if interval not in INTERVALS or (interval == "bootstrap" and resamples < 1):
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)} (bootstrap needs resamples)")
    if not 0.0 < threshold < 1.0 or not 0.0 < level < 1.0 or resamples < 0:
        raise ValueError("threshold and level must lie between 0 and 1, resamples must not be negative")
    table = cell_table(histories)
    kind = f"{level:.0%} {INTERVALS[interval]}"
    warnings = overlap_warnings(histories)
    settings: dict[str, Any] = {"selection": f"stepwise, p < {threshold:g}", "threshold": threshold}
    main = fit_model(table) if table.observed > 0 else None
    if main is None or not main.usable:
        why = "there is no one in the table" if main is None else main.problem
        warnings.append(f"No log-linear model can be fitted: even the main-effects model, the simplest, gives no "
                        f"estimate ({why}).")  # fmt: skip
        return Estimate(method="loglinear", observed=table.observed, estimate=None, lower=None, upper=None,
                        interval=kind, warnings=tuple(warnings), details=settings)  # fmt: skip
    search = stepwise(table, threshold=threshold)
    chosen = search.selected
    ends = _intervals(table, chosen, resamples=resamples, seed=seed, level=level)
    lower, upper = ends[INTERVALS[interval]]
    warnings += _search_warnings(search, histories.lists)
    warnings += _interval_warnings(ends, INTERVALS[interval], resamples)
    warnings += size_warnings(table.observed, chosen.estimate, upper)
    details = {**settings, "terms": list(pair_terms(histories.lists, chosen.pairs)),
               "steps": [{"term": pair_terms(histories.lists, [s.pair])[0], "p_value": s.p_value, "seen": s.seen,
                          "expected": round(s.expected, 4)} for s in search.steps],
               "passed_over": [{"term": pair_terms(histories.lists, [pair])[0], "p_value": p, "reason": reason}
                               for pair, p, reason in search.passed_over],
               "intervals": {k: list(v) for k, v in ends.items() if k != "bootstrap"},
               "model_averaged": _averaged(search.considered, table.observed, level)}  # fmt: skip
    if "bootstrap" in ends:
        details["bootstrap"] = dict(zip(("resamples", "used", "left_out", "seed"), ends["bootstrap"], strict=True))
    return Estimate(method="loglinear", observed=table.observed, estimate=chosen.estimate, lower=lower, upper=upper,
                    interval=kind, models=_model_fits(search, histories.lists, level), warnings=tuple(warnings),
                    details=details)  # fmt: skip


def _intervals(table: CellTable, model: FittedModel, *, resamples: int, seed: int, level: float) -> dict[str, Any]:
    fit = model._fitted()
    ends: dict[str, Any] = {
        "log-normal": lognormal_interval(model.observed, model.intercept, model.se, level=level),
        "profile likelihood": profile_interval(table, model.design, fit.params, model.se, level=level),
    }
    if resamples:
        boot = bootstrap_interval(table, model.design, fit.params, resamples=resamples, seed=seed, level=level)
        ends["bootstrap BCa"] = (boot.lower, boot.upper)
        ends["bootstrap"] = (resamples, boot.used, boot.failed, seed)
    return ends


def _search_warnings(search: Search, lists: tuple[str, ...]) -> list[str]:
    if not search.passed_over:
        return []
    terms = sorted({pair_terms(lists, [pair])[0] for pair, _, _ in search.passed_over})
    what, them = ("these interactions", "them") if len(terms) > 1 else ("this interaction", "it")
    return [f"The search passed over {', '.join(terms)}: the data point to {what}, but a model with {them} has "
            "no finite, identifiable estimate. Where those lists depend on each other, the estimate may be "
            "biased."]  # fmt: skip


def _interval_warnings(ends: dict[str, Any], shown: str, resamples: int) -> list[str]:
    found = []
    lower, upper = ends[shown]
    if lower is None or upper is None:
        side = "either side" if lower is None and upper is None else ("below" if lower is None else "above")
        found.append(f"The {shown} interval has no end {side}: the data do not bound the estimate there.")
    if "bootstrap" in ends:
        _, used, failed, _ = ends["bootstrap"]
        if failed > _LEFT_OUT * resamples:
            found.append(f"{failed} of {resamples} bootstrap resamples had no finite estimate and were left out; "
                         "the bootstrap interval may be too narrow.")  # fmt: skip
    return found
