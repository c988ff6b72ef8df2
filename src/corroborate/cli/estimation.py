"""`corroborate estimate`: how many people no list saw, from a capture-history file (issue 15).

A thin shell over ``corroborate.services.estimation``: the table (or JSON) of each method's estimate, its
interval and the plain-words warnings, whole and per stratum; for the log-linear method the models it
weighed, best first.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from corroborate.services import estimation

from .context import Format, FormatOpt, emit_json, handles_errors, out, table

__all__ = ["register"]

MethodChoice = StrEnum("MethodChoice", {m: m for m in [*estimation.METHODS, "all"]})  # type: ignore[misc]
IntervalChoice = StrEnum("IntervalChoice", {i: i for i in estimation.INTERVALS})  # type: ignore[misc]
_MODELS_SHOWN = 8


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


@handles_errors
def estimate(
    histories: Annotated[
        Path, typer.Argument(metavar="HISTORIES", help="capture histories: a CSV of 0/1 list columns and count")
    ],
    method: Annotated[
        MethodChoice, typer.Option("--method", help="estimation method, or all of those available")
    ] = MethodChoice.loglinear,  # type: ignore[attr-defined]
    strata: Annotated[
        str | None, typer.Option("--strata", metavar="COLUMN", help="also estimate per value of this column")
    ] = None,
    format: FormatOpt = Format.table,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            metavar="P",
            help="p-value below which the log-linear search adds an interaction (SparseMSE: 0.02; or 0.05)",
        ),  # fmt: skip
    ] = 0.02,
    interval: Annotated[
        IntervalChoice, typer.Option("--interval", help="the log-linear interval shown (all are in the JSON)")
    ] = IntervalChoice.profile,  # type: ignore[attr-defined]
    resamples: Annotated[
        int, typer.Option("--resamples", metavar="N", help="bootstrap resamples for the BCa interval (0: none)")
    ] = 999,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="seed of every random draw")] = 0,
    samples: Annotated[
        int | None, typer.Option("--samples", metavar="N", min=1, help="latent-class draws kept per chain (1,000)")
    ] = None,
    thin: Annotated[
        int | None, typer.Option("--thin", metavar="N", min=1, help="latent-class sweeps per draw kept (10)")
    ] = None,
) -> None:
    """Estimate how many people no list saw (multiple systems estimation), with intervals and warnings."""
    options = estimation.Options(threshold=threshold, seed=seed, resamples=resamples, interval=interval.value,
                                 samples=samples, thin=thin)  # fmt: skip
    report = estimation.estimate_file(histories, method=method.value, strata=strata, options=options)
    if format is Format.json:
        found = [e.to_json() for e in report.estimates]
        emit_json(found[0] if report.single else found)
        return
    _print(report)


def _print(report: estimation.EstimationReport) -> None:
    read = report.histories
    layout = "one row per person" if read.per_person else "counts"
    out.print(f"{read.path.name}: {read.observed:,} people seen on {len(read.lists)} lists "
              f"({', '.join(read.lists)}; {layout})", markup=False)  # fmt: skip
    shown = table("method", "stratum", "seen", "estimate", "lower", "upper", "interval", wrap=("interval",))
    for found in report.estimates:
        shown.add_row(found.method, "all" if found.stratum is None else found.stratum, f"{found.observed:,}",
                      _number(found.estimate), _number(found.lower), _number(found.upper), found.interval)  # fmt: skip
    out.print(shown)
    for found in report.estimates:
        where = found.method if found.stratum is None else f"{found.method}, stratum {found.stratum}"
        for warning in found.warnings:
            out.print(f"warning ({where}): {warning}", markup=False)
    for found in report.estimates:
        if found.method == "loglinear" and found.stratum is None and found.models:
            _print_models(found.models, found.details)


def _print_models(models: Any, details: dict[str, Any]) -> None:
    terms = details.get("terms") or []
    out.print(f"log-linear model chosen ({details.get('selection', 'stepwise')}): main effects"
              f"{' + ' + ', '.join(terms) if terms else ' only'}", markup=False)  # fmt: skip
    averaged = details.get("model_averaged")
    if averaged:
        out.print(f"model-averaged over {averaged['models']} models (Akaike weights): {_number(averaged['estimate'])} "
                  f"({_number(averaged['lower'])} to {_number(averaged['upper'])}, {averaged['interval']})",
                  markup=False)  # fmt: skip
    title = f"models considered, best {min(len(models), _MODELS_SHOWN)} of {len(models)} by AIC"
    shown = table(
        "interactions", "AIC", "weight", "estimate", "lower", "upper", "", wrap=("interactions",), title=title
    )
    for model in models[:_MODELS_SHOWN]:
        pairs = [t for t in model.terms if ":" in t]
        shown.add_row(", ".join(pairs) or "(main effects)", f"{model.aic:.2f}", f"{model.weight:.3f}",
                      _number(model.estimate), _number(model.lower), _number(model.upper),
                      "chosen" if model.details.get("selected") else "")  # fmt: skip
    out.print(shown)


def register(app: typer.Typer) -> None:
    """Add `estimate` to the main app."""
    app.command()(estimate)
