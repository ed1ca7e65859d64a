"""View models of the site: the tables and chart series each page shows, cut from the published frame.

Kept apart from the HTML (templates/) and from the files (site.py) so the choices of what a page shows
(the headline series, the latest months, the order of rows) are plain functions of the frame.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from akasse.publish.metadata import IndicatorInfo
from akasse.publish.releases import PROVISIONAL
from akasse.publish.texts import BREAKDOWNS, format_month, format_value, group_label, label, text
from akasse.reference import municipalities

#: Indicators on the overview page, in this order, when the catalogue has them (else its first three).
HEADLINE = ("covered", "conversations_per_participant", "share_3plus_conversations_full_period")
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
    """The indicator's monthly series (month, value, series, status, flag): the national total and, when the
    catalogue breaks it down by group, one line per group (trial beside normal effort)."""
    rows = frame[frame["indicator"] == indicator]
    total = rows[rows["breakdown"] == "month"].assign(series=text("total", lang))
    groups = rows[rows["breakdown"] == "month_group"]
    groups = groups.assign(series=groups["group"].map(lambda g: group_label(g, lang)))
    both = pd.concat([groups, total], ignore_index=True)
    return both[["month", "value", "series", "status", "flag"]].sort_values("month", kind="stable")


def series_table(data: pd.DataFrame, info: IndicatorInfo, lang: str) -> TableView:
    """The series as a table: one row per month (latest first), one column per series."""
    names = list(dict.fromkeys(data["series"]))
    view = TableView(text("table_caption", lang, name=info.name(lang)), text("month", lang), names)
    for month, part in sorted(data.groupby("month"), key=lambda item: item[0], reverse=True):
        by_series = dict(zip(part["series"], zip(part["value"], part["flag"], strict=True), strict=True))
        cells = [_cell(*by_series.get(s, (None, None)), info.unit, lang) for s in names]
        view.rows.append(
            Row(format_month(month, lang), cells, provisional=(part["status"] == PROVISIONAL).any())
        )
    return view


def akasse_month_table(
    frame: pd.DataFrame, info: IndicatorInfo, lang: str, akasse_names: dict[str, str]
) -> TableView | None:
    """The latest published month of the indicator by a-kasse, or None when it has no a-kasse breakdown."""
    rows = frame[(frame["indicator"] == info.id) & (frame["breakdown"] == "month_akasse")]
    if rows.empty:
        return None
    latest = rows["month"].max()
    rows = rows[rows["month"] == latest].sort_values("akasse")
    caption = text("akasse_caption", lang, name=info.name(lang), month=format_month(latest, lang))
    view = TableView(caption, text("akasse", lang), [text("value", lang)])
    provisional = bool((rows["status"] == PROVISIONAL).any())
    for row in rows.itertuples():
        view.rows.append(
            Row(
                akasse_names.get(row.akasse, row.akasse),
                [_cell(row.value, row.flag, info.unit, lang)],
                provisional,
                link=f"../akasser/{row.akasse}.html",
            )
        )
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
        cells = [_cell(*found.get(m, (None, None)), info.unit, lang) for m in months]
        view.rows.append(Row(info.name(lang), cells, link=f"../indikatorer/{info.id}.html"))
    return view


def latest_value(frame: pd.DataFrame, info: IndicatorInfo, lang: str) -> tuple[str, str]:
    """(month, value) of the indicator's national total in the latest published month; ('', '') if none."""
    rows = frame[(frame["indicator"] == info.id) & (frame["breakdown"] == "month")]
    if rows.empty:
        return "", ""
    row = rows.loc[rows["month"].idxmax()]
    return format_month(row["month"], lang), _cell(row["value"], row["flag"], info.unit, lang).text


def _cell(value: object, flag: object, unit: str, lang: str) -> Cell:
    """A suppressed cell shows '–' (never 0); a missing one is blank."""
    if isinstance(flag, str):
        return Cell("–", suppressed=True)
    return Cell(format_value(value, unit, lang))


def month_range(data: pd.DataFrame, lang: str) -> tuple[str, str]:
    months = data["month"].dropna()
    if months.empty:
        return "", ""
    first: dt.date = months.min()
    last: dt.date = months.max()
    return format_month(first, lang), format_month(last, lang)


def overview_table(frame: pd.DataFrame, infos: dict[str, IndicatorInfo], lang: str) -> TableView:
    """Every indicator with its national value in the latest published month."""
    view = TableView(
        text("indicators", lang), text("indicator", lang), [text("month", lang), text("value", lang)]
    )
    for info in infos.values():
        month, value = latest_value(frame, info, lang)
        view.rows.append(
            Row(
                info.name(lang),
                [Cell(month), Cell(value, suppressed=value == "–")],
                link=f"indikatorer/{info.id}.html",
            )
        )
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
