"""Why a pair of records scored what it did: the terms of Splink's waterfall chart.

A pair's match weight is the prior match weight (log2 of the odds that two records drawn at random are one
person) plus, for each comparison (name, birth, origin, sex), the match weight log2(m/u) of the level the
pair fell in. ``ModelWeights`` holds the trained model's levels and weights, and Splink's own charts of it;
a pair's levels are Splink's comparison vector values (its ``gamma_`` columns): -1 when a side has no
value (weight 0), then from the best level down to 0 for "all other comparisons". The model has no
term-frequency adjustments; were one added, its terms would have to be added here too.

Holds labels, weights and record ids only: never a name, a birth year or a place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = ["Level", "ModelWeights", "describe_model", "explanations_csv", "model_from_chart_records"]

_PRIOR = "probability_two_random_records_match"  # Splink's name for the prior in its chart records


@dataclass(frozen=True)
class Level:
    """One level of one comparison: Splink's comparison vector value, its label and match weight, and its
    m and u probabilities (None for a side without a value)."""

    comparison: str
    value: int
    label: str
    weight: float
    m: float | None = None
    u: float | None = None


@dataclass(frozen=True)
class ModelWeights:
    """A trained linkage model: the prior match weight, the comparisons in order, every level, and Splink's
    own charts of the model (title to Vega-Lite specification)."""

    prior: float
    comparisons: tuple[str, ...]
    levels: tuple[Level, ...]
    charts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @cached_property
    def _by_value(self) -> dict[tuple[str, int], Level]:
        return {(level.comparison, level.value): level for level in self.levels}

    def level(self, comparison: str, value: int) -> Level:
        """The level ``value`` of ``comparison``; -1 (a side without a value) weighs nothing."""
        found = self._by_value.get((comparison, value))
        if found is not None:
            return found
        if value == -1:
            return Level(comparison, -1, f"{comparison} unknown on one side", 0.0)
        raise KeyError(f"comparison {comparison!r} has no level {value}")

    def explain(self, values: Sequence[int]) -> tuple[Level, ...]:
        """The level of each comparison, for a pair whose comparison vector is ``values``."""
        if len(values) != len(self.comparisons):
            raise ValueError(f"{len(self.comparisons)} comparison values needed, not {len(values)}")
        return tuple(self.level(name, value) for name, value in zip(self.comparisons, values, strict=True))

    def weight(self, values: Sequence[int]) -> float:
        """A pair's match weight: the prior plus the weight of each of its levels."""
        return self.prior + sum(level.weight for level in self.explain(values))


def model_from_chart_records(records: Iterable[Mapping[str, Any]]) -> ModelWeights:
    """The model from the records of Splink's match weights chart (its data values): the prior's record,
    then one record per level of each comparison, in order."""
    prior: float | None = None
    comparisons: list[str] = []
    levels: list[Level] = []
    for record in records:
        name = str(record["comparison_name"])
        if name == _PRIOR:
            prior = float(record["log2_bayes_factor"])
            continue
        if name not in comparisons:
            comparisons.append(name)
        m, u = record.get("m_probability"), record.get("u_probability")
        levels.append(Level(name, int(record["comparison_vector_value"]), str(record["label_for_charts"]),
                            float(record["log2_bayes_factor"]), None if m is None else float(m),
                            None if u is None else float(u)))  # fmt: skip
    if prior is None:
        raise ValueError("the chart records hold no prior")
    return ModelWeights(prior, tuple(comparisons), tuple(levels))


def describe_model(linker: Any) -> ModelWeights:
    """The trained model of a Splink ``linker``, with its match weights and m and u parameters charts."""
    visualisations = linker.visualisations
    weights = visualisations.match_weights_chart().chart_dict
    m_u = visualisations.m_u_parameters_chart().chart_dict
    model = model_from_chart_records(weights["data"]["values"])
    charts = {"Match weights of each comparison level": weights, "m and u probabilities of each level": m_u}
    return ModelWeights(model.prior, model.comparisons, model.levels, charts)


def explanations_csv(
    model: ModelWeights,
    pairs: Sequence[tuple[tuple[str, str], tuple[str, str], float, float]],
    levels: Sequence[Sequence[int]],
) -> str:
    """One row per pair: its records (list, id), match probability and weight, the prior, then each
    comparison's level label and weight. The prior and the weights add up to the match weight."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = [column for name in model.comparisons for column in (name, f"{name}_weight")]
    writer.writerow(["list_l", "record_id_l", "list_r", "record_id_r", "match_probability", "match_weight",
                     "prior_weight", *columns])  # fmt: skip
    for (left, right, probability, weight), values in zip(pairs, levels, strict=True):
        terms = [cell for level in model.explain(values) for cell in (level.label, f"{level.weight:.4f}")]
        writer.writerow([left[0], left[1], right[0], right[1], f"{probability:.6f}", f"{weight:.4f}",
                         f"{model.prior:.4f}", *terms])  # fmt: skip
    return buffer.getvalue()
