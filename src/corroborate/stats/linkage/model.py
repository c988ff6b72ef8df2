"""Linking organisations' person lists with Splink 5 (the Fellegi-Sunter model), on DuckDB.

Each record's features are computed here first (``features``, ``names``: phonetic keys across
romanisations and Hangul, the gazetteer's place and province, the birth years an age at a date allows), so
that the comparisons are plain SQL that any Splink backend runs:

- name: the same family and given keys; the same given key (a family name recorded wrongly); the same
  family key and given names close by Jaro-Winkler (a typo); given names close; else;
- birth: the birth-year intervals share a year, are 1 apart, 2 apart; else;
- origin: the same place, the same province; else;
- sex: the same.

Pairs are only compared within blocks that keep recall high across spellings: the same family and given
keys, the same given key and birth year, the same family key and place. The share of matches is estimated
from the strictest block, u from random pairs, m by expectation maximisation on two blocks, each leaving
some comparisons free; then pairs are scored and the records clustered (connected components of the pairs
at or above the threshold). Never logs a name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from corroborate.domain import Gazetteer

from .features import person_features

__all__ = ["LinkedRecords", "link_records", "pair_scores"]

_CLOSE = 0.88  # Jaro-Winkler similarity of two given names (canonical romanisation) counted as close


@dataclass(frozen=True)
class LinkedRecords:
    """Which records are one person: each record's cluster (``clusters``: (list, record id) to cluster id),
    and every pair scored at or above ``pairs_from``: (list, record id), (list, record id), match
    probability and match weight."""

    clusters: dict[tuple[str, str], str]
    pairs: list[tuple[tuple[str, str], tuple[str, str], float, float]]
    threshold: float
    pairs_from: float

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
    }


def _comparisons() -> list[Any]:
    name = cl.CustomComparison([
        cll.NullLevel("given_key"),
        cll.CustomLevel("family_key_l = family_key_r AND given_key_l = given_key_r", "same family and given keys"),
        cll.CustomLevel("given_key_l = given_key_r", "same given key"),
        cll.CustomLevel(f"family_key_l = family_key_r AND jaro_winkler_similarity(given_l, given_r) >= {_CLOSE}",
                        "same family key, given names close"),
        cll.CustomLevel(f"jaro_winkler_similarity(given_l, given_r) >= {_CLOSE}", "given names close"),
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
    return [name, born, origin, cl.ExactMatch("sex")]


def link_records(
    records: Iterable[tuple[str, str, Mapping[str, Any]]], *, threshold: float = 0.9, pairs_from: float = 0.5,
    seed: int = 1, gazetteer: Gazetteer | None = None, max_u_pairs: int = 5_000_000,
) -> LinkedRecords:  # fmt: skip
    """Link records given as (list name, record id, record); a record's columns are those of
    ``features.person_features``. Lists may hold the same person twice. ``threshold`` is the match
    probability from which two records are one person; pairs from ``pairs_from`` are kept for review."""
    places = gazetteer or Gazetteer.default()
    by_list: dict[str, list[dict[str, Any]]] = {}
    for list_name, record_id, record in records:
        by_list.setdefault(list_name, []).append(_row(list_name, record_id, record, places))
    if len(by_list) < 1 or sum(len(rows) for rows in by_list.values()) < 2:
        raise ValueError("linkage needs at least two records")
    database = DuckDBAPI()
    shown = {f"list_{i}": name for i, name in enumerate(sorted(by_list))}  # table names whatever the lists' names
    tables = [database.register(pa.Table.from_pylist(by_list[name]), dataset_display_name=table)
              for table, name in shown.items()]  # fmt: skip
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
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match([block_on("family_key", "given_key", "born_lo")],
                                                           recall=0.8)  # fmt: skip
    training.estimate_u_using_random_sampling(max_pairs=max_u_pairs, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(block_on("family_key", "given_key"))
    training.estimate_parameters_using_expectation_maximisation(block_on("born_lo", "place"))
    predicted = linker.inference.predict(threshold_match_probability=pairs_from)
    clustering = linker.clustering
    clustered = clustering.cluster_pairwise_predictions_at_threshold(predicted, threshold_match_probability=threshold)
    found = {(str(row["list_name"]), str(row["record_id"])): str(row["cluster_id"])
             for row in clustered.as_record_list()}  # fmt: skip
    numbered: dict[str, str] = {}  # Splink's cluster ids renamed P-000001 ... in the order of their first record
    for key in sorted(found):
        numbered.setdefault(found[key], f"P-{len(numbered) + 1:06d}")
    clusters = {key: numbered[cluster] for key, cluster in found.items()}
    pairs = [((shown[row["source_dataset_l"]], str(row["record_id_l"])),
              (shown[row["source_dataset_r"]], str(row["record_id_r"])),
              float(row["match_probability"]), float(row["match_weight"]))
             for row in predicted.as_record_list()]  # fmt: skip
    return LinkedRecords(clusters, pairs, threshold, pairs_from)


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
