"""The national synthetic event tables the analytics benchmarks read: $BENCH_DATA or data/national, made with
`akasse simulate --scale national --seed 2020` when missing (the same command `make demo` runs); and what
those benchmarks share: best-of timing and the DuckDB scan that is their floor."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from akasse.events import CORE_TABLES

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def national_dir() -> Path:
    """The directory of the national event tables, generated first if a table is missing."""
    directory = Path(os.environ.get("BENCH_DATA", ROOT / "data" / "national"))
    if not all((directory / f"{name}.parquet").exists() for name in CORE_TABLES):
        print(f"generating the national data set in {directory} …", flush=True)
        command = [
            sys.executable,
            "-m",
            "akasse.cli",
            "simulate",
            "--scale",
            "national",
            "--seed",
            "2020",
            "--out",
            str(directory),
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return directory


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `runs` timed calls of `work`, and its last result."""
    timings, results = [], []
    for _ in range(runs):
        started = time.perf_counter()
        results.append(work())
        timings.append(time.perf_counter() - started)
    return min(timings), results[-1]


def scan(directory: Path, spells: list[str], conversations: list[str]) -> None:
    """One DuckDB pass over these columns of the two tables (the floor any engine pays to read them). Every
    value is read and hashed: DuckDB answers `max()` of a scalar Parquet column from the file's statistics
    without reading it (0.009 s for the spells' columns, against 0.21 s read)."""
    hashed = {
        table: ", ".join(f'bit_xor(hash("{c}"))' for c in columns)
        for table, columns in (("spells", spells), ("conversations", conversations))
        if columns
    }
    reads = [f"(select {columns} from '{directory}/{table}.parquet')" for table, columns in hashed.items()]
    duckdb.sql(f"select * from {', '.join(reads)}").fetchall()
