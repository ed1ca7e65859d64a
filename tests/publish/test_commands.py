"""`akasse publish` and `akasse serve-site`: the whole chain on the hand-made event fixture, and one
clear line (exit 2) for bad input with nothing written to SITE."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from akasse.cli import app
from akasse.publish.opendata import read_csv
from tests.analytics import fixture

runner = CliRunner()


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture.write(tmp_path_factory.mktemp("events"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, events: Path) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    result = runner.invoke(app, ["publish", str(events), "--out", str(out), "--release-date", "2022-06-01"])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"Åbn {(out / 'da' / 'index.html').resolve()}" in result.stdout
    return out


def test_publish_writes_every_catalogue_indicator_with_its_metadata(site):
    from akasse.analytics.indicators import CATALOGUE

    manifest = json.loads((site / "releases/2022-06-01/manifest.json").read_text(encoding="utf-8"))
    assert manifest["indicators"] == [i.id for i in CATALOGUE]
    for indicator in CATALOGUE:
        for suffix in (".csv", ".xlsx", ".json", ".metadata.json"):
            assert f"data/{indicator.id}{suffix}" in manifest["files"]
        assert (site / "da" / "indikatorer" / f"{indicator.id}.html").exists()
    meta = json.loads(
        (site / "releases/2022-06-01/data/share_3plus.metadata.json").read_text(encoding="utf-8")
    )
    assert meta["navn"] == "Andel med mindst 3 samtaler blandt dem med fulde 3 måneder"
    assert meta["periodisering"] == "Hændelsestid: måneden for spells.covered_to"
    assert meta["kildetabeller"] == ["spells", "conversations"]


def test_published_person_counts_are_never_1_to_4(site):
    """The fixture is small, so disclosure control hides most person counts: none of 1..4 may be left."""
    from akasse.analytics.indicators import CATALOGUE

    for indicator in CATALOGUE:
        data = read_csv(site / "releases/2022-06-01/data" / f"{indicator.id}.csv")
        if indicator.numerator_persons:
            assert not data["numerator"].between(1, 4).any(), indicator.id
        if indicator.denominator is not None and indicator.denominator_persons:
            assert not data["denominator"].between(1, 4).any(), indicator.id
        hidden = data["flag"].notna()
        assert data.loc[hidden, ["numerator", "denominator", "value"]].isna().all().all(), indicator.id


def test_months_after_the_release_month_are_held_back(site, events):
    manifest = json.loads((site / "releases/2022-06-01/manifest.json").read_text(encoding="utf-8"))
    assert max(manifest["months"]) <= "2022-05-01"


def test_missing_event_table_is_one_line_naming_the_file_and_nothing_is_written(tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(app, ["publish", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"akasse: table persons: file {tmp_path}/persons.parquet not found"
    assert not out.exists()


def test_malformed_event_table_names_file_and_column_and_site_is_unchanged(tmp_path, events, site):
    broken = tmp_path / "events"
    broken.mkdir()
    for path in events.glob("*.parquet"):
        data = pq.read_table(path)
        if path.stem == "spells":
            data = data.drop_columns(["group"])
        pq.write_table(data, broken / path.name)
    before = _tree(site)
    result = runner.invoke(app, ["publish", str(broken), "--out", str(site), "--release-date", "2022-07-01"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"akasse: table spells, column group: missing column in {broken}/spells.parquet"
    )
    assert _tree(site) == before


@pytest.mark.parametrize(
    "arguments,message",
    [
        (
            ["--release-date", "01-06-2022"],
            "--release-date: '01-06-2022' is not a date (expected YYYY-MM-DD)",
        ),
        (["--threshold", "0"], "--threshold: 0 must be at least 1"),
    ],
)
def test_bad_options_are_refused_in_one_line(tmp_path, events, arguments, message):
    out = tmp_path / "site"
    result = runner.invoke(app, ["publish", str(events), "--out", str(out), *arguments])
    assert result.exit_code == 2 and result.stderr.strip() == f"akasse: {message}"
    assert not out.exists()


def test_serve_site_refuses_a_folder_that_is_not_a_site(tmp_path):
    result = runner.invoke(app, ["serve-site", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a site built by `akasse publish`" in result.stderr
