"""How many people did no list see? Estimate it from a capture-history file (issue 15).

``estimate_file`` reads the file (``ingest.histories``), runs each method asked for on the whole table and,
with a stratum column, on each stratum, and returns their ``Estimate``s. The methods are one table,
``METHODS``: a name and a function from the histories and the ``Options`` to an ``Estimate``; adding a method
is adding an entry. Each method's module is imported when it runs, so `corroborate` starts without NumPy,
SciPy or statsmodels. A method whose module is not there (yet) is not offered by ``available_methods``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from corroborate.errors import UserError
from corroborate.ingest.histories import HistoriesFile, read_capture_histories
from corroborate.stats.estimation import Estimate
from corroborate.stats.linkage.population import CaptureHistories

__all__ = [
    "INTERVALS",
    "METHODS",
    "SPARSE_STRATUM",
    "EstimationReport",
    "Method",
    "Options",
    "available_methods",
    "estimate_file",
    "estimate_histories",
]

INTERVALS = ("profile", "lognormal", "bootstrap")  # the log-linear intervals (stats.estimation.loglinear.INTERVALS)
SPARSE_STRATUM = 50  # a stratum with fewer people seen than this is flagged as too sparse


@dataclass(frozen=True)
class Options:
    """What the methods are run with: the log-linear search's p-value threshold, its interval and bootstrap
    resamples, the seed every random draw starts from, and the latent-class sampler's kept draws per chain and
    sweeps between them (None: the sampler's defaults)."""

    threshold: float = 0.02
    seed: int = 0
    resamples: int = 999
    interval: str = "profile"
    samples: int | None = None
    thin: int | None = None


@dataclass(frozen=True)
class Method:
    """An estimation method: the module that holds it (checked for, not imported, until it runs) and how to
    run it."""

    module: str
    run: Callable[[CaptureHistories, Options], Estimate]


def _loglinear(histories: CaptureHistories, options: Options) -> Estimate:
    from corroborate.stats.estimation.loglinear import loglinear

    return loglinear(histories, threshold=options.threshold, interval=options.interval,
                     resamples=options.resamples, seed=options.seed)  # fmt: skip


def _lcmcr(histories: CaptureHistories, options: Options) -> Estimate:
    from corroborate.stats.estimation.lcmcr import lcmcr

    longer = {name: value for name, value in (("samples", options.samples), ("thin", options.thin)) if value}
    return lcmcr(histories, seed=options.seed, **longer)


def _dga(histories: CaptureHistories, options: Options) -> Estimate:
    module = importlib.import_module("corroborate.stats.estimation.dga")
    found: Estimate = module.dga(histories, seed=options.seed)
    return found


METHODS: dict[str, Method] = {
    "loglinear": Method("corroborate.stats.estimation.loglinear", _loglinear),
    "lcmcr": Method("corroborate.stats.estimation.lcmcr", _lcmcr),
    "dga": Method("corroborate.stats.estimation.dga", _dga),
}


def available_methods() -> list[str]:
    """The methods whose module is installed, in ``METHODS`` order."""
    return [name for name, method in METHODS.items() if importlib.util.find_spec(method.module) is not None]


@dataclass(frozen=True)
class EstimationReport:
    """What `corroborate estimate` shows: the file as read and, per method, the whole table's estimate
    followed by each stratum's (``Estimate.stratum`` set). ``single``: one method asked for on the whole table
    only, shown as one object; otherwise (``all`` methods, or strata) as a list."""

    histories: HistoriesFile
    estimates: tuple[Estimate, ...]
    single: bool


def _chosen(method: str) -> list[str]:
    offered = available_methods()
    if method == "all":
        return offered
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose one of {', '.join([*METHODS, 'all'])}")
    if method not in offered:
        raise UserError(f"the {method} method is not available in this version of Corroborate; "
                        f"available: {', '.join(offered)}")  # fmt: skip
    return [method]


def _check(options: Options) -> None:
    if not 0.0 < options.threshold < 1.0:
        raise UserError("--threshold must lie between 0 and 1 (SparseMSE uses 0.02; 0.05 is the other usual one)")
    if options.resamples < 0:
        raise UserError("--resamples cannot be negative (0: no bootstrap)")
    if options.interval == "bootstrap" and options.resamples == 0:
        raise UserError("a bootstrap interval needs --resamples above 0")


def estimate_histories(
    total: CaptureHistories,
    *,
    methods: Sequence[str],
    options: Options,
    strata: dict[str, CaptureHistories] | None = None,
) -> tuple[Estimate, ...]:
    """Run ``methods`` on ``total`` and on each stratum; a stratum with few people is flagged as too sparse,
    and the whole table's estimate notes the sum of the strata's when every stratum has one."""
    found: list[Estimate] = []
    for name in methods:
        run = METHODS[name].run
        whole = run(total, options)
        parts = [_stratum(run(table, options), value) for value, table in (strata or {}).items()]
        if parts:
            values = [part.estimate for part in parts]
            summed = sum(v for v in values if v is not None) if None not in values else None
            whole = replace(whole, details={**whole.details, "strata": len(parts), "sum_of_strata": summed})
        found += [whole, *parts]
    return tuple(found)


def _stratum(estimate: Estimate, value: str) -> Estimate:
    warnings = list(estimate.warnings)
    if estimate.observed < SPARSE_STRATUM:
        warnings.insert(0, f"Stratum {value} is too sparse for a trustworthy estimate: only {estimate.observed} "
                           f"people were seen in it (fewer than {SPARSE_STRATUM}).")  # fmt: skip
    return replace(estimate, stratum=value, warnings=tuple(warnings))


def estimate_file(
    path: str | Path,
    *,
    method: str = "loglinear",
    strata: str | None = None,
    options: Options | None = None,
) -> EstimationReport:
    """Read the capture histories at ``path`` and estimate the population with ``method`` (or ``"all"``)."""
    options = options or Options()
    _check(options)
    methods = _chosen(method)
    histories = read_capture_histories(path, strata=strata)
    by_stratum = {value: CaptureHistories(histories.lists, rows) for value, rows in histories.strata.items()}
    try:
        estimates = estimate_histories(CaptureHistories(histories.lists, histories.rows), methods=methods,
                                       options=options, strata=by_stratum if strata is not None else None)  # fmt: skip
    except ValueError as exc:  # a method refusing its arguments: the user's to fix
        raise UserError(str(exc)) from None
    return EstimationReport(histories, estimates, single=method != "all" and strata is None)
