"""Open data: each indicator's table as CSV, XLSX and JSON with Danish headers, plus a metadata file.

The published frame has the catalogue's long columns (indicator, breakdown, month, akasse, municipality,
group, numerator, denominator, value) and the publication's own: `flag` (primary | secondary | None, from
disclosure control) and `status` (provisional | final). A flagged cell is written empty with its flag, never
as 0. The readers turn each file back into that frame, so a release can be checked and compared later.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from openpyxl import load_workbook

from akasse.domain.choices import Group
from akasse.publish.metadata import IndicatorInfo
from akasse.publish.releases import FINAL, PROVISIONAL
from akasse.publish.texts import BREAKDOWNS, FLAGS, STATUS
from akasse.reference import municipalities

#: Internal column -> Danish header, in the order written.
HEADERS: dict[str, str] = {
    "indicator": "Indikator",
    "breakdown": "Opdeling",
    "month": "Måned",
    "akasse": "A-kasse",
    "municipality": "Kommunekode",
    "municipality_name": "Kommune",
    "group": "Gruppe",
    "numerator": "Tæller",
    "denominator": "Nævner",
    "value": "Værdi",
    "flag": "Diskretionering",
    "status": "Status",
}
COLUMN_DOCS = {
    "Indikator": "indikatorens id (se metadatafilen)",
    "Opdeling": "tabellens opdeling: " + ", ".join(f"{k} ({v[0]})" for k, v in BREAKDOWNS.items()),
    "Måned": "første dag i måneden (ÅÅÅÅ-MM-DD); tom i 'total'",
    "A-kasse": "a-kassens kortkode",
    "Kommunekode": "kommunekode (3 cifre)",
    "Kommune": "kommunens navn",
    "Gruppe": "Forsøg eller Normalindsats",
    "Tæller": "tæller (for andele) eller antal",
    "Nævner": "nævner for andele og gennemsnit; tom for antal",
    "Værdi": "tallet; tomt når cellen er diskretioneret",
    "Diskretionering": "'primær diskretionering' (1-4 personer) eller 'sekundær diskretionering'; tom ellers",
    "Status": "'foreløbig' første gang måneden udgives, 'endelig' ved udgivelsen en måned senere",
}
NUMBERS = ("numerator", "denominator", "value")
_GROUPS = {g.value: g.label_da for g in Group}
_DA = {
    "group": _GROUPS,
    "flag": {k: v[0] for k, v in FLAGS.items()},
    "status": {k: v[0] for k, v in STATUS.items()},
}
_FROM_DA = {column: {da: code for code, da in table.items()} for column, table in _DA.items()}
_SHEET_METADATA = "Metadata"


def open_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The published frame's rows as the open-data table: Danish headers and labels, flagged cells emptied."""
    rank = {b: i for i, b in enumerate(BREAKDOWNS)}  # tables in a fixed order, then by their keys
    out = rows.assign(_rank=rows["breakdown"].map(rank)).sort_values(
        ["_rank", "month", "akasse", "municipality", "group"], kind="stable", na_position="first"
    )
    flagged = out["flag"].notna()
    for column in NUMBERS:
        out[column] = as_published_number(out[column].astype("Float64").mask(flagged))
    out["month"] = pd.to_datetime(out["month"]).dt.date
    out["municipality"] = out["municipality"].astype("Int64")
    names = municipalities()
    out["municipality_name"] = out["municipality"].map(
        lambda code: names[code].name if code in names else None
    )
    for column in _DA:
        out[column] = danish_label(column, out[column])
    return out[list(HEADERS)].rename(columns=HEADERS).reset_index(drop=True)


def as_published_number(column: pd.Series) -> pd.Series:
    """Whole numbers without decimals (`12`, not `12.0`), other numbers as they are; NA stays NA."""
    numbers = column.astype("Float64")
    if numbers.dropna().mod(1).eq(0).all():
        return numbers.round().astype("Int64")
    values = [v if v is pd.NA or not float(v).is_integer() else int(v) for v in numbers.astype(object)]
    return pd.Series(values, index=column.index, dtype=object)


def danish_label(column: str, values: pd.Series) -> pd.Series:
    """Codes of `group`, `flag` or `status` as the Danish words the open data uses."""
    return values.map(_DA[column], na_action="ignore")


