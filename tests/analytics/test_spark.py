"""The same Ibis code on PySpark in local mode gives the same catalogue and seed figures as DuckDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.spark
pyspark_sql = pytest.importorskip("pyspark.sql")

import ibis  # noqa: E402

from akasse.analytics.figures import seed_figures  # noqa: E402
from akasse.analytics.indicators import compute  # noqa: E402
from akasse.analytics.tables import EventTables, open_directory  # noqa: E402

AS_OF = dt.date(2022, 1, 31)


@pytest.fixture(scope="module")
def spark_tables(events_dir: Path) -> Iterator[EventTables]:
    """One local Spark session for the module: one core, one shuffle partition, no UI (fast start)."""
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("akasse-tests")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield open_directory(events_dir, ibis.pyspark.connect(session))
    session.stop()


def test_catalogue_on_spark_is_identical_to_duckdb(spark_tables: EventTables, events_dir: Path) -> None:
    on_spark = compute(spark_tables, as_of=AS_OF)
    on_duckdb = compute(events_dir, as_of=AS_OF)
    assert len(on_duckdb) > 700  # the whole catalogue, every breakdown
    pd.testing.assert_frame_equal(on_spark, on_duckdb)


def test_seed_figures_on_spark_are_identical_to_duckdb(spark_tables: EventTables, events_dir: Path) -> None:
    assert seed_figures(spark_tables) == seed_figures(events_dir)
