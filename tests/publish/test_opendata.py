"""Open data writers: CSV, XLSX and JSON round-trip with Danish headers; suppressed cells empty, flagged."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from akasse.publish.build import _flagged, _normalise
from akasse.publish.opendata import (
    HEADERS,
    as_published_number,
    metadata,
    read_csv,
    read_json,
    read_xlsx,
    write_indicator,
)
from tests.publish.conftest import DEC, INFOS, JAN, NOV

RELEASE = dt.date(2022, 2, 10)


@pytest.fixture
def published(frame: pd.DataFrame) -> pd.DataFrame:
    """The fixture as the publication holds it: normalised, flagged, Nov final and Dec/Jan provisional."""
    rows = _flagged(_normalise(frame, INFOS))
    rows["status"] = (
        rows["month"].map({NOV: "final", DEC: "provisional", JAN: "provisional"}).fillna("provisional")
    )
    return rows


def _written(tmp_path, published, indicator="covered"):
    info = INFOS[indicator]
    rows = published[published["indicator"] == indicator].reset_index(drop=True)
    paths = write_indicator(tmp_path, info, rows, metadata(info, rows, RELEASE, threshold=5))
    return rows, {p.name.removeprefix(f"{indicator}"): p for p in paths}


@pytest.mark.parametrize("reader,suffix", [(read_csv, ".csv"), (read_json, ".json"), (read_xlsx, ".xlsx")])
@pytest.mark.parametrize("indicator", ["covered", "share_cv_14_days"])
def test_each_format_reads_back_as_the_published_rows(tmp_path, published, reader, suffix, indicator):
    rows, paths = _written(tmp_path, published, indicator)
    keys = ["breakdown", "month", "akasse", "municipality", "group"]
    back = reader(paths[suffix]).sort_values(keys).reset_index(drop=True)
    expected = rows[back.columns.tolist()].sort_values(keys).reset_index(drop=True)
    assert len(back) == len(rows)
    pd.testing.assert_frame_equal(
        back.astype(object).where(back.notna(), None),
        expected.astype(object).where(expected.notna(), None),
        check_dtype=False,
    )


def test_csv_has_danish_headers_in_order_and_utf8_with_bom(tmp_path, published):
    _, paths = _written(tmp_path, published)
    raw = paths[".csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens æ, ø, å correctly
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "Indikator,Opdeling,Måned,A-kasse,Kommunekode,Kommune,Gruppe,Tæller,Nævner,Værdi,Diskretionering,Status"
    )


def test_suppressed_cells_are_empty_and_flagged_never_zero(tmp_path, published):
    _, paths = _written(tmp_path, published)
    with paths[".csv"].open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    hk_dec = [
        r
        for r in rows
        if r["A-kasse"] == "HK" and r["Måned"] == "2021-12-01" and r["Opdeling"] == "month_akasse"
    ]
    assert hk_dec == [hk_dec[0]]
    assert (hk_dec[0]["Tæller"], hk_dec[0]["Værdi"]) == ("", "")
    assert hk_dec[0]["Diskretionering"] == "primær diskretionering"
    secondary = [r for r in rows if r["Kommunekode"] == "147" and r["Måned"] == "2022-01-01"]
    assert (secondary[0]["Værdi"], secondary[0]["Diskretionering"]) == ("", "sekundær diskretionering")
    flagged = [r for r in rows if r["Diskretionering"]]
    assert len(flagged) == 6  # HK in Dec and Jan: municipality + a-kasse rows, and 3F in 147 as complement
    assert all(r["Værdi"] == "" and r["Tæller"] == "" for r in flagged)
    records = json.loads(paths[".json"].read_text(encoding="utf-8"))
    json_flagged = [r for r in records if r["Diskretionering"]]
    assert len(json_flagged) == 6 and all(r["Værdi"] is None and r["Tæller"] is None for r in json_flagged)


def test_unflagged_counts_are_written_as_whole_numbers(tmp_path, published):
    _, paths = _written(tmp_path, published)
    first = paths[".csv"].read_text(encoding="utf-8-sig").splitlines()[1]
    assert first == "covered,total,,,,,Forsøg,400,,400,,foreløbig"  # tables in order: total first
    third = paths[".csv"].read_text(encoding="utf-8-sig").splitlines()[2]
    assert third == "covered,month,2021-11-01,,,,Forsøg,170,,170,,endelig"


def test_xlsx_has_one_sheet_per_table_with_danish_headers_and_dates(tmp_path, published):
    _, paths = _written(tmp_path, published)
    book = load_workbook(paths[".xlsx"])
    assert book.sheetnames == [
        "I alt",
        "Måned",
        "Måned × a-kasse",
        "Måned × a-kasse × kommune",
        "Måned × gruppe",
        "Metadata",
    ]
    sheet = book["Måned × a-kasse"]
    assert [c.value for c in sheet[1]] == list(HEADERS.values())
    month = sheet["C2"]
    assert month.value == dt.datetime(2021, 11, 1) and month.number_format.lower() == "dd-mm-yyyy"
    hk_dec = [
        r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[3] == "HK" and r[2] == dt.datetime(2021, 12, 1)
    ]
    assert hk_dec[0][7] is None and hk_dec[0][9] is None and hk_dec[0][10] == "primær diskretionering"
    about = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    assert about["navn"] == "Omfattede personer" and about["udgivelsesdato"] == "2022-02-10"


def test_metadata_file_says_definition_unit_period_sources_release_and_status(tmp_path, published):
    _, paths = _written(tmp_path, published)
    meta = json.loads(paths[".metadata.json"].read_text(encoding="utf-8"))
    assert meta["definition"] == INFOS["covered"].definition_da
    assert meta["definition_en"] == INFOS["covered"].definition_en
    assert (meta["enhed"], meta["enhed_tekst"]) == ("persons", "personer")
    assert meta["periodisering"] == INFOS["covered"].period_da
    assert meta["kildetabeller"] == ["spells"]
    assert meta["udgivelsesdato"] == "2022-02-10"
    assert meta["status"] == "foreløbig"
    assert meta["endelige_måneder"] == ["2021-11-01"]
    assert meta["foreløbige_måneder"] == ["2021-12-01", "2022-01-01"]
    assert meta["diskretionering"] == {
        "tærskel": 5,
        "primære_celler": 4,
        "sekundære_celler": 2,
        "tabeller": {
            "month_akasse_municipality": {"celler": 9, "primære": 2, "sekundære": 2},
            "month_akasse": {"celler": 6, "primære": 2, "sekundære": 0},
            "month": {"celler": 3, "primære": 0, "sekundære": 0},
            "month_group": {"celler": 3, "primære": 0, "sekundære": 0},
            "total": {"celler": 1, "primære": 0, "sekundære": 0},
        },
    }


def test_a_table_without_a_danish_header_is_refused_naming_it(tmp_path, published):
    _, paths = _written(tmp_path, published)
    text = paths[".csv"].read_text(encoding="utf-8-sig").replace("Nævner", "Naevner", 1)
    broken = tmp_path / "broken.csv"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="missing column 'Nævner'"):
        read_csv(broken)


@pytest.mark.parametrize(
    "values,written",
    [
        ([12.0, 3.0, None], ["12", "3", ""]),
        ([33.0, 0.5, None], ["33", "0.5", ""]),  # a column mixing counts and shares (revisions)
        ([0.8712, 1.0], ["0.8712", "1"]),
    ],
)
def test_whole_numbers_are_written_without_decimals(values, written):
    column = as_published_number(pd.Series(values, dtype="Float64"))
    text = pd.DataFrame({"x": column}).to_csv(index=False).splitlines()[1:]
    assert [line.strip('"') for line in text] == written


def test_workbook_is_dated_by_its_release_so_a_rebuild_writes_the_same_bytes(tmp_path, published):
    _, first = _written(tmp_path / "first", published)
    _, second = _written(tmp_path / "second", published)
    assert load_workbook(first[".xlsx"]).properties.created == dt.datetime(2022, 2, 10)
    assert first[".xlsx"].read_bytes() == second[".xlsx"].read_bytes()
