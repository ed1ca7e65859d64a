"""Opening the event tables: a directory on any backend, or tables already in a backend's catalog."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from akasse.analytics.figures import seed_figures
from akasse.analytics.tables import open_backend, open_directory
from akasse.events import EventSchemaError


def _catalog(events_dir: Path, skip: str = "", drop: tuple[str, str] | None = None) -> object:
    """A DuckDB database holding the fixture as tables named like the contract (as a Trino or Spark catalog
    would), leaving out table `skip` and column `drop` = (table, column)."""
    con = ibis.duckdb.connect()
    for name in ("persons", "spells", "conversations", "weekly_status"):
        if name == skip:
            continue
        data = con.read_parquet(str(events_dir / f"{name}.parquet"))
        if drop and drop[0] == name:
            data = data.drop(drop[1])
        con.create_table(name, data)
    return con


def test_tables_in_a_catalog_give_the_same_figures(events_dir: Path) -> None:
    assert seed_figures(open_backend(_catalog(events_dir))) == seed_figures(events_dir)


def test_a_missing_catalog_table_is_named(events_dir: Path) -> None:
    with pytest.raises(EventSchemaError, match="table conversations: table not found in duckdb"):
        open_backend(_catalog(events_dir, skip="conversations"))


def test_a_missing_catalog_column_is_named(events_dir: Path) -> None:
    with pytest.raises(EventSchemaError) as error:
        open_backend(_catalog(events_dir, drop=("spells", "visited_on")))
    assert (error.value.table, error.value.column) == ("spells", "visited_on")


def test_a_directory_is_read_by_the_backend_given(events_dir: Path) -> None:
    con = ibis.duckdb.connect()
    tables = open_directory(events_dir, con)
    assert tables.backend is con and tables.spells.count().execute() == 11
