"""Linking organisations' person lists with Splink 5 (the Fellegi-Sunter model), on DuckDB or Spark (``engines``).

Each record's features are computed here first (``features``, ``names``: phonetic keys across
romanisations and Hangul, the gazetteer's place and province, the birth years an age at a date allows), so
that the comparisons are plain SQL that any Splink backend runs:

- name: the same family and given keys; the same given key (a family name recorded wrongly); the same
  family key and given names close (at most 2 edits apart: a typo); given names close; else;
- birth: the birth-year intervals share a year, are 1 apart, 2 apart; else;
- origin: the same place, the same province; else;
- sex: the same;
- crossing, arrest: the days the two dates allow (a list may write a day, a month or a year) have a day in
  common, are within 45 days; else.

Pairs are only compared within blocks that keep recall high across spellings: the same family and given
keys, the same given key and birth year, the same family key and place. The share of matches is estimated
from the strictest block, u from random pairs, m by expectation maximisation on two blocks, each leaving
some comparisons free; then pairs are scored and the records clustered (connected components of the pairs
at or above the threshold). A model trained once (``LinkedRecords.model``, Splink's JSON) can link again, on
either engine, without training. Never logs a name.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from corroborate.domain import Gazetteer

from . import engines
from .clustering import cluster_predictions
from .explanation import ModelWeights, describe_model
from .features import person_features

__all__ = ["LinkedRecords", "link_records", "pair_scores"]

# Edits (Levenshtein distance) between two given names (canonical romanisation) counted as close. Not Jaro-Winkler:
# Splink's Spark jar computes it otherwise than DuckDB (transpositions not rounded), so the engines would disagree
# on names near the threshold; Levenshtein is built into both and the same.
_CLOSE = 2


@dataclass(frozen=True)
class LinkedRecords:
    """Which records are one person: each record's cluster (``clusters``: (list, record id) to cluster id),
    and every pair scored at or above ``pairs_from``: (list, record id), (list, record id), match
    probability and match weight. ``model`` is the trained model (Splink's JSON), to link again with.
    ``levels`` holds each pair's comparison levels (Splink's comparison vector, in the order of
    ``weights.comparisons``), ``weights`` the model's weights and charts: together, why a pair scored what it did."""

    clusters: dict[tuple[str, str], str]
    pairs: list[tuple[tuple[str, str], tuple[str, str], float, float]]
    threshold: float
    pairs_from: float
    model: str = ""
    levels: list[tuple[int, ...]] = field(default_factory=list)
    weights: ModelWeights | None = None

    def memberships(self) -> list[tuple[str, str]]:
        """(list, cluster) for every record: the input of capture histories."""
        return [(list_name, cluster) for (list_name, _), cluster in self.clusters.items()]


def _row(list_name: str, record_id: str, record: Mapping[str, Any], gazetteer: Gazetteer) -> dict[str, Any]:
    found = person_features(record, gazetteer=gazetteer)
    name = found.name
    return {
        "record_id": record_id,
        "list_name": list_name,
        "family_key": name.family_key if name else None,
        "given_key": name.given_key if name else None,
        "given": name.given if name else None,
        "born_lo": found.born[0] if found.born else None,
        "born_hi": found.born[1] if found.born else None,
        "place": found.origin.place,
        "province": found.origin.province,
        "sex": found.sex,
        "crossing_lo": found.crossing[0] if found.crossing else None,
        "crossing_hi": found.crossing[1] if found.crossing else None,
        "arrest_lo": found.arrest[0] if found.arrest else None,
        "arrest_hi": found.arrest[1] if found.arrest else None,
    }


# The columns of whole numbers: birth years and days (ordinals), compared with arithmetic.
_NUMBERS = ("born_lo", "born_hi", "crossing_lo", "crossing_hi", "arrest_lo", "arrest_hi")


def _event(name: str) -> Any:
    """An event's dates (days a written day, month or year allows): a day in common, within 45 days; else."""
    lo, hi = f"{name}_lo", f"{name}_hi"
    return cl.CustomComparison([
        cll.NullLevel(lo),
        cll.CustomLevel(f"{lo}_l <= {hi}_r AND {lo}_r <= {hi}_l", "the dates allow a day in common"),
        cll.CustomLevel(f"{lo}_l <= {hi}_r + 45 AND {lo}_r <= {hi}_l + 45", "within 45 days"),
        cll.ElseLevel(),
    ], output_column_name=name)  # fmt: skip


def _comparisons() -> list[Any]:
    name = cl.CustomComparison([
        cll.NullLevel("given_key"),
        cll.CustomLevel("family_key_l = family_key_r AND given_key_l = given_key_r", "same family and given keys"),
        cll.CustomLevel("given_key_l = given_key_r", "same given key"),
        cll.CustomLevel(f"family_key_l = family_key_r AND levenshtein(given_l, given_r) <= {_CLOSE}",
                        "same family key, given names close"),
        cll.CustomLevel(f"levenshtein(given_l, given_r) <= {_CLOSE}", "given names close"),
        cll.ElseLevel(),
    ], output_column_name="name")  # fmt: skip
    born = cl.CustomComparison([
        cll.NullLevel("born_lo"),
        cll.CustomLevel("born_lo_l <= born_hi_r AND born_lo_r <= born_hi_l", "a birth year in common"),
        cll.CustomLevel("born_lo_l <= born_hi_r + 1 AND born_lo_r <= born_hi_l + 1", "birth years 1 apart"),
        cll.CustomLevel("born_lo_l <= born_hi_r + 2 AND born_lo_r <= born_hi_l + 2", "birth years 2 apart"),
        cll.ElseLevel(),
    ], output_column_name="born")  # fmt: skip
    origin = cl.CustomComparison([
        cll.NullLevel("province"),
        cll.CustomLevel("place_l = place_r", "the same place"),
        cll.CustomLevel("province_l = province_r", "the same province"),
        cll.ElseLevel(),
    ], output_column_name="origin")  # fmt: skip
    return [name, born, origin, cl.ExactMatch("sex"), _event("crossing"), _event("arrest")]


