"""The indicator catalogue on the hand-made fixture (tests/analytics/fixture.py), cut off at 2022-01-31.

Worked by hand (as_of 2022-01-31, so S6, visited 2022-02-07, is outside everything):
- contact periods (trial = coverage, normal = unemployment, open ends run to as_of): S1 P1 May–Aug 2021,
  S2 P2 Aug–Nov 2021, S3 P3 Oct–Nov 2020, S4 P4 Dec 2021–Jan 2022, S5 P5 Jan 2022, S8 P1 Nov 2021–Jan 2022,
  S9 P8 Aug–Nov 2020, S10 P9 Sep–Nov 2020, S11 P2 Nov 2021–Jan 2022; normal S7 P7 Sep 2021–Jan 2022.
- conversations in the contact period: all but C05 (before S2's coverage), C08 (after it) and C17 (after
  S10's): 14 trial (cv 5, availability 3, job 7, joint 3; akasse 11, joint 3; in person 7, phone 5,
  video 2) and 2 normal (C18, C19).
- requirements (trial-2020; deadline = last working day on or before the window end, counted when the
  deadline is on or before as_of and inside the contact period):
    S1 (notice 03-05 opens the a-kasse windows): cv 15-06-2021 met 20-05, availability and job ×2 and
      joint 31-08-2021 all met → 5/5
    S2: cv 16-08-2021 met 10-08 (C05 on 28-07 is before the window); availability, job #1 met 15-09;
      job #2 met late 01-12 (deadline 01-11-2021); joint not held → 3/5
    S3, S4, S5, S11: only the cv requirement falls inside the period, never held → 0/1 each
    S8: cv 29-11-2021 met 20-11 → 1/1 (the rest fall due 14-02-2022, after as_of)
    S9: cv 14-09-2020 met; others 29-11-2020 is a Sunday → 27-11-2020: job #1 and joint met,
      availability and job #2 not → 3/5
    S10: cv and job #1 met 01-09-2020 (one conversation, two purposes), job #2 met 30-11-2020 on its
      deadline; availability and joint not → 3/5
  total 15/25; normal-2020 for S7: cv 15-09-2021 met 10-09, joint #1 30-11-2021 not held → 1/2.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from akasse.analytics.indicators import BY_ID, CATALOGUE, COLUMNS, SAME, SUMS, Breakdown, compute, rules
from akasse.analytics.records import latest_date
from akasse.analytics.tables import open_directory

AS_OF = dt.date(2022, 1, 31)
T, M, MA, MAM, MG = "total", "month", "month_akasse", "month_akasse_municipality", "month_group"


@pytest.fixture(scope="module")
def frame(events_dir: Path) -> pd.DataFrame:
    return compute(events_dir, as_of=AS_OF)


def m(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def cell(
    frame: pd.DataFrame,
    indicator: str,
    breakdown: str,
    month: str | None = None,
    akasse: str | None = None,
    municipality: int | None = None,
    group: str = "trial",
) -> pd.DataFrame:
    wanted = (frame.indicator == indicator) & (frame.breakdown == breakdown) & (frame.group == group)
    wanted &= frame.month.map(lambda v: v == (m(month) if month else None)).astype(bool)
    wanted &= frame.akasse.map(lambda v: v == akasse).astype(bool)
    wanted &= frame.municipality.isna() if municipality is None else (frame.municipality == municipality)
    return frame[wanted.fillna(False).astype(bool)]


EXPECTED = [
    # indicator, breakdown, month, akasse, municipality, group, numerator, denominator (None: a count)
    ("participants", T, None, None, None, "trial", 7, None),  # P1 P2 P3 P4 P5 P8 P9
    ("participants", M, "2020-08", None, None, "trial", 1, None),  # P8
    ("participants", M, "2020-10", None, None, "trial", 3, None),  # P3 P8 P9
    ("participants", M, "2021-11", None, None, "trial", 2, None),  # P2 (S2 and S11: once), P1
    ("participants", M, "2022-01", None, None, "trial", 4, None),  # P4 P5 P1 P2
    ("participants", MA, "2021-11", "HK", None, "trial", 1, None),
    ("participants", MA, "2021-11", "3F", None, "trial", 1, None),
    ("participants", MAM, "2022-01", "BUPLA", 147, "trial", 1, None),
    ("participants", MG, "2021-09", None, None, "normal", 1, None),  # P7
    ("participants", MG, "2022-01", None, None, "normal", 1, None),
    ("participants", MG, "2022-01", None, None, "trial", 4, None),
    ("visited", T, None, None, None, "trial", 9, None),
    ("visited", M, "2021-11", None, None, "trial", 2, None),  # S8, S11
    ("visited", MA, "2021-11", "HK", None, "trial", 1, None),
    ("visited", MAM, "2020-09", "MA", 751, "trial", 1, None),  # S10
    ("exits", T, None, None, None, "trial", 7, None),  # S8 ends after as_of, S4 runs on
    ("exits", M, "2020-11", None, None, "trial", 3, None),  # S3 job, S9 and S10 handed over
    ("exits", M, "2022-01", None, None, "trial", 2, None),  # S5 referred, S11 moved
    ("exits_job", T, None, None, None, "trial", 1, None),
    ("exits_handover", T, None, None, None, "trial", 4, None),
    ("exits_handover", M, "2020-11", None, None, "trial", 2, None),
    ("exits_referred", M, "2022-01", None, None, "trial", 1, None),
    ("exits_moved", MA, "2022-01", "HK", None, "trial", 1, None),
    ("referred_education_order", T, None, None, None, "trial", 1, None),
    ("referred_education_order", MAM, "2022-01", "FTFA", 101, "trial", 1, None),
    ("share_referred", T, None, None, None, "trial", 1, 9),
    ("share_referred", M, "2022-01", None, None, "trial", 1, 1),
    ("share_referred", M, "2021-11", None, None, "trial", 0, 2),
    ("share_3plus", T, None, None, None, "trial", 2, 4),  # S1 (4) and S9 (3) of S1 S2 S9 S10
    ("share_3plus", M, "2020-11", None, None, "trial", 1, 2),
    ("share_3plus", M, "2021-11", None, None, "trial", 0, 1),  # S2: 2 in coverage
    ("conversations", T, None, None, None, "trial", 14, None),
    ("conversations", M, "2020-09", None, None, "trial", 2, None),  # C12, C15
    ("conversations", M, "2021-08", None, None, "trial", 2, None),  # C04, C06
    ("conversations", MA, "2021-08", "HK", None, "trial", 1, None),
    ("conversations", MG, "2021-10", None, None, "normal", 1, None),  # C19
    ("conversations_cv", T, None, None, None, "trial", 5, None),
    ("conversations_availability", T, None, None, None, "trial", 3, None),
    ("conversations_job", T, None, None, None, "trial", 7, None),
    ("conversations_job", M, "2020-09", None, None, "trial", 1, None),  # C15 (cv and job)
    ("conversations_joint", T, None, None, None, "trial", 3, None),
    ("conversations_cv", MG, "2021-09", None, None, "normal", 1, None),  # C18
    ("conversations_by_akasse", T, None, None, None, "trial", 11, None),
    ("conversations_by_joint", T, None, None, None, "trial", 3, None),
    ("conversations_by_jobcentre", MG, "2021-10", None, None, "normal", 1, None),
    ("conversations_in_person", T, None, None, None, "trial", 7, None),
    ("conversations_phone", T, None, None, None, "trial", 5, None),
    ("conversations_video", T, None, None, None, "trial", 2, None),
    ("conversations_video", MAM, "2021-12", "3F", 101, "trial", 1, None),  # C10
    ("conversations_per_participant", T, None, None, None, "trial", 14, 7),
    ("conversations_per_participant", M, "2020-08", None, None, "trial", 0, 1),
    ("conversations_per_participant", M, "2022-01", None, None, "trial", 1, 4),
    ("conversations_per_participant", MG, "2021-11", None, None, "normal", 0, 1),
    ("jobs_presented", T, None, None, None, "trial", 3, None),  # P1 (C02 C03 C10), P2 (C07), P9 (C15)
    ("jobs_presented", M, "2021-09", None, None, "trial", 1, None),
    ("jobs_presented", MG, "2021-10", None, None, "normal", 1, None),  # C19
    ("share_jobs_presented", T, None, None, None, "trial", 3, 7),
    ("share_jobs_presented", M, "2021-12", None, None, "trial", 1, 3),
    ("share_jobs_presented", M, "2020-09", None, None, "trial", 1, 2),
    ("met_on_time", T, None, None, None, "trial", 15, 25),
    ("met_on_time", M, "2020-11", None, None, "trial", 4, 8),  # S9 job #1 and joint, S10 job ×2
    ("met_on_time", M, "2021-08", None, None, "trial", 5, 5),  # S1's four, S2's cv
    ("met_on_time", M, "2021-11", None, None, "trial", 3, 5),  # S2 availability, job #1; S8 cv
    ("met_on_time", M, "2021-12", None, None, "trial", 0, 2),  # S4, S11 cv
    ("met_on_time", MG, "2021-09", None, None, "normal", 1, 1),
    ("met_on_time", MG, "2021-11", None, None, "normal", 0, 1),  # S7 joint #1
    ("met_on_time_cv", T, None, None, None, "trial", 5, 9),
    ("met_on_time_availability", T, None, None, None, "trial", 2, 4),
    ("met_on_time_job", T, None, None, None, "trial", 6, 8),
    ("met_on_time_joint", T, None, None, None, "trial", 2, 4),
    ("met_on_time_job", MA, "2021-11", "HK", None, "trial", 1, 2),  # S2: job #2 late
    ("cv_within_14_days", T, None, None, None, "trial", 5, 9),
    ("cv_within_14_days", M, "2021-11", None, None, "trial", 1, 2),  # S8 yes, S11 no
    ("cv_within_14_days", M, "2020-08", None, None, "trial", 1, 1),  # S9, by the month of U
    ("cv_within_14_days", MG, "2021-09", None, None, "normal", 1, 1),
    ("days_to_cv", T, None, None, None, "trial", 6, 5),  # 5 + 0 − 12 + 8 + 5 over S9 S10 S1 S2 S8
    ("days_to_cv", M, "2021-06", None, None, "trial", -12, 1),  # S1: in the notice period
    ("days_to_cv", MG, "2021-09", None, None, "normal", 9, 1),
]


@pytest.mark.parametrize(
    ("indicator", "breakdown", "month", "akasse", "municipality", "group", "numerator", "denominator"),
    EXPECTED,
)
def test_indicator_cells_match_hand_computed_values(
    frame: pd.DataFrame,
    indicator: str,
    breakdown: str,
    month: str | None,
    akasse: str | None,
    municipality: int | None,
    group: str,
    numerator: int,
    denominator: int | None,
) -> None:
    rows = cell(frame, indicator, breakdown, month, akasse, municipality, group)
    assert len(rows) == 1, rows
    row = rows.iloc[0]
    assert row.numerator == numerator
    if denominator is None:
        assert pd.isna(row.denominator) and row.value == numerator
    else:
        assert row.denominator == denominator
        assert row.value == pytest.approx(numerator / denominator)


def test_every_indicator_is_checked_by_hand() -> None:
    checked = {row[0] for row in EXPECTED}
    assert checked | {
        "exits_switched_akasse",
        "referred_long_term_risk",
        "referred_complex_challenges",
    } == set(BY_ID)


@pytest.mark.parametrize(
    ("indicator", "breakdown", "group"),
    [
        ("exits_switched_akasse", T, "trial"),  # nobody switched a-kasse
        ("referred_long_term_risk", T, "trial"),
        ("referred_complex_challenges", T, "trial"),
        ("conversations_by_jobcentre", T, "trial"),  # C08 and C17 fall after the coverage
    ],
)
def test_empty_cells_have_no_row(frame: pd.DataFrame, indicator: str, breakdown: str, group: str) -> None:
    assert cell(frame, indicator, breakdown, group=group).empty


def test_months_of_a_stock_run_to_as_of_and_no_further(frame: pd.DataFrame) -> None:
    months = frame[(frame.indicator == "participants") & (frame.breakdown == M)].month
    assert list(months) == [
        m(x)
        for x in (
            "2020-08",
            "2020-09",
            "2020-10",
            "2020-11",
            "2021-05",
            "2021-06",
            "2021-07",
            "2021-08",
            "2021-09",
            "2021-10",
            "2021-11",
            "2021-12",
            "2022-01",
        )
    ]
    assert list(frame[(frame.indicator == "participants") & (frame.breakdown == M)].numerator) == [
        1,
        2,
        3,
        3,
        1,
        1,
        1,
        2,
        1,
        1,
        2,
        3,
        4,
    ]


def test_without_as_of_the_latest_date_in_the_tables_is_the_cut_off(events_dir: Path) -> None:
    assert latest_date(open_directory(events_dir)) == dt.date(2022, 5, 6)  # S6's covered_to
    late = compute(events_dir, [BY_ID["visited"]])
    assert cell(late, "visited", T).numerator.iloc[0] == 10  # S6 (Feb 2022) now counts


def test_columns_and_types_follow_the_interface(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == [
        "indicator",
        "breakdown",
        "month",
        "akasse",
        "municipality",
        "group",
        "numerator",
        "denominator",
        "value",
    ]
    assert str(frame.municipality.dtype) == "Int64" and str(frame.numerator.dtype) == "Int64"
    assert str(frame.denominator.dtype) == "Int64" and frame.value.dtype == float
    assert all(isinstance(v, dt.date) and v.day == 1 for v in frame.month.dropna())
    assert frame[frame.breakdown == T].month.isna().all()
    assert set(frame[frame.breakdown != MG].group) == {"trial"}
    assert set(frame.breakdown) == {b.value for b in Breakdown}


def test_rows_are_sorted_in_catalogue_then_breakdown_order(frame: pd.DataFrame) -> None:
    order = {i.id: n for n, i in enumerate(CATALOGUE)}
    breakdowns = {b.value: n for n, b in enumerate(Breakdown)}
    keys = list(zip(frame.indicator.map(order), frame.breakdown.map(breakdowns), strict=True))
    assert keys == sorted(keys)


def _filled(rows: pd.DataFrame) -> pd.DataFrame:
    """Key columns with their nulls replaced, so that rows can be matched on them."""
    return rows.assign(
        month=rows.month.fillna("-"),
        akasse=rows.akasse.fillna("-"),
        municipality=rows.municipality.fillna(-1),
    )


def _sum_over(frame: pd.DataFrame, indicator: str, parts: str, total: str, keys: list[str]) -> None:
    """Rows of breakdown `parts` summed over the dimension that `total` lacks equal `total`'s rows."""
    part_rows = _filled(frame[(frame.indicator == indicator) & (frame.breakdown == parts)]).assign(one=1)
    total_rows = _filled(frame[(frame.indicator == indicator) & (frame.breakdown == total)]).assign(one=1)
    counts = ["numerator", "denominator"]
    summed = part_rows.groupby(keys or ["one"])[counts].sum(min_count=1)
    assert summed.astype("Float64").equals(total_rows.set_index(keys or ["one"])[counts].astype("Float64"))


