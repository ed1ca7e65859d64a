"""The event tables as Ibis tables, on any Ibis backend (DuckDB by default, embedded, nothing to start).

Every indicator is an Ibis expression over an `EventTables`, so the same code runs on DuckDB over the
Parquet files, on PySpark or on Trino (docs/operations.md). The directory is checked against the
contract in `akasse.events` first, so a missing file or column fails with its name, not deep in a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from akasse.events import CORE_TABLES, EventSchemaError, check_directory, table


@dataclass(frozen=True)
class EventTables:
    """The core event tables on one backend (docs/data-model.md describes each column)."""

    persons: ir.Table
    spells: ir.Table
    conversations: ir.Table
    weekly_status: ir.Table
    backend: Any


def open_directory(directory: str | Path, backend: Any = None) -> EventTables:
    """The event tables in DIRECTORY/*.parquet, read by `backend` (default: a new in-memory DuckDB).

    Raises EventSchemaError naming the file and column when a table is missing or breaks the contract.
    """
    paths = check_directory(directory, CORE_TABLES)
    con = backend if backend is not None else ibis.duckdb.connect()
    return EventTables(**{name: con.read_parquet(str(paths[name])) for name in CORE_TABLES}, backend=con)


def open_backend(backend: Any, *, database: str | tuple[str, str] | None = None) -> EventTables:
    """The event tables already registered in `backend` under their contract names (e.g. a Trino or Spark
    catalog holding tables `persons`, `spells`, …), after checking that each has the contract's columns."""
    tables = {}
    for name in CORE_TABLES:
        try:
            found = backend.table(name, database=database)
        except Exception as error:  # each backend raises its own "not found"
            raise EventSchemaError(name, None, None, f"table not found in {backend.name} ({error})") from None
        for column in table(name).columns:
            if column.name not in found.columns:
                raise EventSchemaError(name, column.name, None, f"missing column in {backend.name}")
        tables[name] = found
    return EventTables(**tables, backend=backend)


def event_tables(source: str | Path | EventTables, backend: Any = None) -> EventTables:
    """`source` as EventTables: a directory is opened with `open_directory`, EventTables pass through."""
    if isinstance(source, EventTables):
        return source
    return open_directory(source, backend)
