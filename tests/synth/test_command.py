"""`akasse simulate` and the parameter files: scales, refusals (one line, exit 2, nothing written)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akasse.cli import app
from akasse.events import CORE_TABLES
from akasse.synth.command import parse_scale
from akasse.synth.parameters import ParameterError, load_effects, load_parameters

runner = CliRunner()
SHIPPED = resources.files("akasse.synth").joinpath("parameters.toml")


@pytest.mark.parametrize(
    ("text", "scale"),
    [
        ("national", 1.0),
        ("small", 0.02),
        ("0.1", 0.1),
        ("2", 2.0),
        ("0", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("big", None),
        ("", None),
    ],
)
def test_parse_scale(text: str, scale: float | None) -> None:
    assert parse_scale(text) == scale


def test_simulate_writes_the_four_tables(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["simulate", "--scale", "0.002", "--seed", "4", "--out", str(tmp_path / "ev")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ev").iterdir()) == sorted(f"{t}.parquet" for t in CORE_TABLES)
    assert "Skrev" in result.stdout and "personer" in result.stdout


def test_simulate_speaks_english_on_request(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--scale", "0.002", "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0 and "Wrote" in result.stdout and "persons" in result.stdout


def _bad_parameters(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "parameters.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "big"], "akasse: --scale: 'big' is not national, small or a positive number"),
        (["--scale", "0"], "akasse: --scale: '0' is not national, small or a positive number"),
        (["--seed", "-3"], "akasse: --seed: -3 must be zero or positive"),
        (["--lang", "fr"], "akasse: --lang: 'fr' is not a language (known: da, en)"),
    ],
)
def test_bad_options_are_one_line_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "ev"
    result = runner.invoke(app, ["simulate", "--out", str(out), *args])
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert not out.exists()


def test_a_bad_parameter_names_file_and_field(tmp_path: Path) -> None:
    path = _bad_parameters(tmp_path, "complex_challenges_share = 0.04", "complex_challenges_share = 1.5")
    out = tmp_path / "ev"
    result = runner.invoke(
        app, ["simulate", "--scale", "0.002", "--out", str(out), "--parameters", str(path)]
    )
    assert result.exit_code == 2
    assert str(path) in result.stderr and "trial.complex_challenges_share" in result.stderr
    assert "1.5" in result.stderr and not out.exists()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            '3F = { profile = "workers", female = 0.35 }',
            '3F = { profile = "bakers", female = 0.35 }',
            "akasse.3F.profile",
        ),
        ("seasonal = [1.25, 1.0,", "seasonal = [1.0,", "inflow.seasonal"),
        ("first_start = 2017-09-01", 'first_start = "Sept 2017"', "window.first_start"),
        ("held = { cv = 0.97,", "held = { coffee = 0.5, cv = 0.97,", "regime.trial.held.coffee"),
        ("held = { cv = 0.97, availability = 0.95,", "held = { cv = 0.97,", "regime.trial.held"),
        ("sigma = 1.0\n", "", "duration.sigma"),
        ("from_55 = 1.7 }", "over_55 = 1.7 }", "duration.age"),
        ('"Sjælland" = 1.05, ', "", "duration.region"),
    ],
)
def test_parameter_refusals(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(ParameterError, match=field.replace(".", r"\.")):
        load_parameters(_bad_parameters(tmp_path, old, new))


def test_unknown_akasse_in_effects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "effects.toml"
    path.write_text("[period]\nfrom = 2020-09-01\nto = 2023-01-31\n[points]\nXYZ = -1.0\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"points\.XYZ: unknown a-kasse 'XYZ'"):
        load_effects(path)


def test_unreadable_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "effects.toml"
    path.write_text("[period\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=str(path)):
        load_effects(path)
