"""A small catalogue frame in the shape of akasse.analytics.indicators.compute, written out by hand.

Two indicators over three months (Nov 2021 – Jan 2022): `covered` (persons) and `share_cv_14_days`
(share). Values are chosen so each test can name the cell it checks; suppressed cells carry a flag and NA.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from akasse.publish.metadata import IndicatorInfo

NOV, DEC, JAN = pd.Timestamp("2021-11-01"), pd.Timestamp("2021-12-01"), pd.Timestamp("2022-01-01")

INFOS = {
    "covered": IndicatorInfo(
        id="covered",
        name_da="Omfattede personer",
        name_en="Persons covered",
        definition_da="Personer omfattet af forsøget mindst én dag i måneden.",
        definition_en="Persons covered by the trial on at least one day of the month.",
        unit="persons",
        ratio=False,
        unit_da="personer",
        unit_en="persons",
        period_da="Bestand: hver måned, som perioden spells.covered_from–covered_to overlapper",
        period_en="Stock: every month the period spells.covered_from–covered_to overlaps",
        breakdowns=("total", "month", "month_akasse", "month_akasse_municipality", "month_group"),
        source_tables=("spells",),
    ),
    "share_cv_14_days": IndicatorInfo(
        id="share_cv_14_days",
        name_da="Andel med CV-samtale inden 14 dage",
        name_en="Share with CV conversation within 14 days",
        definition_da="Andel af nyledige, der har holdt CV-samtale senest 14 dage efter første ledighedsdag.",
        definition_en="Share of the newly unemployed with a CV conversation within 14 days.",
        unit="share",
        ratio=True,
        unit_da="andel",
        unit_en="share",
        period_da="Hændelsestid: måneden for spells.unemployed_from",
        period_en="Event time: the month of spells.unemployed_from",
        breakdowns=("month", "month_akasse", "month_group"),
        source_tables=("spells", "conversations"),
    ),
}


def row(
    indicator: str,
    breakdown: str,
    month: pd.Timestamp | None,
    *,
    akasse: str | None = None,
    municipality: int | None = None,
    group: str = "trial",  # as in compute(): the trial group outside month_group
    numerator: float,
    denominator: float | None = None,
    flag: str | None = None,
) -> dict[str, object]:
    value = numerator / denominator if denominator else numerator
    return {
        "indicator": indicator,
        "breakdown": breakdown,
        "month": month,
        "akasse": akasse,
        "municipality": municipality,
        "group": group,
        "numerator": numerator,
        "denominator": denominator,
        "value": None if flag else value,
        "flag": flag,
    }


def covered_rows(dec_3f_101: float = 120) -> list[dict[str, object]]:
    """`covered`: 3F in København (101) and Frederiksberg (147), HK in København; HK is small in Dec/Jan."""
    out = []
    for month, n3f_101, n3f_147, nhk in ((NOV, 100, 40, 30), (DEC, dec_3f_101, 45, 3), (JAN, 130, 50, 2)):
        hk_flag = "primary" if nhk < 5 else None
        f147 = "secondary" if hk_flag else None  # hides a second cell so the HK cell cannot be derived
        out += [
            row(
                "covered",
                "month_akasse_municipality",
                month,
                akasse="3F",
                municipality=101,
                numerator=n3f_101,
            ),
            row(
                "covered",
                "month_akasse_municipality",
                month,
                akasse="3F",
                municipality=147,
                numerator=n3f_147,
                flag=f147,
            ),
            row(
                "covered",
                "month_akasse_municipality",
                month,
                akasse="HK",
                municipality=101,
                numerator=nhk,
                flag=hk_flag,
            ),
            row("covered", "month_akasse", month, akasse="3F", numerator=n3f_101 + n3f_147),
            row("covered", "month_akasse", month, akasse="HK", numerator=nhk, flag=hk_flag),
            row("covered", "month", month, numerator=n3f_101 + n3f_147 + nhk),
            row("covered", "month_group", month, group="trial", numerator=n3f_101 + n3f_147 + nhk),
        ]
    out.append(row("covered", "total", None, numerator=400))
    return out


def share_rows() -> list[dict[str, object]]:
    out = []
    for month, (n_t, d_t), (n_n, d_n) in (
        (NOV, (80, 100), (30, 60)),
        (DEC, (90, 100), (33, 60)),
        (JAN, (87, 100), (2, 3)),
    ):
        normal_flag = "primary" if d_n < 5 else None
        out += [
            row("share_cv_14_days", "month_group", month, group="trial", numerator=n_t, denominator=d_t),
            row(
                "share_cv_14_days",
                "month_group",
                month,
                group="normal",
                numerator=n_n,
                denominator=d_n,
                flag=normal_flag,
            ),
            row("share_cv_14_days", "month", month, numerator=n_t + n_n, denominator=d_t + d_n),
            row("share_cv_14_days", "month_akasse", month, akasse="3F", numerator=n_t, denominator=d_t),
        ]
    return out


def make_frame(dec_3f_101: float = 120) -> pd.DataFrame:
    return pd.DataFrame(covered_rows(dec_3f_101) + share_rows())


@pytest.fixture
def frame() -> pd.DataFrame:
    return make_frame()


@pytest.fixture
def infos() -> dict[str, IndicatorInfo]:
    return dict(INFOS)


RELEASE = dt.date(2022, 2, 10)
