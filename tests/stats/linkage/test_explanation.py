"""Why a pair scored what it did: the prior and each comparison's level weight add up to the pair's match
weight, for every pair Splink scored; the explanations name levels and records, never a name."""

from __future__ import annotations

import csv
import io

import pytest

from corroborate.stats.linkage import Level, ModelWeights, Population, explanations_csv
from corroborate.stats.linkage.explanation import model_from_chart_records
from corroborate.stats.linkage.model import LinkedRecords


def _record(name: str, value: int, label: str, weight: float) -> dict[str, object]:
    return {"comparison_name": name, "comparison_vector_value": value, "label_for_charts": label,
            "log2_bayes_factor": weight, "m_probability": 0.5, "u_probability": 0.1}  # fmt: skip


def test_a_model_is_read_from_splinks_chart_records() -> None:
    records = [_record("probability_two_random_records_match", 0, "", -10.0), _record("name", 2, "same", 8.0),
               _record("name", 1, "close", 2.0), _record("name", 0, "else", -5.0), _record("sex", 1, "same", 1.0),
               _record("sex", 0, "else", -3.0)]  # fmt: skip
    model = model_from_chart_records(records)
    assert model.prior == -10.0 and model.comparisons == ("name", "sex")
    assert model.explain((1, 0)) == (Level("name", 1, "close", 2.0, 0.5, 0.1), Level("sex", 0, "else", -3.0, 0.5, 0.1))
    assert model.weight((2, 1)) == -1.0
    assert model.level("sex", -1) == Level("sex", -1, "sex unknown on one side", 0.0)  # a side without a value
    assert model.weight((2, -1)) == -2.0
    with pytest.raises(KeyError):
        model.level("name", 7)
    with pytest.raises(ValueError, match="2 comparison values"):
        model.explain((1,))
    with pytest.raises(ValueError, match="no prior"):
        model_from_chart_records(records[1:])


def test_the_terms_add_up_to_every_pairs_match_weight(small_linkage: tuple[Population, LinkedRecords]) -> None:
    _, linked = small_linkage
    model = linked.weights
    assert isinstance(model, ModelWeights)
    assert model.comparisons == ("name", "born", "origin", "sex", "crossing", "arrest")
    assert len(linked.levels) == len(linked.pairs) > 100
    assert {"Match weights of each comparison level", "m and u probabilities of each level"} == set(model.charts)
    for (_, _, probability, weight), values in zip(linked.pairs, linked.levels, strict=True):
        assert model.weight(values) == pytest.approx(weight, abs=1e-9)
        assert 1 / (1 + 2**-weight) == pytest.approx(probability, abs=1e-9)


def test_the_explanations_csv_adds_up_and_names_no_one(small_linkage: tuple[Population, LinkedRecords]) -> None:
    population, linked = small_linkage
    assert linked.weights is not None
    text = explanations_csv(linked.weights, linked.pairs, linked.levels)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(linked.pairs)
    assert list(rows[0])[:7] == ["list_l", "record_id_l", "list_r", "record_id_r", "match_probability",
                                 "match_weight", "prior_weight"]  # fmt: skip
    labels = {level.label for level in linked.weights.levels}
    labels |= {f"{name} unknown on one side" for name in linked.weights.comparisons}
    for row in rows:
        terms = float(row["prior_weight"]) + sum(float(row[f"{name}_weight"]) for name in linked.weights.comparisons)
        assert terms == pytest.approx(float(row["match_weight"]), abs=5e-4)  # each written to 4 decimals
        assert all(row[name] in labels for name in linked.weights.comparisons)
    restricted = {value for r in population.records for value in (r.name, r.origin) if value}
    assert not any(value in text for value in restricted)