@pytest.mark.parametrize(
    "indicator", [i for i in CATALOGUE if "akasse" in i.additive_over], ids=lambda i: i.id
)
def test_declared_additive_over_akasse_holds(frame: pd.DataFrame, indicator) -> None:
    _sum_over(frame, indicator.id, MA, M, ["month"])


@pytest.mark.parametrize(
    "indicator", [i for i in CATALOGUE if "municipality" in i.additive_over], ids=lambda i: i.id
)
def test_declared_additive_over_municipality_holds(frame: pd.DataFrame, indicator) -> None:
    _sum_over(frame, indicator.id, MAM, MA, ["month", "akasse"])


@pytest.mark.parametrize(
    "indicator", [i for i in CATALOGUE if "month" in i.additive_over], ids=lambda i: i.id
)
def test_declared_additive_over_month_holds(frame: pd.DataFrame, indicator) -> None:
    _sum_over(frame, indicator.id, M, T, [])


def test_distinct_persons_are_not_additive_over_months(frame: pd.DataFrame) -> None:
    months = frame[(frame.indicator == "participants") & (frame.breakdown == M)].numerator.sum()
    assert months == 25 and cell(frame, "participants", T).numerator.iloc[0] == 7
    with pytest.raises(AssertionError):  # the additivity check itself can fail
        _sum_over(frame, "participants", M, T, [])
    assert "month" not in BY_ID["participants"].additive_over


