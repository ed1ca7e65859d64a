"""The whole indicator catalogue with disclosure control on the national data set (goal ≤ 10 s), three
headline indicators against the same written plainly in pandas (goal: catalogue path ≥ 10× faster per
indicator), and the catalogue against one DuckDB scan of the columns it reads (goal ≤ 3× that scan). Each
headline also gets its floor: one DuckDB scan of the columns its pandas version reads, which bounds how much
faster than pandas any path that reads them can be.

The pandas versions live only here, as baselines; each must give the catalogue's rows (total, month,
month × a-kasse, month × a-kasse × municipality) before any time is printed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from national_data import best_of, national_dir, scan

from akasse.analytics.disclosure import protect
from akasse.analytics.indicators import BY_ID, CATALOGUE, SAME, SUMS, compute, rules
from akasse.analytics.records import latest_date
from akasse.analytics.tables import open_directory
from akasse.reference import trial_config

GOAL_CATALOGUE_SECONDS, GOAL_RATIO, GOAL_SCAN_FACTOR = 10.0, 10.0, 3.0
KEYS = {
    "total": [],
    "month": ["month"],
    "month_akasse": ["month", "akasse"],
    "month_akasse_municipality": ["month", "akasse", "municipality"],
}
SPELL_COLUMNS = [
    "spell_id",
    "person_id",
    "akasse",
    "municipality",
    "notice_date",
    "unemployed_from",
    "unemployed_to",
    "group",
    "covered_from",
    "covered_to",
    "visited_on",
    "exit_reason",
    "referral_reason",
]
CONVERSATION_COLUMNS = ["spell_id", "date", "purposes", "held_by", "mode", "jobs_presented"]
#: The columns each headline's pandas baseline reads: (spells, conversations).
HEADLINE_COLUMNS = {
    "participants": (
        ["spell_id", "person_id", "akasse", "municipality", "group", "covered_from", "covered_to"],
        [],
    ),
    "visited": (["akasse", "municipality", "visited_on"], []),
    "conversations": (
        ["spell_id", "akasse", "municipality", "group", "covered_from", "covered_to"],
        ["spell_id", "date"],
    ),
}


def read(path: Path, columns: list[str]) -> pd.DataFrame:
    return pq.read_table(path, columns=columns).to_pandas(date_as_object=False)


def month_number(days: pd.Series) -> pd.Series:
    return days.dt.year * 12 + days.dt.month - 1


def contact(spells: pd.DataFrame, as_of: pd.Timestamp, first: pd.Timestamp) -> pd.DataFrame:
    """Trial spells with their coverage as the contact period, open ends at as_of."""
    trial = spells[(spells.group == "trial") & spells.covered_from.notna() & (spells.covered_from <= as_of)]
    trial = trial.assign(contact_from=trial.covered_from, contact_to=trial.covered_to.fillna(as_of))
    return trial[trial.contact_to >= first]


def by_breakdown(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """Row counts per cell of each breakdown."""
    return {
        name: rows.groupby(keys).size() if keys else pd.Series([len(rows)]) for name, keys in KEYS.items()
    }


def pandas_participants(directory: Path, as_of: pd.Timestamp, first: pd.Timestamp) -> dict[str, pd.Series]:
    spells = contact(read(directory / "spells.parquet", HEADLINE_COLUMNS["participants"][0]), as_of, first)
    start = np.maximum(month_number(spells.contact_from), month_number(pd.Series([first])).iloc[0])
    stop = np.minimum(month_number(spells.contact_to), month_number(pd.Series([as_of])).iloc[0])
    n = (stop - start + 1).clip(lower=0).to_numpy()
    rows = spells.loc[spells.index.repeat(n)].copy()
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(n) - n, n)
    number = np.repeat(start.to_numpy(), n) + offset
    rows["month"] = pd.to_datetime({"year": number // 12, "month": number % 12 + 1, "day": 1}).to_numpy()
    total = rows.person_id.nunique()
    rows = rows.sort_values(
        ["person_id", "month", "contact_from", "spell_id"], ascending=[True, True, False, False]
    )
    rows = rows.drop_duplicates(["person_id", "month"])
    counts = by_breakdown(rows)
    counts["total"] = pd.Series([total])
    return counts


def pandas_visited(directory: Path, as_of: pd.Timestamp, first: pd.Timestamp) -> dict[str, pd.Series]:
    spells = read(directory / "spells.parquet", HEADLINE_COLUMNS["visited"][0])
    visited = spells[spells.visited_on.notna() & (spells.visited_on <= as_of) & (spells.visited_on >= first)]
    visited = visited.assign(month=visited.visited_on.dt.to_period("M").dt.to_timestamp())
    return by_breakdown(visited)


def pandas_conversations(directory: Path, as_of: pd.Timestamp, first: pd.Timestamp) -> dict[str, pd.Series]:
    spell_columns, conversation_columns = HEADLINE_COLUMNS["conversations"]
    spells = contact(read(directory / "spells.parquet", spell_columns), as_of, first)
    held = read(directory / "conversations.parquet", conversation_columns).merge(
        spells[["spell_id", "akasse", "municipality", "contact_from", "contact_to"]], on="spell_id"
    )
    held = held[(held.date >= held.contact_from) & (held.date <= held.contact_to) & (held.date >= first)]
    held = held.assign(month=held.date.dt.to_period("M").dt.to_timestamp())
    return by_breakdown(held)


BASELINES = {
    "participants": pandas_participants,
    "visited": pandas_visited,
    "conversations": pandas_conversations,
}


def agrees(catalogue: pd.DataFrame, baseline: dict[str, pd.Series]) -> str | None:
    """None when the pandas counts equal the catalogue's rows, else what differs."""
    for breakdown, counts in baseline.items():
        rows = catalogue[catalogue.breakdown == breakdown]
        mine = sorted(int(v) for v in rows.numerator)
        theirs = sorted(int(v) for v in counts if v > 0)
        if mine != theirs:
            return (
                f"{breakdown}: catalogue {len(mine)} rows ({sum(mine)}), pandas {len(theirs)} ({sum(theirs)})"
            )
    return None