def write_indicator(
    folder: Path, info: IndicatorInfo, rows: pd.DataFrame, meta: dict[str, Any]
) -> list[Path]:
    """Write DIR/<id>.csv, .xlsx, .json and .metadata.json for one indicator; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table = open_table(rows)
    paths = [folder / f"{info.id}{suffix}" for suffix in (".csv", ".xlsx", ".json", ".metadata.json")]
    table.to_csv(paths[0], index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    _write_xlsx(paths[1], table, meta)
    _write_json(paths[2], table)
    paths[3].write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return paths


def metadata(
    info: IndicatorInfo, rows: pd.DataFrame, release_date: dt.date, threshold: int
) -> dict[str, Any]:
    """The metadata file's content: definition, unit, period rule, sources, release date, status by month."""
    monthly = rows.dropna(subset=["month"]).drop_duplicates("month").sort_values("month")
    status = {
        pd.Timestamp(m).date().isoformat(): s
        for m, s in zip(monthly["month"], monthly["status"], strict=True)
    }
    flags = rows["flag"].value_counts()
    return {
        "id": info.id,
        "navn": info.name_da,
        "name_en": info.name_en,
        "definition": info.definition_da,
        "definition_en": info.definition_en,
        "enhed": info.unit,
        "enhed_tekst": info.unit_da,
        "unit_en": info.unit_en,
        "periodisering": info.period_da,
        "period_rule_en": info.period_en,
        "kildetabeller": list(info.source_tables),
        "opdelinger": list(info.breakdowns),
        "udgivelsesdato": release_date.isoformat(),
        "status": STATUS[PROVISIONAL if PROVISIONAL in status.values() else FINAL][0],
        "foreløbige_måneder": [m for m, s in status.items() if s == PROVISIONAL],
        "endelige_måneder": [m for m, s in status.items() if s == FINAL],
        "diskretionering": {
            "tærskel": threshold,
            "primære_celler": int(flags.get("primary", 0)),
            "sekundære_celler": int(flags.get("secondary", 0)),
            "tabeller": _suppression_by_table(rows),
        },
        "kolonner": COLUMN_DOCS,
    }


def _suppression_by_table(rows: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per table (breakdown): cells published, and cells hidden by primary and by secondary suppression."""
    return {
        str(breakdown): {
            "celler": len(part),
            "primære": int((part["flag"] == "primary").sum()),
            "sekundære": int((part["flag"] == "secondary").sum()),
        }
        for breakdown, part in rows.groupby("breakdown", sort=False)
    }


def _write_xlsx(path: Path, table: pd.DataFrame, meta: dict[str, Any]) -> None:
    """One sheet per table (breakdown), Danish headers, months as dd-mm-åååå dates; then a metadata sheet.
    The workbook's creation date is the release date (`meta`'s udgivelsesdato).

    Written with XlsxWriter, column by column: openpyxl needs minutes for the national tables."""
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(str(path), options)
    # Dated by its release, not by the clock: rebuilding a release writes the same bytes (and checksums).
    book.set_properties({"created": dt.datetime.fromisoformat(meta["udgivelsesdato"])})
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "dd-mm-yyyy"})
    for breakdown, part in table.groupby("Opdeling", sort=False):
        sheet = book.add_worksheet(BREAKDOWNS.get(str(breakdown), (str(breakdown),))[0][:31])
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, list(table.columns), bold)
        for index, header in enumerate(table.columns):
            values = part[header].astype(object)
            sheet.write_column(
                1, index, values.where(values.notna(), None).tolist(), day if header == "Måned" else None
            )
    about = book.add_worksheet(_SHEET_METADATA)
    for index, (key, value) in enumerate(meta.items()):
        about.write_row(
            index,
            0,
            [key, json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value],
        )
    book.close()


def _write_json(path: Path, table: pd.DataFrame) -> None:
    """The rows as a JSON array of objects keyed by the Danish headers; empty cells are null."""
    out = table.assign(Måned=table["Måned"].map(lambda d: d.isoformat(), na_action="ignore"))
    out.to_json(path, orient="records", force_ascii=False)


def from_open_table(table: pd.DataFrame) -> pd.DataFrame:
    """An open-data table (Danish headers) back as the published frame (without the municipality name)."""
    missing = [h for h in HEADERS.values() if h not in table.columns]
    if missing:
        raise ValueError(f"missing column {missing[0]!r}")
    out = table.rename(columns={v: k for k, v in HEADERS.items()}).drop(columns="municipality_name")
    out["month"] = pd.to_datetime(out["month"])
    out["municipality"] = pd.to_numeric(out["municipality"]).astype("Int64")
    for column in NUMBERS:
        out[column] = pd.to_numeric(out[column]).astype("Float64")
    for column, table_ in _FROM_DA.items():
        out[column] = out[column].map(table_, na_action="ignore")
    return out


def read_csv(path: Path) -> pd.DataFrame:
    return from_open_table(
        pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
    )


def read_json(path: Path) -> pd.DataFrame:
    return from_open_table(
        pd.DataFrame(json.loads(path.read_text(encoding="utf-8")), columns=list(HEADERS.values()))
    )


def read_xlsx(path: Path) -> pd.DataFrame:
    """All table sheets of a workbook, in sheet order, as one published frame."""
    book = load_workbook(path, read_only=True)
    parts = []
    for sheet in book.worksheets:
        if sheet.title == _SHEET_METADATA:
            continue
        rows = list(sheet.iter_rows(values_only=True))
        parts.append(pd.DataFrame(rows[1:], columns=rows[0]))
    book.close()
    return from_open_table(pd.concat(parts, ignore_index=True))