@pytest.mark.parametrize("declared", SUMS, ids=lambda s: f"{s.total}={'+'.join(s.parts)}")
def test_declared_sums_of_indicators_hold(frame: pd.DataFrame, declared) -> None:
    keys = ["breakdown", "month", "akasse", "municipality", "group"]
    parts = _filled(frame[frame.indicator.isin(declared.parts)]).groupby(keys).numerator.sum()
    total = _filled(frame[frame.indicator == declared.total]).set_index(keys).numerator
    joined = pd.concat([parts.rename("parts"), total.rename("total")], axis=1).fillna(0)
    assert (joined.parts == joined.total).all(), joined[joined.parts != joined.total]


def test_rules_for_disclosure_control() -> None:
    declared = rules(CATALOGUE)
    assert set(declared) == set(BY_ID)
    assert declared["participants"].numerator_persons and not declared["participants"].denominator_persons
    assert declared["participants"].additive_over == {"akasse", "municipality"}
    assert declared["visited"].additive_over == {"month", "akasse", "municipality"}
    assert declared["share_3plus"].numerator_persons and declared["share_3plus"].denominator_persons
    assert not declared["days_to_cv"].numerator_persons and declared["days_to_cv"].denominator_persons


def test_a_subset_of_indicators_computes_only_those(events_dir: Path) -> None:
    subset = compute(events_dir, [BY_ID["share_3plus"], BY_ID["exits"]], as_of=AS_OF)
    assert list(dict.fromkeys(subset.indicator)) == ["share_3plus", "exits"]
    assert set(subset[subset.indicator == "share_3plus"].breakdown) == {T, M, MA, MAM}