_PAIR_KEY = ("source_dataset_l", "record_id_l", "source_dataset_r", "record_id_r")


def link_records(
    records: Iterable[tuple[str, str, Mapping[str, Any]]], *, threshold: float = 0.9, pairs_from: float = 0.5,
    seed: int = 1, gazetteer: Gazetteer | None = None, max_u_pairs: int = 5_000_000, model: str | None = None,
    engine: str = "duckdb", spark_master: str = "local[2]", spark: Any = None, duplicate_free: Iterable[str] = (),
) -> LinkedRecords:  # fmt: skip
    """Link records given as (list name, record id, record); a record's columns are those of
    ``features.person_features``. Lists may hold the same person twice. ``threshold`` is the match
    probability from which two records are one person; pairs from ``pairs_from`` are kept for review.
    ``model`` (a ``LinkedRecords.model``) links without training. ``engine`` is "duckdb" or "spark" (a
    session on ``spark_master``, or the open session ``spark``; see ``engines``). Lists named in
    ``duplicate_free`` hold each person at most once: best-link clustering then keeps one record of each
    in a cluster (``clustering``); else connected components."""
    places = gazetteer or Gazetteer.default()
    by_list: dict[str, list[dict[str, Any]]] = {}
    for list_name, record_id, record in records:
        by_list.setdefault(list_name, []).append(_row(list_name, record_id, record, places))
    if len(by_list) < 1 or sum(len(rows) for rows in by_list.values()) < 2:
        raise ValueError("linkage needs at least two records")
    shown = {f"list_{i}": name for i, name in enumerate(sorted(by_list))}  # table names whatever the lists' names
    table_of = {name: table for table, name in shown.items()}
    free = sorted({table_of.get(name, name) for name in duplicate_free})  # the tables of the duplicate-free lists
    if unknown := sorted(set(free) - set(shown)):
        raise ValueError(f"no list named {', '.join(unknown)}")
    with engines.database(engine, spark_master=spark_master, spark=spark) as database:
        tables = [engines.register(database, by_list[name], table, numbers=_NUMBERS) for table, name in shown.items()]
        settings = SettingsCreator(
            link_type="link_and_dedupe",
            unique_id_column_name="record_id",
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=[
                block_on("family_key", "given_key"),
                block_on("given_key", "born_lo"),
                block_on("family_key", "place"),
            ],  # fmt: skip
            retain_intermediate_calculation_columns=False,
        )
        if model is not None:  # the same comparisons and blocks, rendered for this engine, with the model's parameters
            dialect = database.sql_dialect.sql_dialect_str
            settings = SettingsCreator.from_path_or_dict(engines.apply_model(settings.create_settings_dict(dialect),
                                                                             model))  # fmt: skip
        linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.WARNING)
        if model is None:
            training = linker.training
            training.estimate_probability_two_random_records_match([block_on("family_key", "given_key", "born_lo")],
                                                                   recall=0.8)  # fmt: skip
            training.estimate_u_using_random_sampling(max_pairs=max_u_pairs, seed=seed)
            training.estimate_parameters_using_expectation_maximisation(block_on("family_key", "given_key"))
            training.estimate_parameters_using_expectation_maximisation(block_on("born_lo", "place"))
        predicted = linker.inference.predict(threshold_match_probability=pairs_from)
        found = cluster_predictions(linker, predicted, threshold=threshold, duplicate_free=free)
        # clusters and pairs in one order whatever the engine (Spark returns rows as its partitions finish)
        clusters = dict(sorted(found.items()))
        rows = sorted(predicted.as_record_list(), key=lambda row: tuple(str(row[k]) for k in _PAIR_KEY))
        pairs = [((shown[row["source_dataset_l"]], str(row["record_id_l"])),
                  (shown[row["source_dataset_r"]], str(row["record_id_r"])),
                  float(row["match_probability"]), float(row["match_weight"]))
                 for row in rows]  # fmt: skip
        weights = describe_model(linker)
        levels = [tuple(int(row[f"gamma_{name}"]) for name in weights.comparisons) for row in rows]
        trained = json.dumps(linker.misc.save_model_to_json())
    return LinkedRecords(clusters, pairs, threshold, pairs_from, trained, levels, weights)


def pair_scores(truth: Mapping[Any, str], found: Mapping[Any, str]) -> tuple[float, float]:
    """Precision and recall of the record pairs ``found`` puts together (record to cluster), against the
    pairs ``truth`` puts together (record to person)."""

    def together(groups: Mapping[Any, str]) -> set[tuple[Any, Any]]:
        members: dict[str, list[Any]] = {}
        for record, group in groups.items():
            members.setdefault(group, []).append(record)
        return {(a, b) for ids in members.values() for a in ids for b in ids if a < b}

    real, linked = together(truth), together(found)
    hits = len(real & linked)
    return (hits / len(linked) if linked else 1.0, hits / len(real) if real else 1.0)
