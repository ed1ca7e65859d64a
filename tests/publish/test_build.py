"""Building releases into SITE: history kept, statuses by date, revisions, SITE untouched on failure."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from akasse.publish import build
from akasse.publish.build import MARKER, PublishError, publish_frame
from akasse.publish.opendata import read_csv
from akasse.publish.releases import ReleaseError
from tests.publish.conftest import INFOS, JAN, make_frame, row

FEB_RELEASE, MAR_RELEASE = dt.date(2022, 2, 10), dt.date(2022, 3, 10)


def _tree(site: Path) -> dict[str, str]:
    """Every file under SITE with its content hash: equal trees mean an untouched site."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _publish(frame: pd.DataFrame, site: Path, day: dt.date) -> build.Manifest:
    return publish_frame(frame, INFOS, site, day, threshold=5)


def _with_february(frame: pd.DataFrame) -> pd.DataFrame:
    feb = pd.Timestamp("2022-02-01")
    extra = [
        row("covered", "month", feb, numerator=190),
        row("covered", "month_group", feb, group="trial", numerator=190),
    ]
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    _publish(make_frame(), out, FEB_RELEASE)
    return out


def test_first_release_marks_every_month_provisional(site):
    manifest = json.loads((site / "releases/2022-02-10/manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous_release"] is None
    assert {m: v["status"] for m, v in manifest["months"].items()} == {
        "2021-11-01": "provisional",
        "2021-12-01": "provisional",
        "2022-01-01": "provisional",
    }
    data = read_csv(site / "releases/2022-02-10/data/covered.csv")
    assert set(data["status"]) == {"provisional"}
    assert "Dette er den første udgivelse" in (site / "da/revisioner.html").read_text(encoding="utf-8")


def test_next_release_a_month_later_makes_earlier_months_final_and_keeps_history(site):
    before = _tree(site / "releases/2022-02-10")
    _publish(_with_february(make_frame()), site, MAR_RELEASE)
    manifest = json.loads((site / "releases/2022-03-10/manifest.json").read_text(encoding="utf-8"))
    assert manifest["previous_release"] == "2022-02-10"
    assert {m: (v["first_published"], v["status"]) for m, v in manifest["months"].items()} == {
        "2021-11-01": ("2022-02-10", "final"),
        "2021-12-01": ("2022-02-10", "final"),
        "2022-01-01": ("2022-02-10", "final"),
        "2022-02-01": ("2022-03-10", "provisional"),
    }
    assert _tree(site / "releases/2022-02-10") == before  # an earlier release is never rewritten
    for path, digest in manifest["files"].items():
        assert hashlib.sha256((site / "releases/2022-03-10" / path).read_bytes()).hexdigest() == digest


def test_revisions_list_exactly_the_changed_cells_of_earlier_months(site):
    _publish(_with_february(make_frame(dec_3f_101=125)), site, MAR_RELEASE)  # December: 120 -> 125 in 3F, 101
    with (site / "releases/2022-03-10/revisions.csv").open(encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[0] == (
        "Indikator,Opdeling,Måned,A-kasse,Kommunekode,Gruppe,"
        "Værdi før,Værdi nu,Diskretionering før,Diskretionering nu"
    )
    assert lines[1:] == [
        "covered,month,2021-12-01,,,Forsøg,168,173,,",
        "covered,month_akasse,2021-12-01,3F,,Forsøg,165,170,,",
        "covered,month_akasse_municipality,2021-12-01,3F,101,Forsøg,120,125,,",
        "covered,month_group,2021-12-01,,,Forsøg,168,173,,",
    ]  # February is new, not a revision; unchanged cells are not listed
    page = (site / "da/revisioner.html").read_text(encoding="utf-8")
    assert "udgivelsen 10-02-2022" in page
    assert "<td>168</td><td>173</td>" in page and "<td>120</td><td>125</td>" in page


def test_a_cell_that_becomes_suppressed_is_a_revision(site):
    frame = make_frame()
    late = (frame["indicator"] == "share_cv_14_days") & (frame["group"] == "normal") & (frame["month"] == JAN)
    frame.loc[late, "flag"] = None  # a late registration: January's normal group grows from 3 to 6 persons
    frame.loc[late, ["numerator", "denominator", "value"]] = [4, 6, 4 / 6]
    _publish(frame, site, MAR_RELEASE)
    changed = pd.read_csv(
        site / "releases/2022-03-10/revisions.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert changed.to_dict("records") == [
        {
            "Indikator": "share_cv_14_days",
            "Opdeling": "month_group",
            "Måned": "2022-01-01",
            "A-kasse": "",
            "Kommunekode": "",
            "Gruppe": "Normalindsats",
            "Værdi før": "",
            "Værdi nu": "0.6666666666666666",
            "Diskretionering før": "primær diskretionering",
            "Diskretionering nu": "",
        }
    ]


def test_failure_while_building_leaves_site_untouched_and_no_staging_folder(site, monkeypatch):
    before = _tree(site)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while rendering")

    monkeypatch.setattr(build, "render_site", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _publish(_with_february(make_frame()), site, MAR_RELEASE)
    assert _tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


@pytest.mark.parametrize(
    "change,error,message",
    [
        (lambda f: f.drop(columns="value"), PublishError, "indicator frame: missing column 'value'"),
        (lambda f: f.drop(columns="flag"), PublishError, "missing column 'flag'"),
        (
            lambda f: f.assign(indicator=f["indicator"].replace("covered", "coverd")),
            PublishError,
            "column 'indicator': 'coverd' is not in the catalogue",
        ),
    ],
)
def test_bad_frame_is_refused_before_site_is_touched(site, change, error, message):
    before = _tree(site)
    with pytest.raises(error, match=message):
        _publish(change(make_frame()), site, MAR_RELEASE)
    assert _tree(site) == before


def test_release_dated_before_the_latest_is_refused_and_site_untouched(site):
    before = _tree(site)
    with pytest.raises(ReleaseError, match="before the latest release 2022-02-10"):
        _publish(make_frame(), site, dt.date(2022, 2, 9))
    assert _tree(site) == before


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("kære")
    with pytest.raises(PublishError, match="is not an akasse site"):
        _publish(make_frame(), folder, FEB_RELEASE)
    assert [p.name for p in folder.iterdir()] == ["letter.txt"]


def test_republishing_on_the_same_date_replaces_that_release(site):
    _publish(make_frame(dec_3f_101=125), site, FEB_RELEASE)
    assert sorted(p.name for p in (site / "releases").iterdir()) == ["2022-02-10"]
    data = read_csv(site / "releases/2022-02-10/data/covered.csv")
    dec = data[(data["breakdown"] == "month_akasse_municipality") & (data["month"] == "2021-12-01")]
    assert dec.loc[(dec["municipality"] == 101) & (dec["akasse"] == "3F"), "value"].tolist() == [125]
    assert (site / MARKER).exists()


def test_a_failed_swap_puts_the_previous_site_back(site, monkeypatch):
    """The swap is two renames (SITE aside, new folder in); if the second fails, SITE is restored."""
    before = _tree(site)
    real_replace = build.os.replace

    def replace(source, target):
        if Path(source).name.startswith(".site.building-"):
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(build.os, "replace", replace)
    with pytest.raises(OSError, match="No space left"):
        _publish(_with_february(make_frame()), site, MAR_RELEASE)
    assert _tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_revisions_page_shows_the_first_rows_and_points_to_the_full_csv(site, monkeypatch):
    from akasse.publish import site as site_module

    monkeypatch.setattr(site_module, "REVISIONS_SHOWN", 2)
    _publish(make_frame(dec_3f_101=125), site, MAR_RELEASE)
    page = (site / "en/revisioner.html").read_text(encoding="utf-8")
    assert "Showing the first 2 of 4 changes" in page
    assert page.count('<tr><th scope="row">') == 2
    assert 'all are in <a href="../releases/2022-03-10/revisions.csv" download>revisions.csv</a>.' in page
