"""Where Splink runs the linkage model: DuckDB in this process (the default), or Apache Spark, locally
(``local[2]``) or on a cluster by its master URL.

The model (``model``) is the same on both: its comparisons are SQL that both engines run alike (functions
built into both, such as ``levenshtein``; not Jaro-Winkler, which Splink's Spark jar computes otherwise than
DuckDB). A model trained on one engine is carried to the other as Splink's JSON (``apply_model``): its
parameters are laid onto the settings rendered for the new engine (blocking rules quote columns in each
engine's way), never its SQL text.

A Spark session made here (``spark_session``) loads Splink's jar of similarity functions, keeps its
scratch files (checkpoints, shuffle files, the warehouse) in a temporary folder removed at the end, logs
errors only, and is stopped at the end; a session passed in is used as it is and left open. pyspark is
imported only when Spark is chosen. Never logs a value.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["ENGINES", "EngineUnavailable", "apply_model", "database", "register", "spark_session"]

ENGINES = ("duckdb", "spark")


class EngineUnavailable(RuntimeError):
    """The engine cannot start on this machine (pyspark or Java missing); the message says what to install."""


# Spark's own logging (log4j2): errors only, to stderr, instead of its start-up chatter and warnings. The root
# level is Spark's default for a Python session (warn), else Spark says at start that it sets it; the appender
# passes errors only.
_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
appender.console.filter.threshold.type = ThresholdFilter
appender.console.filter.threshold.level = error
"""
_PARTITIONS = 4  # shuffle partitions of a local session: Spark's 200 only slow down a few hundred thousand rows


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


@contextmanager
def spark_session(master: str = "local[2]") -> Iterator[Any]:
    """A Spark session on ``master`` ready for Splink, stopped and its scratch folder removed at the end.

    Raises ``EngineUnavailable`` when pyspark or Java is missing."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise EngineUnavailable("the Spark engine needs pyspark: install corroborate[spark]") from exc
    with warnings.catch_warnings():
        # pyspark checks the pandas version when this module is first imported (the first time it converts a
        # value) and warns that it does not yet fully support pandas 3; the linkage does not go through pandas.
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        import pyspark.testing.utils  # noqa: F401
    if shutil.which("java") is None and not _java_home():
        raise EngineUnavailable("the Spark engine needs a Java runtime (17 or later): none is on PATH or in JAVA_HOME")
    scratch = Path(tempfile.mkdtemp(prefix="corroborate-spark-"))
    try:
        (scratch / "log4j2.properties").write_text(_LOG4J2, encoding="utf-8")
        java_options = f"-Dlog4j2.configurationFile=file:{scratch / 'log4j2.properties'}"
        builder = (
            SparkSession.builder.master(master)
            .appName("corroborate-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.extraJavaOptions", java_options)
            .config("spark.executor.extraJavaOptions", java_options)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.catalogImplementation", "in-memory")
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .config("spark.local.dir", str(scratch / "local"))
        )
        if _is_local(master):
            builder = builder.config("spark.sql.shuffle.partitions", str(_PARTITIONS))
            builder = builder.config("spark.default.parallelism", str(_PARTITIONS))
        session = builder.getOrCreate()
        try:
            session.sparkContext.setLogLevel("ERROR")
            session.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
            yield session
        finally:
            session.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _java_home() -> bool:
    home = os.environ.get("JAVA_HOME")
    return home is not None and (Path(home) / "bin" / "java").exists()


@contextmanager
def database(engine: str = "duckdb", *, spark_master: str = "local[2]", spark: Any = None) -> Iterator[Any]:
    """Splink's database API for ``engine``: a new in-memory DuckDB database, or Spark (the session
    ``spark`` when given, left open; else a session on ``spark_master``, stopped at the end)."""
    if engine == "duckdb":
        from splink.backends.duckdb import DuckDBAPI

        yield DuckDBAPI()
    elif engine == "spark":
        if spark is not None:
            yield _spark_api(spark)
        else:
            with spark_session(spark_master) as session:
                yield _spark_api(session)
    else:
        raise ValueError(f"unknown linkage engine {engine!r}: one of {', '.join(ENGINES)}")


def _spark_api(session: Any) -> Any:
    from splink.backends.spark import SparkAPI

    api: Any = SparkAPI  # untyped
    # Splink writes its intermediate tables as Parquet files into the session's checkpoint folder (keeping them
    # in memory instead, `persist`, makes ever longer plans that ran out of memory on 20,000 records).
    local = _is_local(session.sparkContext.master)
    return api(spark_session=session, break_lineage_method="parquet",
               num_partitions_on_repartition=_PARTITIONS if local else None)  # fmt: skip


def register(db_api: Any, rows: Sequence[Mapping[str, Any]], name: str, *, numbers: Collection[str] = ()) -> Any:
    """Register ``rows`` (dicts with the same keys) as an input table of Splink shown as ``name``; its table
    name is new each time, so one Spark session serves several linkages. ``numbers`` are the columns of whole
    numbers (compared with arithmetic), kept so even when a list gives none of them."""
    import pyarrow as pa

    table = pa.Table.from_pylist(list(rows))
    # A column with no value at all has Arrow's null type, which Spark cannot take, and to which no number can be
    # added: make it a whole number or text.
    table = table.cast(pa.schema([
        pa.field(f.name, pa.int64() if f.name in numbers else pa.string()) if pa.types.is_null(f.type) else f
        for f in table.schema
    ]))  # fmt: skip
    return db_api.register(table, dataset_display_name=name, table_name=f"{name}_{uuid.uuid4().hex[:12]}")


def apply_model(fresh: Mapping[str, Any], model: str) -> dict[str, Any]:
    """The settings ``fresh`` (Splink's settings dict of this model, rendered for the engine at hand) with the
    trained parameters of ``model`` (Splink's JSON of a model trained on any engine): the share of matches and
    every level's m and u. Raises ``ValueError`` when ``model`` has other comparisons or levels."""
    try:
        saved = json.loads(model)
        trained = saved["comparisons"]
        share = float(saved["probability_two_random_records_match"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("the model is not a Splink model (JSON with comparisons)") from exc
    settings: dict[str, Any] = json.loads(json.dumps(fresh))
    comparisons = settings["comparisons"]

    def shape(items: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        return [(c.get("output_column_name"), tuple(level.get("label_for_charts") for level in c["comparison_levels"]))
                for c in items]  # fmt: skip

    if shape(trained) != shape(comparisons):
        raise ValueError("the model was trained with other comparisons than this version links with")
    settings["probability_two_random_records_match"] = share
    for comparison, learnt in zip(comparisons, trained, strict=True):
        for level, values in zip(comparison["comparison_levels"], learnt["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in values:
                    level[key] = values[key]
    return settings
