"""The four seed figures on the national data set: Ibis on DuckDB against plain pandas, goal ≥ 10× faster.

Both paths start from the Parquet files and compute the same four figures (issue 2 §5); the pandas version
lives only here, as the baseline, and must agree with `seed_figures` before any time is printed. The floor,
one DuckDB scan of the columns pandas reads, bounds how much faster than pandas any path can be.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from national_data import best_of, national_dir, scan

from akasse.analytics.figures import COVERED_MONTHS, MIN_CONVERSATIONS, VISITED_FROM, VISITED_TO, seed_figures
from akasse.analytics.periods import month_end

GOAL_RATIO = 10.0
RUNS = 5
#: The columns the pandas baseline reads (and the floor scans).
SPELL_COLUMNS = ["spell_id", "person_id", "covered_from", "covered_to", "visited_on", "exit_reason"]
CONVERSATION_COLUMNS = ["spell_id", "date"]


def read(path: Path, columns: list[str]) -> pd.DataFrame:
    """The columns as a pandas frame with dates as datetime64 (the fast way to hand Parquet to pandas)."""
    return pq.read_table(path, columns=columns).to_pandas(date_as_object=False)


def pandas_figures(directory: Path) -> dict[str, float]:
    """The seed figures written plainly in pandas (the baseline)."""
    spells = read(directory / "spells.parquet", SPELL_COLUMNS)
    conversations = read(directory / "conversations.parquet", CONVERSATION_COLUMNS)
    visited = spells.visited_on.notna() & spells.visited_on.between(
        pd.Timestamp(VISITED_FROM), pd.Timestamp(VISITED_TO)
    )
    per_month = []
    for first in COVERED_MONTHS:
        overlaps = (
            spells.covered_from.notna()
            & (spells.covered_from <= pd.Timestamp(month_end(first)))
            & (spells.covered_to.isna() | (spells.covered_to >= pd.Timestamp(first)))
        )
        per_month.append(spells.loc[overlaps, "person_id"].nunique())
    handed_over = spells.loc[
        visited & (spells.exit_reason == "handover"), ["spell_id", "covered_from", "covered_to"]
    ]
    held = conversations.merge(handed_over, on="spell_id")
    held = held[(held.date >= held.covered_from) & (held.covered_to.isna() | (held.date <= held.covered_to))]
    enough = (held.groupby("spell_id").size() >= MIN_CONVERSATIONS).sum()
    return {
        "visited": int(visited.sum()),
        "covered_per_month": sum(per_month) / len(per_month),
        "share_3plus": enough / len(handed_over),
        "share_referred": (visited & (spells.exit_reason == "referred")).sum() / visited.sum(),
    }


def main() -> int:
    directory = national_dir()
    ibis_seconds, figures = best_of(RUNS, lambda: seed_figures(directory))
    pandas_seconds, baseline = best_of(RUNS, lambda: pandas_figures(directory))
    for key, value in baseline.items():
        mine = figures[key]["value"]
        if abs(mine - value) > 1e-9 * max(1.0, abs(value)):
            print(f"the two paths disagree on {key}: Ibis {mine}, pandas {value}")
            return 1
    ratio = pandas_seconds / ibis_seconds
    print(
        f"data: {directory}; CPUs: {os.cpu_count()}; load average (1 min): {os.getloadavg()[0]:.1f}; "
        f"best of {RUNS}"
    )
    for key, entry in figures.items():
        print(f"  {key:18} {entry['value']:>12.4f}   published {entry['published']}")
    print(f"seed figures, Ibis on DuckDB:  {ibis_seconds:6.2f} s")
    print(f"seed figures, plain pandas:    {pandas_seconds:6.2f} s   (baseline)")
    print(f"ratio: {ratio:.1f}×   goal ≥ {GOAL_RATIO:.0f}×   {'ok' if ratio >= GOAL_RATIO else 'UNDER'}")
    floor_seconds, _ = best_of(RUNS, lambda: scan(directory, SPELL_COLUMNS, CONVERSATION_COLUMNS))
    print(
        f"floor: one DuckDB scan of the columns pandas reads {floor_seconds:6.3f} s, so no path that reads "
        f"them is more than {pandas_seconds / floor_seconds:.1f}× faster than pandas"
    )
    return 0 if ratio >= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
