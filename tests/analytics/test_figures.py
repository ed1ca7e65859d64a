"""Seed figures (issue 2 §5) on the hand-made fixture; every expected value is worked out in the comments."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from akasse.analytics.figures import SEED_FIGURES, seed_figures
from akasse.analytics.tables import open_directory
from akasse.cli import app
from akasse.events import EventSchemaError

# visited (visited_on in 2020-09-01 – 2022-01-31): S1 S2 S3 S4 S5 S8 S10 S11 = 8
#   (S6 visited 2022-02-07 and S9 visited 2020-08-31 are outside; S7 never visited).
# covered per month, distinct persons: Jul 2021 P1 (S1) = 1; Aug P1, P2 = 2; Sep P2 = 1; Oct P2 = 1;
#   Nov P2 (S2 to 01-11 and S11) + P1 (S8) = 2; Dec P4 (open-ended S4), P1, P2 = 3;
#   Jan 2022 P4, P5, P1, P2 = 4. Mean = 14 / 7 = 2.0.
# share_3plus among visited hand-overs S1 S2 S8 S10: S1 has 4 in coverage, S2 2 (C05 before covered_from,
#   C08 after covered_to), S8 3, S10 2 (C15 on covered_from and C16 on covered_to count, C17 the day after
#   not) → 2 / 4 = 0.5.
# share_referred: S5 of the 8 visited → 0.125.
EXPECTED = {
    "visited": {"value": 8, "published": 44589},
    "covered_per_month": {"value": 2.0, "published": 25000},
    "share_3plus": {"value": 0.5, "published": 0.87},
    "share_referred": {"value": 0.125, "published": 0.05},
}


def test_seed_figures_match_the_hand_computed_values(events_dir: Path) -> None:
    assert seed_figures(events_dir) == EXPECTED


def test_seed_figures_accept_opened_tables(events_dir: Path) -> None:
    assert seed_figures(open_directory(events_dir)) == EXPECTED


def test_visited_is_an_integer_for_json(events_dir: Path) -> None:
    assert isinstance(seed_figures(events_dir)["visited"]["value"], int)


@pytest.mark.parametrize(
    ("key", "value", "inside"),
    [
        ("visited", 44589 * 0.98, True),  # 43697.22: exactly −2 %
        ("visited", 43697, False),
        ("visited", 45480, True),  # +2 % = 45480.78
        ("visited", 45481, False),
        ("covered_per_month", 23750, True),  # −5 %
        ("covered_per_month", 23749.9, False),
        ("covered_per_month", 26250, True),
        ("share_3plus", 0.86, True),  # −1 point
        ("share_3plus", 0.8599, False),
        ("share_3plus", 0.88, True),
        ("share_referred", 0.04, True),
        ("share_referred", 0.0601, False),
        ("share_referred", None, False),  # nobody visited: no share, never inside
    ],
)
def test_tolerances_follow_issue_2(key: str, value: float | None, inside: bool) -> None:
    figure = next(f for f in SEED_FIGURES if f.key == key)
    assert figure.inside(value) is inside


def test_no_visited_spells_gives_no_shares(tmp_path: Path, events_dir: Path) -> None:
    shutil.copytree(events_dir, tmp_path, dirs_exist_ok=True)
    spells = pq.read_table(tmp_path / "spells.parquet")
    pq.write_table(spells.slice(0, 0), tmp_path / "spells.parquet")
    figures = seed_figures(tmp_path)
    assert figures["visited"]["value"] == 0
    assert figures["share_3plus"]["value"] is None
    assert figures["share_referred"]["value"] is None


runner = CliRunner()


def test_cli_json_is_the_seed_figures(events_dir: Path) -> None:
    result = runner.invoke(app, ["figures", str(events_dir), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EXPECTED


def test_cli_table_shows_danish_numbers_and_verdicts(events_dir: Path) -> None:
    result = runner.invoke(app, ["figures", str(events_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    assert lines["Visiteret til forsøget, sep. 2020 – jan. 2022"] == ["8", "44.589", "± 2\xa0%", "NEJ"]
    assert lines["Andel med 3+ samtaler blandt dem med fulde 3 mdr."] == [
        "50,0\xa0%",
        "87,0\xa0%",
        "± 1 procentpoint",
        "NEJ",
    ]


def test_cli_table_in_english(events_dir: Path) -> None:
    result = runner.invoke(app, ["figures", str(events_dir), "--lang", "en"], env={"COLUMNS": "200"})
    assert "Share referred out to the job centre or an education order" in result.stdout
    assert "12.5%" in result.stdout and "44,589" in result.stdout


def test_cli_refuses_a_missing_table_naming_the_file(tmp_path: Path, events_dir: Path) -> None:
    shutil.copytree(events_dir, tmp_path, dirs_exist_ok=True)
    (tmp_path / "conversations.parquet").unlink()
    result = runner.invoke(app, ["figures", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}/conversations.parquet not found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_column_of_the_wrong_type_is_refused_naming_file_and_column(
    tmp_path: Path, events_dir: Path
) -> None:
    shutil.copytree(events_dir, tmp_path, dirs_exist_ok=True)
    spells = pq.read_table(tmp_path / "spells.parquet")
    index = spells.schema.get_field_index("municipality")
    pq.write_table(
        spells.set_column(index, "municipality", spells["municipality"].cast("string")),
        tmp_path / "spells.parquet",
    )
    with pytest.raises(EventSchemaError) as error:
        open_directory(tmp_path)
    assert error.value.table == "spells" and error.value.column == "municipality"
    assert str(tmp_path / "spells.parquet") in str(error.value)
    result = runner.invoke(app, ["figures", str(tmp_path)])
    assert result.exit_code == 2 and "column municipality" in result.stderr


def test_cli_refuses_an_unknown_language(events_dir: Path) -> None:
    result = runner.invoke(app, ["figures", str(events_dir), "--lang", "de"])
    assert result.exit_code == 2 and "--lang" in result.stderr
