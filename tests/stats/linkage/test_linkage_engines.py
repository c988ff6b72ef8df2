"""The engines' shared pieces, without starting Spark: a trained model carried to another engine's settings,
input tables registered under new names, and the refusals (an unknown engine, no Java)."""

from __future__ import annotations

import json

import pytest
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from corroborate.stats.linkage import engines


def _creator() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.ExactMatch("sex"), cl.LevenshteinAtThresholds("given", 2)],
        blocking_rules_to_generate_predictions=[block_on("family_key")],
    )


def _trained() -> str:
    """The settings as DuckDB renders them, with made-up parameters where a training would put them."""
    saved = _creator().create_settings_dict("duckdb")
    saved["probability_two_random_records_match"] = 0.0123
    for i, comparison in enumerate(saved["comparisons"]):
        for j, level in enumerate(comparison["comparison_levels"]):
            if not level.get("is_null_level"):
                level["m_probability"], level["u_probability"] = 0.1 + i / 10 + j / 100, 0.2 + i / 10 + j / 100
    return json.dumps(saved)


def test_a_model_trained_on_duckdb_carries_its_parameters_into_spark_settings() -> None:
    fresh = _creator().create_settings_dict("spark")
    before = json.dumps(fresh)
    applied = engines.apply_model(fresh, _trained())
    saved = json.loads(_trained())
    assert applied["probability_two_random_records_match"] == 0.0123
    for new, old in zip(applied["comparisons"], saved["comparisons"], strict=True):
        for new_level, old_level in zip(new["comparison_levels"], old["comparison_levels"], strict=True):
            assert new_level.get("m_probability") == old_level.get("m_probability")
            assert new_level.get("u_probability") == old_level.get("u_probability")
    # the rules stay those rendered for Spark (backquoted columns), not DuckDB's (double quotes)
    assert applied["blocking_rules_to_generate_predictions"] == fresh["blocking_rules_to_generate_predictions"]
    assert "`family_key`" in applied["blocking_rules_to_generate_predictions"][0]["blocking_rule"]
    assert '"family_key"' in saved["blocking_rules_to_generate_predictions"][0]["blocking_rule"]
    assert json.dumps(fresh) == before != json.dumps(applied)  # the settings passed in are left as they were


def test_a_model_of_other_comparisons_or_not_a_model_is_refused() -> None:
    other = SettingsCreator(link_type="dedupe_only", comparisons=[cl.ExactMatch("sex")])
    with pytest.raises(ValueError, match="other comparisons"):
        engines.apply_model(other.create_settings_dict("spark"), _trained())
    for broken in ("{not json", json.dumps({"comparisons": []}), "[]"):
        with pytest.raises(ValueError, match="not a Splink model"):
            engines.apply_model(_creator().create_settings_dict("spark"), broken)


def test_tables_get_new_names_so_one_database_takes_a_list_twice() -> None:
    with engines.database("duckdb") as db:
        rows = [{"record_id": "1", "place": None}, {"record_id": "2", "place": None}]
        first, second = engines.register(db, rows, "list_0"), engines.register(db, rows, "list_0")
        assert first.physical_name != second.physical_name
        assert first.dataset_display_name == second.dataset_display_name == "list_0"
        kinds = db._execute_sql_against_backend(f"DESCRIBE {first.physical_name}").fetchall()
        assert {row[0]: row[1] for row in kinds} == {"record_id": "VARCHAR", "place": "VARCHAR"}


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown linkage engine 'sqlite': one of duckdb, spark"):
        with engines.database("sqlite"):
            pass


def test_spark_without_java_says_so_before_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(engines.EngineUnavailable, match="needs (a Java runtime|pyspark)"):
        with engines.spark_session():
            pass
