"""Revisions: the published cells of earlier months whose value changed between two releases.

Late registrations change past months; STAR-style monitoring shows such changes openly. A cell counts as
revised when its value differs (beyond float noise), when it became or stopped being suppressed, or when it
appeared or disappeared in a month the earlier release already published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from akasse.publish.opendata import as_published_number, danish_label

KEYS = ["indicator", "breakdown", "month", "akasse", "municipality", "group"]
COLUMNS = [*KEYS, "value_previous", "value_new", "flag_previous", "flag_new"]
HEADERS = {
    "indicator": "Indikator",
    "breakdown": "Opdeling",
    "month": "Måned",
    "akasse": "A-kasse",
    "municipality": "Kommunekode",
    "group": "Gruppe",
    "value_previous": "Værdi før",
    "value_new": "Værdi nu",
    "flag_previous": "Diskretionering før",
    "flag_new": "Diskretionering nu",
}


def revisions(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Revised cells of the months `previous` published, sorted by indicator, breakdown and month."""
    published = previous["month"].dropna().unique()
    before = _keyed(previous[previous["month"].notna()])
    after = _keyed(current[current["month"].isin(published)])
    merged = before.merge(after, on=KEYS, how="outer", suffixes=("_previous", "_new"))
    old, new = merged["value_previous"].astype("Float64"), merged["value_new"].astype("Float64")
    both = old.notna() & new.notna()
    same_number = both & np.isclose(
        old.fillna(0).to_numpy(float), new.fillna(0).to_numpy(float), rtol=1e-9, atol=1e-12
    )
    both_empty = old.isna() & new.isna() & merged["in_previous"].eq(True) & merged["in_new"].eq(True)
    changed = merged.loc[~(same_number | both_empty), COLUMNS]
    changed["akasse"] = changed["akasse"].replace("", None)
    changed["group"] = changed["group"].replace("", None)
    changed["municipality"] = changed["municipality"].astype("Int64").replace(-1, pd.NA)
    return changed.sort_values(KEYS[:3], kind="stable").reset_index(drop=True)


def write_revisions(path: Path, changed: pd.DataFrame) -> None:
    """The revisions as CSV with Danish headers and labels (UTF-8 with BOM, like the open data)."""
    out = changed.assign(
        month=pd.to_datetime(changed["month"]).dt.date,
        value_previous=as_published_number(changed["value_previous"]),
        value_new=as_published_number(changed["value_new"]),
        group=danish_label("group", changed["group"]),
        flag_previous=danish_label("flag", changed["flag_previous"]),
        flag_new=danish_label("flag", changed["flag_new"]),
    )
    out.rename(columns=HEADERS).to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns with nulls made comparable (merge must match a missing a-kasse with a missing a-kasse)."""
    out = frame[[*KEYS, "value", "flag"]].copy()
    out["month"] = pd.to_datetime(out["month"])
    out["akasse"] = out["akasse"].astype("object").where(out["akasse"].notna(), "")
    out["group"] = out["group"].astype("object").where(out["group"].notna(), "")
    out["municipality"] = out["municipality"].astype("Int64").fillna(-1).astype("int64")
    out["in"] = True  # becomes in_previous / in_new: tells an absent cell from a suppressed one
    return out