def main() -> int:
    directory = national_dir()
    tables = open_directory(directory)
    as_of = latest_date(tables)
    first = trial_config().start
    print(
        f"data: {directory}; cut-off {as_of}; CPUs: {os.cpu_count()}; "
        f"load average (1 min): {os.getloadavg()[0]:.1f}"
    )
    ok = True

    started, cpu = time.perf_counter(), time.process_time()
    frame = compute(open_directory(directory), as_of=as_of)
    computed, computed_cpu = time.perf_counter() - started, time.process_time() - cpu
    protected = protect(frame, rules(CATALOGUE), sums=SUMS, same=SAME)
    whole = time.perf_counter() - started
    hidden = int(protected.frame.suppressed.sum())
    ok &= whole <= GOAL_CATALOGUE_SECONDS
    print(
        f"whole catalogue ({len(CATALOGUE)} indicators, {len(frame):,} rows): {computed:6.2f} s "
        f"(CPU {computed_cpu:.2f} s, all threads); "
        f"with disclosure control ({hidden:,} cells hidden): {whole:6.2f} s"
        f"   goal ≤ {GOAL_CATALOGUE_SECONDS:.0f} s"
        f"   {'ok' if whole <= GOAL_CATALOGUE_SECONDS else 'OVER'}"
    )

    scan_seconds, _ = best_of(3, lambda: scan(directory, SPELL_COLUMNS, CONVERSATION_COLUMNS))
    factor = computed / scan_seconds
    ok &= factor <= GOAL_SCAN_FACTOR
    print(
        f"one DuckDB scan of the columns used: {scan_seconds:6.2f} s; catalogue = {factor:.1f}× that scan"
        f"   goal ≤ {GOAL_SCAN_FACTOR:.0f}×   {'ok' if factor <= GOAL_SCAN_FACTOR else 'OVER'}"
    )
    interpreted = [BY_ID["met_on_time"]]  # needs the rule interpreter and nothing else
    alone, _ = best_of(3, lambda: compute(open_directory(directory), interpreted, as_of=as_of))
    print(
        f"{'':13} met_on_time alone (needs only the rule interpreter): {alone:6.2f} s = "
        f"{alone / scan_seconds:.1f}× that scan (the goal leaves {GOAL_SCAN_FACTOR:.0f}× for all indicators)"
    )

    ts_as_of, ts_first = pd.Timestamp(as_of), pd.Timestamp(first)
    for name in BASELINES:  # the headlines, in this order
        indicator = [BY_ID[name]]
        mine_seconds, rows = best_of(
            3, lambda i=indicator: compute(open_directory(directory), i, as_of=as_of)
        )
        theirs_seconds, baseline = best_of(3, lambda n=name: BASELINES[n](directory, ts_as_of, ts_first))
        problem = agrees(rows[rows.breakdown != "month_group"], baseline)
        if problem:
            print(f"{name}: the two paths disagree ({problem})")
            return 1
        ratio = theirs_seconds / mine_seconds
        ok &= ratio >= GOAL_RATIO
        floor_seconds, _ = best_of(3, lambda n=name: scan(directory, *HEADLINE_COLUMNS[n]))
        print(
            f"{name:13} catalogue path {mine_seconds:6.2f} s   pandas (baseline) {theirs_seconds:6.2f} s"
            f"   ratio {ratio:5.1f}×   goal ≥ {GOAL_RATIO:.0f}×   {'ok' if ratio >= GOAL_RATIO else 'UNDER'}"
            f"\n{'':13} floor: one DuckDB scan of the columns pandas reads {floor_seconds:6.3f} s, so no "
            f"path that reads them is more than {theirs_seconds / floor_seconds:.1f}× faster than pandas"
        )
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
