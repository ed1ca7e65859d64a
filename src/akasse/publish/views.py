"""View models of the site: the tables and chart series each page shows, cut from the published frame.

Kept apart from the HTML (templates/) and from the files (site.py) so the choices of what a page shows
(the headline series, the latest months, the order of rows) are plain functions of the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from akasse.domain.choices import Group
from akasse.publish.metadata import IndicatorInfo
from akasse.publish.releases import PROVISIONAL
from akasse.publish.texts import (
    BREAKDOWNS,
    format_month,
    format_value,
    group_label,
    is_missing,
    label,
    text,
)
from akasse.reference import municipalities

#: Indicators on the overview page, in this order, when the catalogue has them (else its first three):
#: the mid-term evaluation's figures (participants, 3+ conversations, referred out, CV within 14 days).
HEADLINE = ("participants", "share_3plus", "share_referred", "cv_within_14_days")
AKASSE_MONTHS = 6  # months shown per a-kasse page


@dataclass(frozen=True)
class Cell:
    text: str
    suppressed: bool = False


@dataclass(frozen=True)
class Row:
    header: str
    cells: list[Cell]
    provisional: bool = False
    link: str | None = None


@dataclass(frozen=True)
class TableView:
    caption: str
    corner: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def has_suppressed(self) -> bool:
        return any(c.suppressed for r in self.rows for c in r.cells)

    @property
    def has_provisional(self) -> bool:
        return any(r.provisional for r in self.rows)


def headline_ids(infos: dict[str, IndicatorInfo]) -> list[str]:
    chosen = [i for i in HEADLINE if i in infos]
    return chosen or list(infos)[:3]


def series(frame: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """The indicator's monthly series (month, value, series, status, flag), one line per group: trial beside
    normal effort where the catalogue breaks it down by group, else the month rows (the trial group)."""
    rows = frame[frame["indicator"] == indicator]
    lines = rows[rows["breakdown"] == "month_group"]
    if lines.empty:
        lines = rows[rows["breakdown"] == "month"]
    order = lines["group"].map({g.value: i for i, g in enumerate(Group)})
    lines = lines.assign(series=lines["group"].map(lambda g: group_label(g, lang)), _order=order)
    return lines.sort_values(["month", "_order"], kind="stable")[
        ["month", "value", "series", "status", "flag"]
    ]


def groups(info: IndicatorInfo, lang: str) -> list[str]:
    """The groups the indicator describes, labelled: trial and normal effort, or the trial alone."""
    covered = list(Group) if "month_group" in info.breakdowns else [Group.TRIAL]
    return [group_label(g.value, lang) for g in covered]


def series_table(data: pd.DataFrame, info: IndicatorInfo, lang: str) -> TableView:
    """The series as a table: one row per month (latest first), one column per group."""
    names = groups(info, lang)
    view = TableView(text("table_caption", lang, name=info.name(lang)), text("month", lang), names)
    for month, part in sorted(data.groupby("month"), key=lambda item: item[0], reverse=True):
        by_series = dict(zip(part["series"], zip(part["value"], part["flag"], strict=True), strict=True))
        cells = [_cell(by_series.get(s), info, lang) for s in names]
        view.rows.append(
            Row(format_month(month, lang), cells, provisional=(part["status"] == PROVISIONAL).any())
        )
    return view


def akasse_month_table(
    frame: pd.DataFrame, info: IndicatorInfo, lang: str, akasse_names: dict[str, str]
) -> TableView | None:
    """The indicator by a-kasse in the latest month with a figure shown, or None without a-kasse rows."""
    rows = frame[(frame["indicator"] == info.id) & (frame["breakdown"] == "month_akasse")]
    if rows.empty:
        return None
    latest = _latest_published(rows)
    rows = rows[rows["month"] == latest].sort_values("akasse")
    caption = text("akasse_caption", lang, name=info.name(lang), month=format_month(latest, lang))
    view = TableView(caption, text("akasse", lang), [text("value", lang)])
    provisional = bool((rows["status"] == PROVISIONAL).any())
    for row in rows.itertuples():
        view.rows.append(
            Row(
                akasse_names.get(row.akasse, row.akasse),
                [_cell((row.value, row.flag), info, lang)],
                provisional,
                link=f"../akasser/{row.akasse}.html",
            )
        )
    return view


def municipality_table(frame: pd.DataFrame, info: IndicatorInfo, akasse: str, lang: str) -> TableView | None:
    """The indicator by municipality for one a-kasse (jobindsats' appendix) in the latest month with a figure
    shown, or None without municipality rows."""
    rows = frame[
        (frame["indicator"] == info.id)
        & (frame["breakdown"] == "month_akasse_municipality")
        & (frame["akasse"] == akasse)
    ]
    if rows.empty:
        return None
    latest = _latest_published(rows)
    rows = rows[rows["month"] == latest]
    names = municipalities()
    named = rows.assign(name=rows["municipality"].map(lambda c: names[c].name if c in names else str(c)))
    caption = text("municipality_caption", lang, name=info.name(lang), month=format_month(latest, lang))
    view = TableView(caption, text("municipality", lang), [text("value", lang)])
    provisional = bool((rows["status"] == PROVISIONAL).any())
    for row in named.sort_values("name").itertuples():
        view.rows.append(Row(row.name, [_cell((row.value, row.flag), info, lang)], provisional))
    return view


def akasse_table(
    frame: pd.DataFrame, infos: dict[str, IndicatorInfo], akasse: str, name: str, lang: str
) -> TableView:
    """One a-kasse's indicators (rows) over its latest published months (columns, latest first)."""
    rows = frame[(frame["breakdown"] == "month_akasse") & (frame["akasse"] == akasse)]
    months = sorted(rows["month"].dropna().unique(), reverse=True)[:AKASSE_MONTHS]
    status = rows.drop_duplicates("month").set_index("month")["status"]
    columns = [format_month(m, lang) + ("*" if status.get(m) == PROVISIONAL else "") for m in months]
    view = TableView(text("akasse_table_caption", lang, name=name), text("indicator", lang), columns)
    for info in infos.values():
        mine = rows[rows["indicator"] == info.id]
        if mine.empty:
            continue
        found = dict(zip(mine["month"], zip(mine["value"], mine["flag"], strict=True), strict=True))
        cells = [_cell(found.get(m), info, lang) for m in months]
        view.rows.append(Row(info.name(lang), cells, link=f"../indikatorer/{info.id}.html"))
    return view


def _latest_published(rows: pd.DataFrame) -> pd.Timestamp:
    """The latest month with at least one cell not suppressed (else the latest month): a table whose every
    cell is '–' tells the reader nothing."""
    shown = rows.loc[rows["flag"].isna(), "month"]
    return shown.max() if not shown.empty else rows["month"].max()


def _cell(found: tuple[Any, Any] | None, info: IndicatorInfo, lang: str) -> Cell:
    """A (value, flag) pair as shown: suppressed '–'; a missing cell is 0 for a count (the catalogue writes
    no row for 0) and blank for a share or mean (nobody in the denominator)."""
    value, flag = found if found is not None else (None, None)
    if isinstance(flag, str):
        return Cell("–", suppressed=True)
    if is_missing(value) and not info.ratio:
        value = 0
    return Cell(format_value(value, info.unit, lang))


def month_range(data: pd.DataFrame, lang: str) -> tuple[str, str]:
    """The first and last month of a series, named in the language (for a chart's description)."""
    months = data["month"].dropna()
    return format_month(months.min(), lang), format_month(months.max(), lang)


def overview_table(frame: pd.DataFrame, infos: dict[str, IndicatorInfo], lang: str) -> TableView:
    """Every indicator with its latest published month, trial beside normal effort where it has both."""
    labels = [group_label(g.value, lang) for g in Group]
    view = TableView(text("indicators", lang), text("indicator", lang), [text("month", lang), *labels])
    for info in infos.values():
        data = series(frame, info.id, lang)
        cells = [Cell("")] * (len(labels) + 1)
        if not data.empty:
            latest = data[data["month"] == data["month"].max()]
            found = dict(
                zip(latest["series"], zip(latest["value"], latest["flag"], strict=True), strict=True)
            )
            described = groups(info, lang)
            cells = [
                Cell(format_month(latest["month"].iloc[0], lang)),
                *(_cell(found.get(g), info, lang) if g in described else Cell("") for g in labels),
            ]
        view.rows.append(Row(info.name(lang), cells, link=f"indikatorer/{info.id}.html"))
    return view


def revision_rows(
    changed: pd.DataFrame,
    infos: dict[str, IndicatorInfo],
    lang: str,
    akasse_names: dict[str, str],
    limit: int,
) -> list[dict[str, str]]:
    """The first `limit` revisions as display rows (labels, formatted values; '–' for a suppressed value)."""
    names = municipalities()
    rows = []
    for r in changed.head(limit).itertuples():
        info = infos.get(r.indicator)
        unit = info.unit if info else ""
        rows.append(
            {
                "id": r.indicator,
                "name": info.name(lang) if info else r.indicator,
                "breakdown": label(BREAKDOWNS, r.breakdown, lang),
                "month": format_month(r.month, lang),
                "akasse": akasse_names.get(r.akasse, "") if isinstance(r.akasse, str) else "",
                "municipality": names[r.municipality].name if r.municipality in names else "",
                "group": group_label(r.group, lang) if isinstance(r.group, str) else "",
                "before": "–"
                if isinstance(r.flag_previous, str)
                else format_value(r.value_previous, unit, lang),
                "now": "–" if isinstance(r.flag_new, str) else format_value(r.value_new, unit, lang),
            }
        )
    return rows
