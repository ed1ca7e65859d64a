"""`akasse plan` (issue 2 §6): the JSON shape, the Danish/English table, today as default, refusals."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from akasse import cli
from akasse.cli import app

runner = CliRunner()
README = ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--held", "2023-04-10:cv,job"]


def plan_json(*args: str) -> dict:
    result = runner.invoke(app, ["plan", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_shape_of_the_readme_example() -> None:
    # U Fri 31 Mar 2023: cv by U+14d = Fri 14 Apr; others by U+3m-1d = Thu 29 Jun; hand-over U+3m = 30 Jun.
    window = {"window_start": "2023-03-31", "deadline": "2023-06-29"}
    assert plan_json(*README, "--as-of", "2023-04-12") == {
        "rulebook": "trial-2020",
        "handover": "2023-06-30",
        "requirements": [
            {
                "purpose": "cv",
                "held_by": "akasse",
                "index": 1,
                "window_start": "2023-03-31",
                "deadline": "2023-04-14",
                "status": "met",
                "met_by": "2023-04-10",
            },
            {
                "purpose": "availability",
                "held_by": "akasse",
                "index": 1,
                **window,
                "status": "due",
                "met_by": None,
            },
            {
                "purpose": "job",
                "held_by": "akasse",
                "index": 1,
                **window,
                "status": "met",
                "met_by": "2023-04-10",
            },
            {"purpose": "job", "held_by": "akasse", "index": 2, **window, "status": "due", "met_by": None},
            {"purpose": "joint", "held_by": "joint", "index": 1, **window, "status": "due", "met_by": None},
        ],
    }


def test_json_keys_are_exactly_the_issues() -> None:
    data = plan_json("--rulebook", "normal-2020", "--unemployed-from", "2021-08-31", "--as-of", "2021-09-01")
    assert list(data) == ["rulebook", "handover", "requirements"]
    assert data["handover"] is None  # the normal effort has no hand-over
    for row in data["requirements"]:
        assert list(row) == ["purpose", "held_by", "index", "window_start", "deadline", "status", "met_by"]
    # index counts from 1 within a purpose
    assert [(r["purpose"], r["index"]) for r in data["requirements"] if r["purpose"] == "joint"] == [
        ("joint", 1),
        ("joint", 2),
        ("joint", 3),
    ]


def test_notice_date_and_several_held_options() -> None:
    # trial-2020, N 15 Feb: a-kasse requirements open at N, so the cv conversation on 1 Mar (notice period)
    # meets cv; the joint conversation on 3 Jul is after the 29 Jun deadline: late.
    data = plan_json(
        "--rulebook",
        "trial-2020",
        "--unemployed-from",
        "2023-03-31",
        "--notice-date",
        "2023-02-15",
        "--held",
        "2023-03-01:cv",
        "--held",
        "2023-07-03:joint",
        "--as-of",
        "2023-07-03",
    )
    rows = {(r["purpose"], r["index"]): r for r in data["requirements"]}
    assert rows["cv", 1]["window_start"] == "2023-02-15"
    assert (rows["cv", 1]["status"], rows["cv", 1]["met_by"]) == ("met", "2023-03-01")
    assert (rows["joint", 1]["window_start"], rows["joint", 1]["status"]) == ("2023-03-31", "late")
    assert rows["job", 2]["status"] == "overdue"


def test_as_of_defaults_to_today() -> None:
    today = dt.date.today()
    base = ["--rulebook", "trial-2020", "--unemployed-from", today.isoformat()]
    assert plan_json(*base) == plan_json(*base, "--as-of", today.isoformat())
    # Unemployed from today: the cv window opened today, so it is due (its deadline is ≥ today).
    assert plan_json(*base)["requirements"][0]["status"] == "due"
    # Unemployed from tomorrow: nothing has opened yet today.
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    later = plan_json("--rulebook", "trial-2020", "--unemployed-from", tomorrow)
    assert {r["status"] for r in later["requirements"]} == {"upcoming"}


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich fixes the width when the console is made; widen it so that no label is folded."""
    monkeypatch.setattr(cli.console, "width", 160)


@pytest.mark.usefixtures("wide_console")
def test_table_is_danish_by_default_with_dates_as_dd_mm_yyyy() -> None:
    result = runner.invoke(app, ["plan", *README, "--as-of", "2023-04-12"])
    assert result.exit_code == 0
    for text in (
        "A-kasseforsøget 2020–2023",
        "overdragelse 30-06-2023",
        "Formål",
        "Frist",
        "CV-samtale",
        "14-04-2023",
        "10-04-2023",
        "Afholdt",
        "Skal afholdes",
        "Fællessamtale",
    ):
        assert text in result.stdout, text
    assert "2023-04-14" not in result.stdout


@pytest.mark.usefixtures("wide_console")
def test_table_in_english() -> None:
    result = runner.invoke(app, ["plan", *README, "--as-of", "2023-04-12", "--lang", "en"])
    assert result.exit_code == 0
    for text in (
        "A-kasse trial 2020–2023",
        "hand-over 30-06-2023",
        "Purpose",
        "Deadline",
        "CV conversation",
        "14-04-2023",
        "Met",
        "Due",
    ):
        assert text in result.stdout, text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rulebook", "trial-2027", "--unemployed-from", "2023-03-31"],
            "akasse: unknown rulebook 'trial-2027' (known: normal-2020, permanent-2024, trial-2020)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-02-30"],
            "akasse: --unemployed-from: '2023-02-30' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "31-03-2023"],
            "akasse: --unemployed-from: '31-03-2023' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--as-of", "tomorrow"],
            "akasse: --as-of: 'tomorrow' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--notice-date", "2023-2-1"],
            "akasse: --notice-date: '2023-2-1' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--notice-date", "2023-04-01"],
            "akasse: --notice-date: 2023-04-01 is after --unemployed-from 2023-03-31",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--held", "2023-04-10"],
            "akasse: --held: '2023-04-10' must be DATE:PURPOSE[,PURPOSE…]",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--held", "2023-04-31:cv"],
            "akasse: --held: '2023-04-31' is not a date (expected YYYY-MM-DD)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--held", "2023-04-10:cv,coffee"],
            "akasse: --held: unknown purpose 'coffee' (known: cv, availability, job, joint)",
        ),
        (
            ["--rulebook", "trial-2020", "--unemployed-from", "2023-03-31", "--lang", "fr"],
            "akasse: --lang: 'fr' is not a language (known: da, en)",
        ),
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    args: list[str], message: str, as_json: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.err_console, "width", 40)  # a narrow terminal must not wrap the message
    result = runner.invoke(app, ["plan", *args, *(["--json"] if as_json else [])])
    assert result.exit_code == 2
    assert result.stderr == message + "\n"  # one line, even on a narrow terminal
    assert result.stdout == ""
