"""The event-table contract (akasse.events): refusals name table, row and column; writes all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from akasse import events
from akasse.events import EventSchemaError

D = dt.date


def persons() -> dict[str, list[Any]]:
    return {
        "person_id": ["p1", "p2"],
        "birth_date": [D(1990, 1, 1), D(1961, 12, 31)],
        "sex": ["F", "M"],
        "education": ["none", "higher"],
    }


def spells() -> dict[str, list[Any]]:
    return {
        "spell_id": ["s1", "s2", "s3"],
        "person_id": ["p1", "p2", "p2"],
        "akasse": ["HK", "3F", "BUPLA"],
        "municipality": [101, 147, 751],
        "notice_date": [D(2021, 2, 1), None, D(2021, 5, 3)],
        "unemployed_from": [D(2021, 3, 1), D(2021, 4, 6), None],
        "unemployed_to": [None, D(2021, 9, 30), None],
        "group": ["trial", "normal", "trial"],
        "covered_from": [D(2021, 2, 1), None, D(2021, 5, 3)],
        "covered_to": [D(2021, 5, 31), None, D(2021, 5, 20)],
        "visited_on": [D(2021, 3, 1), None, None],
        "exit_reason": ["handover", None, "job"],
        "referral_reason": [None, None, None],
    }


def conversations() -> dict[str, list[Any]]:
    return {
        "conversation_id": ["c1", "c2"],
        "spell_id": ["s1", "s1"],
        "person_id": ["p1", "p1"],
        "date": [D(2021, 3, 5), D(2021, 4, 12)],
        "held_by": ["akasse", "joint"],
        "purposes": [["cv", "job"], ["joint"]],
        "mode": ["in_person", "video"],
        "jobs_presented": [2, 0],
    }


def weekly_status() -> dict[str, list[Any]]:
    return {
        "person_id": ["p1", "p1"],
        "spell_id": ["s1", "s1"],
        "week": [D(2021, 3, 1), D(2021, 3, 8)],  # both Mondays
        "status": ["benefit", "employed"],
    }


CORE = {"persons": persons, "spells": spells, "conversations": conversations, "weekly_status": weekly_status}


def polars_frames() -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(make()) for name, make in CORE.items()}


def refusal(name: str, frame: Any) -> EventSchemaError:
    with pytest.raises(EventSchemaError) as caught:
        events.validate(name, frame)
    return caught.value


def with_value(make: Any, column: str, row: int, value: Any) -> dict[str, list[Any]]:
    data = make()
    data[column][row] = value
    return data


# --- each refusal names table, row and column ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "column", "row", "problem"),
    [
        # value outside the choices, in a plain column and inside a list column (row of the list)
        ("persons", with_value(persons, "sex", 1, "X"), "sex", 1, "value 'X' not one of F, M"),
        (
            "persons",
            with_value(persons, "education", 0, "phd"),
            "education",
            0,
            "not one of none, vocational",
        ),
        ("spells", with_value(spells, "group", 2, "control"), "group", 2, "value 'control'"),
        ("spells", with_value(spells, "exit_reason", 1, "died"), "exit_reason", 1, "value 'died'"),
        ("spells", with_value(spells, "akasse", 1, "NOPE"), "akasse", 1, "value 'NOPE'"),
        ("spells", with_value(spells, "municipality", 0, 999), "municipality", 0, "value 999"),
        (
            "conversations",
            with_value(conversations, "purposes", 1, ["joint", "coffee"]),
            "purposes",
            1,
            "'coffee'",
        ),
        ("conversations", with_value(conversations, "held_by", 0, "union"), "held_by", 0, "value 'union'"),
        ("conversations", with_value(conversations, "mode", 1, "letter"), "mode", 1, "value 'letter'"),
        ("weekly_status", with_value(weekly_status, "status", 1, "retired"), "status", 1, "value 'retired'"),
        # null in a required column
        ("persons", with_value(persons, "birth_date", 1, None), "birth_date", 1, "null in a required column"),
        ("spells", with_value(spells, "group", 1, None), "group", 1, "null in a required column"),
        (
            "conversations",
            with_value(conversations, "purposes", 1, None),
            "purposes",
            1,
            "null in a required",
        ),
        # null inside a list and an empty list
        (
            "conversations",
            with_value(conversations, "purposes", 1, ["joint", None]),
            "purposes",
            1,
            "null value",
        ),
        ("conversations", with_value(conversations, "purposes", 0, []), "purposes", 0, "at least one value"),
        # impossible dates: out of the contract's range, and one date before the date it must follow
        (
            "persons",
            with_value(persons, "birth_date", 0, D(1850, 1, 1)),
            "birth_date",
            0,
            "impossible date 1850",
        ),
        (
            "spells",
            with_value(spells, "unemployed_to", 1, D(2021, 4, 5)),
            "unemployed_to",
            1,
            "unemployed_to 2021-04-05 is before unemployed_from 2021-04-06",
        ),
        (
            "spells",
            with_value(spells, "unemployed_from", 0, D(2021, 1, 31)),
            "unemployed_from",
            0,
            "unemployed_from 2021-01-31 is before notice_date 2021-02-01",
        ),
        (
            "spells",
            with_value(spells, "covered_to", 2, D(2021, 5, 2)),
            "covered_to",
            2,
            "is before covered_from",
        ),
        # week must be a Monday: 2021-03-09 is a Tuesday
        (
            "weekly_status",
            with_value(weekly_status, "week", 1, D(2021, 3, 9)),
            "week",
            1,
            "2021-03-09 is not a Monday",
        ),
        # an int that does not fit int16
        (
            "conversations",
            with_value(conversations, "jobs_presented", 1, 40_000),
            "jobs_presented",
            1,
            "does not fit",
        ),
        # a negative count
        (
            "conversations",
            with_value(conversations, "jobs_presented", 0, -1),
            "jobs_presented",
            0,
            "-1 is below 0",
        ),
    ],
)
def test_refusal_names_table_row_and_column(
    name: str, data: dict[str, list[Any]], column: str, row: int, problem: str
) -> None:
    error = refusal(name, pa.table(data) if name != "conversations" else pl.DataFrame(data))
    assert (error.table, error.row, error.column) == (name, row, column)
    assert str(error).startswith(f"table {name}, row {row}, column {column}: ")
    assert problem in str(error)


@pytest.mark.parametrize("column", ["person_id", "sex", "education"])
def test_missing_column_is_named(column: str) -> None:
    data = persons()
    del data[column]
    error = refusal("persons", pa.table(data))
    assert (error.table, error.column, error.row) == ("persons", column, None)
    assert str(error) == f"table persons, column {column}: missing column"


@pytest.mark.parametrize(
    ("name", "column", "values", "found"),
    [
        ("persons", "birth_date", ["1990-01-01", "1961-12-31"], "string"),  # a date written as text
        ("spells", "municipality", [101.0, 147.0, 751.0], "double"),
        ("conversations", "jobs_presented", [True, False], "bool"),
        ("conversations", "purposes", ["cv", "joint"], "string"),  # a string where a list is required
        ("persons", "sex", [1, 2], "int64"),
    ],
)
def test_wrong_type_is_named(name: str, column: str, values: list[Any], found: str) -> None:
    data = CORE[name]()
    data[column] = values
    error = refusal(name, pa.table(data))
    assert (error.table, error.column) == (name, column)
    assert f"type {found}" in str(error) and "expected" in str(error)


def test_datetime_with_a_time_of_day_is_refused_but_midnight_is_a_date() -> None:
    data = pd.DataFrame(persons())
    data["birth_date"] = pd.to_datetime(["1990-01-01", "1961-12-31"])
    assert events.validate("persons", data).column("birth_date").to_pylist() == [
        D(1990, 1, 1),
        D(1961, 12, 31),
    ]
    data["birth_date"] = pd.to_datetime(["1990-01-01 00:00", "1961-12-31 12:00"])
    error = refusal("persons", data)
    assert (error.table, error.row, error.column) == ("persons", 1, "birth_date")
    assert "1961-12-31 12:00:00 has a time of day" in str(error)


def test_pandas_column_of_mixed_values_is_named() -> None:
    data = pd.DataFrame(persons())
    data["person_id"] = ["p1", 2]
    error = refusal("persons", data)
    assert (error.table, error.column) == ("persons", "person_id")


def test_unknown_table_is_refused() -> None:
    error = refusal("people", pa.table(persons()))
    assert error.table == "people" and "unknown table" in str(error) and "persons" in str(error)


# --- what passes --------------------------------------------------------------------------------------


def test_nullable_choice_columns_accept_null() -> None:
    # exit_reason and referral_reason are null for spells that are still covered or never referred.
    result = events.validate("spells", pa.table(spells()))
    assert result.column("exit_reason").to_pylist() == ["handover", None, "job"]
    assert result.column("referral_reason").null_count == 3


@pytest.mark.parametrize("kind", ["arrow", "polars", "pandas"])
def test_frames_of_each_library_come_out_in_the_contract_schema(kind: str) -> None:
    data = conversations()
    frame = {"arrow": pa.table, "polars": pl.DataFrame, "pandas": pd.DataFrame}[kind](data)
    result = events.validate("conversations", frame)
    assert result.schema.equals(events.TABLES["conversations"].schema)
    assert result.column("purposes").to_pylist() == [["cv", "job"], ["joint"]]
    assert result.column("jobs_presented").type == pa.int16()


def test_other_arrow_layouts_of_strings_and_lists_are_accepted() -> None:
    data = pa.table(conversations())
    data = data.set_column(4, "held_by", data.column("held_by").cast(pa.string_view()))
    data = data.set_column(5, "purposes", data.column("purposes").cast(pa.large_list(pa.large_string())))
    result = events.validate("conversations", data)
    assert result.schema.equals(events.TABLES["conversations"].schema)
    assert result.column("held_by").to_pylist() == ["akasse", "joint"]


def test_polars_categorical_strings_are_accepted() -> None:
    frame = pl.DataFrame(persons()).with_columns(pl.col("sex").cast(pl.Categorical))
    assert events.validate("persons", frame).column("sex").to_pylist() == ["F", "M"]


def test_extra_columns_are_dropped() -> None:
    data = persons() | {"cpr": ["0101901234", "3112611234"]}
    assert "cpr" not in events.validate("persons", pa.table(data)).column_names


# --- write_tables, read_table, check_directory -----------------------------------------------------------


def test_round_trip(tmp_path: Path) -> None:
    frames = polars_frames()
    paths = events.write_tables(tmp_path, frames)
    assert sorted(paths) == sorted(CORE)
    assert events.check_directory(tmp_path) == {
        name: tmp_path / f"{name}.parquet" for name in events.CORE_TABLES
    }
    for name, make in CORE.items():
        back = events.read_table(tmp_path, name)
        assert back.schema.equals(events.TABLES[name].schema)
        assert back.to_pydict() == events.validate(name, pa.table(make())).to_pydict()
    assert events.read_table(tmp_path, "conversations").column("purposes").to_pylist() == [
        ["cv", "job"],
        ["joint"],
    ]


def test_write_tables_writes_nothing_when_one_table_is_refused(tmp_path: Path) -> None:
    frames = polars_frames()
    frames["weekly_status"] = pl.DataFrame(with_value(weekly_status, "week", 0, D(2021, 3, 7)))  # a Sunday
    target = tmp_path / "out"
    with pytest.raises(
        EventSchemaError, match=r"^table weekly_status, row 0, column week: 2021-03-07 is not a Monday"
    ):
        events.write_tables(target, frames)
    assert not target.exists()


def test_write_tables_leaves_an_existing_directory_untouched_when_refused(tmp_path: Path) -> None:
    events.write_tables(tmp_path, polars_frames())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    frames = polars_frames()
    frames["persons"] = pl.DataFrame(with_value(persons, "sex", 0, "?"))
    with pytest.raises(EventSchemaError, match="table persons, row 0, column sex"):
        events.write_tables(tmp_path, frames)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_read_table_validates_what_it_reads(tmp_path: Path) -> None:
    # A file written around the contract (not through write_tables) is refused on reading.
    data = pa.table(with_value(weekly_status, "status", 1, "holiday"))
    pq.write_table(data, tmp_path / "weekly_status.parquet")
    with pytest.raises(EventSchemaError, match="table weekly_status, row 1, column status: value 'holiday'"):
        events.read_table(tmp_path, "weekly_status")


def test_read_table_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(
        EventSchemaError, match=re.escape(f"table spells: file {tmp_path / 'spells.parquet'} not found")
    ):
        events.read_table(tmp_path, "spells")


def test_check_directory_refuses_wrong_type_missing_column_and_non_parquet(tmp_path: Path) -> None:
    events.write_tables(tmp_path, polars_frames())
    data = pa.table(persons()).set_column(1, "birth_date", pa.array(["1990-01-01", "1961-12-31"]))
    pq.write_table(data, tmp_path / "persons.parquet")
    with pytest.raises(
        EventSchemaError, match="table persons, column birth_date: type string in .*expected date32"
    ):
        events.check_directory(tmp_path)
    pq.write_table(pa.table(persons()).drop_columns(["sex"]), tmp_path / "persons.parquet")
    with pytest.raises(EventSchemaError, match="table persons, column sex: missing column in"):
        events.check_directory(tmp_path)
    (tmp_path / "persons.parquet").write_text("person_id,sex\n")
    with pytest.raises(EventSchemaError, match="table persons: file .* is not a Parquet file"):
        events.check_directory(tmp_path)


def test_check_directory_names_the_first_missing_core_table(tmp_path: Path) -> None:
    frames = polars_frames()
    del frames["conversations"]
    events.write_tables(tmp_path, frames)
    with pytest.raises(EventSchemaError, match="^table conversations: file .* not found"):
        events.check_directory(tmp_path)


# --- the documentation stays in sync ---------------------------------------------------------------------


def test_every_table_and_column_is_documented_in_data_model_md() -> None:
    text = (Path(__file__).parents[1] / "docs" / "data-model.md").read_text(encoding="utf-8")
    for name, spec in events.TABLES.items():
        section = re.search(rf"^## `{name}`\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
        assert section, f"docs/data-model.md has no section ## `{name}`"
        for col in spec.columns:
            assert f"| `{col.name}` |" in section.group(1), (
                f"docs/data-model.md: {name}.{col.name} not documented"
            )
