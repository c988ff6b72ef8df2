"""What every estimation method returns (issue 15): one shape, so the CLI, the JSON and the charts treat the
log-linear, latent-class and graphical-model estimates alike.

``Estimate.to_json`` is the object `corroborate estimate --format json` prints for one method: at least
``method``, ``observed``, ``estimate``, ``lower``, ``upper``, ``interval`` (its kind and level, e.g.
"95% profile likelihood"), ``models`` (each with ``terms``, ``aic``, ``estimate``, ``lower``, ``upper``) and
``warnings`` (plain words). An estimate may be None when the data cannot support one; a warning then says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Estimate", "ModelFit"]


@dataclass(frozen=True)
class ModelFit:
    """One model a method fitted or weighed: its terms (list names and interactions such as ``"A:B"``), its AIC
    (None for a Bayesian model), its estimate of the population and the interval, and, for model averaging, its
    weight. ``details`` holds what else a method reports of the model (deviance, df, p-value of the term added)."""

    terms: tuple[str, ...]
    estimate: float | None
    lower: float | None = None
    upper: float | None = None
    aic: float | None = None
    weight: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"terms": list(self.terms), "aic": self.aic, "estimate": self.estimate, "lower": self.lower,
                "upper": self.upper, "weight": self.weight, **self.details}  # fmt: skip


@dataclass(frozen=True)
class Estimate:
    """A method's estimate of the whole population (people seen on at least one list plus those on none).

    ``interval`` names the interval's kind and level ("95% log-normal", "95% profile likelihood", "95%
    credible"); ``stratum`` is None for the whole table, else the stratum's value. ``details`` holds what the
    method reports besides (a sampler's R-hat and effective sample size, its seed; the selected model)."""

    method: str
    observed: int
    estimate: float | None
    lower: float | None
    upper: float | None
    interval: str
    models: tuple[ModelFit, ...] = ()
    warnings: tuple[str, ...] = ()
    stratum: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "method": self.method, "observed": self.observed, "estimate": self.estimate, "lower": self.lower,
            "upper": self.upper, "interval": self.interval, "models": [m.to_json() for m in self.models],
            "warnings": list(self.warnings),
        }  # fmt: skip
        if self.stratum is not None:
            found["stratum"] = self.stratum
        return {**found, **self.details}