@pytest.mark.parametrize("declared", SAME, ids=lambda s: f"{s.a}.{s.layer}={s.b}.{s.b_layer}")
def test_declared_same_counts_hold(frame: pd.DataFrame, declared) -> None:
    keys = ["breakdown", "month", "akasse", "municipality", "group"]
    a = _filled(frame[frame.indicator == declared.a]).set_index(keys)[declared.layer]
    b = _filled(frame[frame.indicator == declared.b]).set_index(keys)[declared.b_layer]
    joined = pd.concat([a.rename("a"), b.rename("b")], axis=1).fillna(0)  # a missing row is a count of 0
    assert len(joined) >= len(a) > 0
    assert (joined.a == joined.b).all(), joined[joined.a != joined.b]


def test_no_spells_give_an_empty_frame_with_the_interface_columns(tmp_path: Path, events_dir: Path) -> None:
    shutil.copytree(events_dir, tmp_path, dirs_exist_ok=True)
    for name in ("spells", "conversations"):
        pq.write_table(pq.read_table(tmp_path / f"{name}.parquet").slice(0, 0), tmp_path / f"{name}.parquet")
    empty = compute(tmp_path, as_of=AS_OF)
    assert empty.empty and tuple(empty.columns) == COLUMNS
    with pytest.raises(ValueError, match="no dates"):
        compute(tmp_path)  # no cut-off given and none to be found
