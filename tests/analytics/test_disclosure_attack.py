"""The attacker: for each protected table, an LP minimises and maximises every suppressed cell subject to
the published cells, the margins and non-negativity; every suppressed cell must keep an interval wider than
zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akasse.analytics import indicators
from akasse.analytics.attacker import disclosed, intervals
from akasse.analytics.disclosure import IndicatorSum, Rule, SameCount, protect
from akasse.analytics.linked_tables import CellSystem, cell_system
from tests.analytics.test_disclosure import (
    EVENT,
    SAME,
    STOCK,
    covered,
    handovers_and_share,
    participants_and_jobs_share,
    row,
)


def attack(frame: pd.DataFrame, rules: Rule | dict[str, Rule], **declared: object) -> list[tuple[int, float]]:
    """The cells an attacker pins down in the protected frame (the attacker sees only published values:
    `intervals` reads the values of published cells only)."""
    protected = protect(frame, rules, **declared)
    system = cell_system(frame, rules, **declared)
    rows = protected.frame["suppressed"].to_numpy()
    assert not exposed(system, rows)
    hidden = system.cells_of(rows)
    assert (hidden >= system.primary).all()
    return disclosed(system.relations, system.values, hidden, system.signed)


def exposed(system: CellSystem, rows: np.ndarray) -> set[int]:
    """Cells of suppressed rows that a published row shows (the same count in another table)."""
    return set(system.row_cells[rows].ravel()) & set(system.row_cells[~rows].ravel())


def hierarchy(indicator: str, months: dict[str, dict[str, dict[int, int]]], total: bool) -> pd.DataFrame:
    """Rows of every breakdown from month → a-kasse → municipality counts (the sums worked out here)."""
    rows = []
    for month, akasser in months.items():
        rows.append(row(indicator, "month", month, numerator=sum(sum(m.values()) for m in akasser.values())))
        for akasse, municipalities in akasser.items():
            rows.append(row(indicator, "month_akasse", month, akasse, numerator=sum(municipalities.values())))
            rows += [
                row(indicator, "month_akasse_municipality", month, akasse, code, numerator=n)
                for code, n in municipalities.items()
            ]
    if total:
        rows.append(
            row(indicator, "total", numerator=sum(r["numerator"] for r in rows if r["breakdown"] == "month"))
        )
    return pd.DataFrame(rows)


def test_hand_made_tables_withstand_the_attack() -> None:
    assert attack(covered(), {"covered": STOCK}) == []
    assert attack(handovers_and_share(), EVENT, same=SAME) == []


def test_single_suppressed_cell_in_a_row() -> None:
    # Only 3F is small in the month (3); without a complement 50 - 20 - 27 gives it away.
    frame = hierarchy(
        "x", {"2021-01": {"3F": {101: 3}, "HK": {101: 12, 147: 8}, "MA": {101: 27}}}, total=False
    )
    assert attack(frame, EVENT) == []
    system = cell_system(frame, EVENT)
    only_primary = system.cells_of(system.row_primary)
    assert {value for _, value in disclosed(system.relations, system.values, only_primary)} == {3.0}
    assert protect(frame, EVENT).report["secondary"].sum() >= 1


def test_cell_whose_row_and_column_each_have_one_other_small_cell() -> None:
    # Exits by reason × a-kasse in one month, linked both ways (reasons add up to exits, a-kasser to the
    # month). (3F, job) = 2 shares its row with (3F, moved) = 1 and its column with (HK, job) = 4:
    #            job  moved  handover | exits
    #    3F        2      1        20 |    23
    #    HK        4     15        12 |    31
    #    MA       30     10         9 |    49
    #    month    36     26        41 |   103
    table = {
        "job": {"3F": 2, "HK": 4, "MA": 30},
        "moved": {"3F": 1, "HK": 15, "MA": 10},
        "handover": {"3F": 20, "HK": 12, "MA": 9},
    }
    rows = []
    for reason, by_akasse in table.items():
        rows.append(row(f"exits_{reason}", "month", "2021-01", numerator=sum(by_akasse.values())))
        rows += [
            row(f"exits_{reason}", "month_akasse", "2021-01", a, numerator=n) for a, n in by_akasse.items()
        ]
    rows.append(row("exits", "month", "2021-01", numerator=103))
    rows += [
        row("exits", "month_akasse", "2021-01", a, numerator=sum(t[a] for t in table.values()))
        for a in ("3F", "HK", "MA")
    ]
    frame = pd.DataFrame(rows)
    sums = (IndicatorSum("exits", tuple(f"exits_{r}" for r in table)),)
    assert attack(frame, EVENT, sums=sums) == []
    out = protect(frame, EVENT, sums=sums).frame
    assert int((out["flag"] == "primary").sum()) == 3
    # Without the sum declared, the hidden pattern leaks through the exits table: the attacker who knows
    # that reasons add up to exits recovers cells.
    alone = protect(frame, EVENT).frame
    system = cell_system(frame, EVENT, sums=sums)
    assert disclosed(system.relations, system.values, system.cells_of(alone["suppressed"].to_numpy())) != []


def test_zeros_next_to_small_cells() -> None:
    # 3F = 3 + 0 + 0 (a zero is no complement), HK = 4 + 0 + 9, a share with zero numerators.
    months = {
        "2021-01": {"3F": {101: 3, 147: 0, 151: 0}, "HK": {101: 4, 147: 0, 151: 9}, "MA": {101: 0, 147: 25}}
    }
    frame = hierarchy("x", months, total=False)
    assert attack(frame, EVENT) == []
    share = pd.DataFrame(
        [
            row("s", "month", "2021-01", numerator=6, denominator=30),
            row("s", "month_akasse", "2021-01", "3F", numerator=0, denominator=3),
            row("s", "month_akasse", "2021-01", "HK", numerator=0, denominator=12),
            row("s", "month_akasse", "2021-01", "MA", numerator=6, denominator=15),
        ]
    )
    assert attack(share, EVENT) == []


def test_nested_hierarchy_over_several_months_with_a_total() -> None:
    months = {
        "2021-01": {"3F": {101: 3, 147: 9, 151: 11}, "HK": {101: 25}, "MA": {101: 4, 147: 8}},
        "2021-02": {"3F": {101: 2}, "HK": {101: 6, 147: 14}, "MA": {101: 18}},
        "2021-03": {"3F": {101: 40, 147: 1}, "HK": {101: 7, 147: 7}, "MA": {101: 2, 147: 2}},
    }
    frame = hierarchy("x", months, total=True)
    assert attack(frame, EVENT) == []
    out = protect(frame, EVENT)
    assert out.report["secondary"].sum() >= 4


#: Counts that two catalogue indicators share by definition (the same Measure): to move into
#: akasse.analytics.indicators beside SUMS.
CATALOGUE_SAME = (
    SameCount("conversations", "conversations_per_participant"),
    SameCount("participants", "conversations_per_participant", "numerator", "denominator"),
    SameCount("participants", "share_jobs_presented", "numerator", "denominator"),
    SameCount("jobs_presented", "share_jobs_presented"),
    SameCount("exits_handover", "share_3plus", "numerator", "denominator"),
    SameCount("visited", "share_referred", "numerator", "denominator"),
)


@pytest.mark.parametrize("same", [(), CATALOGUE_SAME], ids=["declared sums", "sums and equal counts"])
def test_the_catalogue_on_the_hand_made_fixture(events_dir: Path, same: tuple[SameCount, ...]) -> None:
    frame = indicators.compute(events_dir)
    rules = indicators.rules(indicators.CATALOGUE)
    assert attack(frame, rules, sums=indicators.SUMS, same=same) == []


SMALL = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 15, 30])


@st.composite
def catalogue(draw: st.DrawFn) -> tuple[pd.DataFrame, Rule]:
    """Random month × a-kasse × municipality counts (or shares) with all breakdowns, rows with 0 left out as
    the catalogue does."""
    n_months, n_akasser, n_municipalities = (draw(st.integers(1, 3)) for _ in range(3))
    share = draw(st.booleans())
    rows = []
    cells = {}
    for m in range(n_months):
        for a in range(n_akasser):
            for k in range(n_municipalities):
                den = draw(SMALL)
                num = draw(st.integers(0, den)) if share else den
                cells[m, a, k] = (num, den)

    def add(breakdown: str, keys: dict[str, object], members: list[tuple[int, int]]) -> None:
        num, den = sum(n for n, _ in members), sum(d for _, d in members)
        if den:
            rows.append(row("x", breakdown, numerator=num, denominator=den if share else None, **keys))

    months = [f"2021-0{m + 1}" for m in range(n_months)]
    add("total", {}, list(cells.values()))
    for m, month in enumerate(months):
        add("month", {"month": month}, [v for (mm, _, _), v in cells.items() if mm == m])
        for a in range(n_akasser):
            akasse = f"A{a}"
            add(
                "month_akasse",
                {"month": month, "akasse": akasse},
                [v for (mm, aa, _), v in cells.items() if (mm, aa) == (m, a)],
            )
            for k in range(n_municipalities):
                add(
                    "month_akasse_municipality",
                    {"month": month, "akasse": akasse, "municipality": 101 + k},
                    [cells[m, a, k]],
                )
    return pd.DataFrame(rows, columns=list(row("x", "total"))), EVENT if draw(st.booleans()) else STOCK


@settings(max_examples=40, deadline=None)
@given(catalogue())
def test_random_catalogues_withstand_the_attack(case: tuple[pd.DataFrame, Rule]) -> None:
    frame, rule = case
    assert attack(frame, rule) == []


@pytest.mark.parametrize("days", [-12, 30])
def test_signed_sums_have_no_lower_bound(days: int) -> None:
    # Days to the CV conversation summed (may be negative) over 3 persons: the attacker has no bound
    # from below, so a sum hidden with a partner stays open in both directions.
    frame = pd.DataFrame(
        [
            row("d", "month", "2021-01", numerator=days + 40, denominator=13),
            row("d", "month_akasse", "2021-01", "3F", numerator=days, denominator=3),
            row("d", "month_akasse", "2021-01", "HK", numerator=40, denominator=10),
        ]
    )
    rule = Rule(numerator_persons=False)
    assert attack(frame, rule) == []
    system = cell_system(frame, rule)
    hidden = system.cells_of(protect(frame, rule).frame["suppressed"].to_numpy())
    low, _ = intervals(system.relations, system.values, hidden, system.signed)
    numerator_3f = system.row_cells[1, 0]
    assert low[numerator_3f] == (-np.inf if days < 0 else 0.0)


def test_an_undetected_equal_count_would_leak() -> None:
    # Without equating the share's denominator with the participant count, the participants table
    # publishes the hidden denominators; with it (the default), nothing is recovered.
    frame = participants_and_jobs_share()
    assert attack(frame, STOCK) == []
    system = cell_system(frame, STOCK)
    alone = protect(frame, STOCK, detect_same=False).frame
    shown = exposed(system, alone["suppressed"].to_numpy())
    assert sorted(system.values[list(shown)]) == [25.0, 40.0]  # the hidden 3F and MA denominators


@st.composite
def exits_by_reason(draw: st.DrawFn) -> pd.DataFrame:
    """Random exits by two or three reasons over month × a-kasse × municipality, every breakdown, the
    total indicator beside them, and a share whose denominator is the exits count (an equal count)."""
    n_reasons, n_akasser, n_municipalities = (
        draw(st.integers(2, 3)),
        draw(st.integers(1, 3)),
        draw(st.integers(1, 3)),
    )
    counts = {
        (r, a, k): draw(SMALL)
        for r in range(n_reasons)
        for a in range(n_akasser)
        for k in range(n_municipalities)
    }
    met = {key: draw(st.integers(0, n)) for key, n in counts.items()}
    rows = []

    def add(
        indicator: str, breakdown: str, keys: dict[str, object], num: int, den: int | None = None
    ) -> None:
        if (den if den is not None else num) > 0:
            rows.append(row(indicator, breakdown, numerator=num, denominator=den, **keys))

    cells = [("month", {"month": "2021-01"}, lambda a, k: True)]
    cells += [
        ("month_akasse", {"month": "2021-01", "akasse": f"A{a}"}, lambda x, k, a=a: x == a)
        for a in range(n_akasser)
    ]
    cells += [
        (
            "month_akasse_municipality",
            {"month": "2021-01", "akasse": f"A{a}", "municipality": 101 + k},
            lambda x, y, a=a, k=k: (x, y) == (a, k),
        )
        for a in range(n_akasser)
        for k in range(n_municipalities)
    ]
    for breakdown, keys, inside in cells:
        for r in range(n_reasons):
            add(
                f"exits_{r}",
                breakdown,
                keys,
                sum(n for (rr, a, k), n in counts.items() if rr == r and inside(a, k)),
            )
        total = sum(n for (_, a, k), n in counts.items() if inside(a, k))
        add("exits", breakdown, keys, total)
        add("share_met", breakdown, keys, sum(n for (_, a, k), n in met.items() if inside(a, k)), total)
    return pd.DataFrame(rows, columns=list(row("x", "total")))


@settings(max_examples=60, deadline=None)
@given(exits_by_reason())
def test_random_exits_by_reason_with_an_equal_count_withstand_the_attack(frame: pd.DataFrame) -> None:
    sums = (IndicatorSum("exits", tuple(i for i in frame["indicator"].unique() if i.startswith("exits_"))),)
    assert attack(frame, EVENT, sums=sums) == []
