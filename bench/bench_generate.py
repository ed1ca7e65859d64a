"""National-scale generation (`akasse simulate --scale national`), goals ≤ 60 s and ≤ 6 GB peak memory.

The generator runs in a child process so that its peak resident memory is the child's own
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`); its CPU time is shown too, since on a shared machine the wall
time also measures the other jobs. Baseline, measured in the same run: the I/O floor, i.e. reading
the four written tables and writing them again as zstd Parquet with PyArrow alone (no drawing, no
validation): the share of the generation that is not spent on writing this much data.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

GOAL_SECONDS = 60.0
GOAL_GB = 6.0
SCALE = os.environ.get("BENCH_GENERATE_SCALE", "national")
TABLES = ("persons", "spells", "conversations", "weekly_status")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench_generate_"))
    try:
        out = workdir / "events"
        command = [
            sys.executable,
            "-m",
            "akasse.cli",
            "simulate",
            "--scale",
            SCALE,
            "--seed",
            "2020",
            "--out",
            str(out),
        ]
        started = time.perf_counter()
        done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            print(f"akasse simulate failed (exit {done.returncode})")
            return 1
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_gb = usage.ru_maxrss * 1024 / 1e9  # Linux: KiB
        cpu_seconds = usage.ru_utime + usage.ru_stime

        rows, floor = 0, 0.0
        for name in TABLES:
            data = pq.read_table(out / f"{name}.parquet")
            rows += data.num_rows
            started = time.perf_counter()
            pq.write_table(data, workdir / f"{name}.copy.parquet", compression="zstd")
            floor += time.perf_counter() - started
            del data
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"scale: {SCALE}; rows written: {rows:,}; CPUs: {os.cpu_count()}; load average (1 min): {load:.1f}")
    print(
        f"generation (draw, validate, write): {seconds:7.1f} s   goal ≤ {GOAL_SECONDS:.0f} s"
        f"   {'ok' if seconds <= GOAL_SECONDS else 'OVER'}"
    )
    print(
        f"peak memory of the generator:       {peak_gb:7.2f} GB  goal ≤ {GOAL_GB:.0f} GB"
        f"   {'ok' if peak_gb <= GOAL_GB else 'OVER'}"
    )
    print(
        f"CPU time of the generator:          {cpu_seconds:7.1f} s   (user + system: unlike the wall time,"
        " not slowed by other jobs on the machine)"
    )
    print(
        f"baseline I/O floor (rewrite only):  {floor:7.1f} s   ({100 * floor / seconds:.0f} % of generation)"
    )
    return 0 if seconds <= GOAL_SECONDS and peak_gb <= GOAL_GB else 1


if __name__ == "__main__":
    sys.exit(main())
