"""Disclosure control on a national-size catalogue frame, goal ≤ 3 s on 2 cores.

The frame has the shape of `akasse.analytics.indicators.compute` on the national data, at the size the
issue names: 100 months × 19 a-kasser × 98 municipalities × 20 indicators (stock counts, event counts with
a total over months, shares, and exits by five reasons that add up to exits), rows only where the count (or
the denominator) is above 0, with skewed cell sizes so that many cells are small. Baseline, measured in the
same run: one pandas group-by sum over the same rows and keys (reading the frame once).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd

from akasse.analytics.disclosure import IndicatorSum, Rule, protect
from akasse.analytics.indicators import COLUMNS

GOAL_SECONDS = 3.0
MONTHS, AKASSER, MUNICIPALITIES = 100, 19, 98
STOCK = Rule(additive_over=frozenset({"akasse", "municipality"}))
EVENT = Rule(additive_over=frozenset({"month", "akasse", "municipality"}))
REASONS = ("job", "handover", "referred", "moved", "switched")


def leaves(rng: np.random.Generator, mean: np.ndarray, share: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator per month × a-kasse × municipality (denominator = numerator for counts)."""
    den = rng.poisson(mean)
    num = den if share is None else rng.binomial(den, share)
    return num, den


def breakdowns(indicator: str, num: np.ndarray, den: np.ndarray | None, total: bool) -> list[pd.DataFrame]:
    """Every breakdown of one indicator from its month × a-kasse × municipality cells, empty rows left out."""
    shape = (MONTHS, AKASSER, MUNICIPALITIES)
    layers = {"numerator": num.reshape(shape)} | ({} if den is None else {"denominator": den.reshape(shape)})
    months = pd.period_range("2020-01", periods=MONTHS, freq="M").to_timestamp().date
    akasser = np.array([f"A{a:02d}" for a in range(AKASSER)])
    m, a, k = np.indices(shape)
    frames = []
    for breakdown, axes, keys in (
        (
            "month_akasse_municipality",
            (),
            {"month": months[m], "akasse": akasser[a], "municipality": 101 + k},
        ),
        ("month_akasse", (2,), {"month": months[m[:, :, 0]], "akasse": akasser[a[:, :, 0]]}),
        ("month", (1, 2), {"month": months[m[:, 0, 0]]}),
        *((("total", (0, 1, 2), {}),) if total else ()),
    ):
        summed = {name: values.sum(axis=axes) if axes else values for name, values in layers.items()}
        frame = pd.DataFrame(
            {key: np.ravel(v) for key, v in keys.items()} | {n: np.ravel(v) for n, v in summed.items()}
        )
        frames.append(frame[frame[list(summed)[-1]] > 0].assign(indicator=indicator, breakdown=breakdown))
    return frames


def national(seed: int = 2020) -> tuple[pd.DataFrame, dict[str, Rule], tuple[IndicatorSum, ...]]:
    rng = np.random.default_rng(seed)
    size = rng.gamma(0.5, 6.0, size=(1, AKASSER, MUNICIPALITIES)) * rng.uniform(0.5, 1.5, size=(MONTHS, 1, 1))
    frames, rules = [], {}
    for i in range(6):  # stock counts: participants and the like
        num, _ = leaves(rng, size * (1 + i), None)
        frames += breakdowns(f"stock_{i}", num, None, total=False)
        rules[f"stock_{i}"] = STOCK
    for i in range(4):  # event counts
        num, _ = leaves(rng, size * 0.5, None)
        frames += breakdowns(f"event_{i}", num, None, total=True)
        rules[f"event_{i}"] = EVENT
    for i in range(4):  # shares
        num, den = leaves(rng, size, 0.3 + 0.15 * i)
        frames += breakdowns(f"share_{i}", num, den, total=True)
        rules[f"share_{i}"] = EVENT
    parts = [leaves(rng, size * p, None)[0] for p in (0.4, 0.3, 0.05, 0.1, 0.05)]
    for reason, num in zip(REASONS, parts, strict=True):
        frames += breakdowns(f"exits_{reason}", num, None, total=True)
        rules[f"exits_{reason}"] = EVENT
    frames += breakdowns("exits", sum(parts), None, total=True)
    rules["exits"] = EVENT
    frame = pd.concat(frames, ignore_index=True)
    frame["group"] = "trial"
    frame["municipality"] = frame["municipality"].astype("Int64")
    if "denominator" not in frame:
        frame["denominator"] = np.nan
    frame["denominator"] = frame["denominator"].astype("Int64")
    frame["value"] = frame["numerator"] / frame["denominator"].astype(float).fillna(1.0)
    return frame[list(COLUMNS)], rules, (IndicatorSum("exits", tuple(f"exits_{r}" for r in REASONS)),)


def main() -> int:
    frame, rules, sums = national()
    started = time.perf_counter()
    protected = protect(frame, rules, sums=sums)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    frame.groupby(["indicator", "breakdown", "month", "akasse", "municipality", "group"], dropna=False)[
        ["numerator", "denominator"]
    ].sum()
    floor = time.perf_counter() - started
    report = protected.report.groupby("breakdown")[["cells", "primary", "secondary"]].sum()
    print(f"rows: {len(frame):,}; CPUs: {os.cpu_count()}; load average (1 min): {os.getloadavg()[0]:.1f}")
    print(report.to_string())
    print(
        f"protect (primary + secondary):    {seconds:7.2f} s   goal ≤ {GOAL_SECONDS:.0f} s"
        f"   {'ok' if seconds <= GOAL_SECONDS else 'OVER'}"
    )
    print(
        f"baseline group-by sum, same rows: {floor:7.2f} s   (protect = {seconds / floor:.1f} × the baseline)"
    )
    return 0 if seconds <= GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
