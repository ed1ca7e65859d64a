"""The event tables: the one definition of the pseudonymised Parquet contract (docs/data-model.md).

The web app's export, the synthetic generator and the analytics all read and write these tables through
this module. `validate` refuses a frame with a missing column, a wrong type, a value outside its choices or
an impossible date, naming the table, the row (0-based) and the column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from akasse.domain.choices import (
    Education,
    ExitReason,
    Group,
    HeldBy,
    Mode,
    Purpose,
    ReferralReason,
    Sex,
    WeeklyStatus,
)
from akasse.reference import akasser, municipalities

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


class EventSchemaError(ValueError):
    """A frame that breaks the event-table contract; `table`, `row` and `column` say where."""

    def __init__(self, table: str, column: str | None, row: int | None, problem: str):
        self.table, self.column, self.row = table, column, row
        where = (
            f"table {table}"
            + (f", row {row}" if row is not None else "")
            + (f", column {column}" if column else "")
        )
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool = False
    choices: tuple[str | int, ...] = ()  # allowed values (for list columns: of each element)
    doc: str = ""
    minimum: int | None = None  # smallest allowed value of an integer column

    @property
    def value_type(self) -> pa.DataType:
        """The type of one value: the element type for list columns."""
        return self.type.value_type if pa.types.is_list(self.type) else self.type


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    order: tuple[tuple[str, str], ...] = ()  # (earlier, later): when both are set, earlier <= later
    weekday: tuple[str, ...] = field(default=())  # date columns that must fall on a Monday

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    def path(self, directory: str | Path) -> Path:
        return Path(directory) / f"{self.name}.parquet"


def _values(kind: Any) -> tuple[str, ...]:
    return tuple(m.value for m in kind)


STR, DATE, LIST = pa.string(), pa.date32(), pa.list_(pa.string())

PERSONS = Table(
    "persons",
    "One row per person (pseudonymous).",
    (
        Column("person_id", STR, doc="pseudonymous id: keyed hash of the CPR number, never the CPR itself"),
        Column("birth_date", DATE),
        Column("sex", STR, choices=_values(Sex)),
        Column("education", STR, choices=_values(Education), doc="highest completed education"),
    ),
)

SPELLS = Table(
    "spells",
    "One row per spell: a notice period and/or unemployment spell of a member of an a-kasse.",
    (
        Column("spell_id", STR),
        Column("person_id", STR),
        Column("akasse", STR, choices=tuple(akasser()), doc="a-kasse short code (reference/akasser.toml)"),
        Column(
            "municipality",
            pa.int16(),
            choices=tuple(municipalities()),
            doc="3-digit municipality code of residence at the start (reference/municipalities.csv)",
        ),
        Column("notice_date", DATE, nullable=True, doc="date notice was given (opsagt); null when none"),
        Column(
            "unemployed_from",
            DATE,
            nullable=True,
            doc="first day of unemployment (U); null when work was found in the notice period",
        ),
        Column("unemployed_to", DATE, nullable=True, doc="last day of unemployment; null while ongoing"),
        Column("group", STR, choices=_values(Group), doc="trial or normal effort"),
        Column(
            "covered_from", DATE, nullable=True, doc="first day covered by the trial; null when never covered"
        ),
        Column("covered_to", DATE, nullable=True, doc="last day covered by the trial"),
        Column(
            "visited_on",
            DATE,
            nullable=True,
            doc="visitation into the trial on becoming unemployed; null if never",
        ),
        Column("exit_reason", STR, nullable=True, choices=_values(ExitReason), doc="why coverage ended"),
        Column(
            "referral_reason",
            STR,
            nullable=True,
            choices=_values(ReferralReason),
            doc="set when exit_reason = referred",
        ),
    ),
    order=(
        ("notice_date", "unemployed_from"),
        ("unemployed_from", "unemployed_to"),
        ("covered_from", "covered_to"),
    ),
)

CONVERSATIONS = Table(
    "conversations",
    "One row per conversation held.",
    (
        Column("conversation_id", STR),
        Column("spell_id", STR),
        Column("person_id", STR),
        Column("date", DATE),
        Column("held_by", STR, choices=_values(HeldBy)),
        Column("purposes", LIST, choices=_values(Purpose), doc="one or more purposes served"),
        Column("mode", STR, choices=_values(Mode)),
        Column("jobs_presented", pa.int16(), doc="concrete job postings presented", minimum=0),
    ),
)

WEEKLY_STATUS = Table(
    "weekly_status",
    "Weekly employment panel for 52 weeks after U (effect studies).",
    (
        Column("person_id", STR),
        Column("spell_id", STR),
        Column("week", DATE, doc="Monday of the week"),
        Column("status", STR, choices=_values(WeeklyStatus)),
    ),
    weekday=("week",),
)

SURVEY_INVITATIONS = Table(
    "survey_invitations",
    "One row per invitation to a satisfaction-survey wave.",
    (
        Column("invitation_id", STR),
        Column("person_id", STR),
        Column("spell_id", STR),
        Column("wave", STR, doc="wave id, e.g. 2021-09"),
        Column("invited_on", DATE),
    ),
)

SURVEY_RESPONSES = Table(
    "survey_responses",
    "One row per answered survey item.",
    (
        Column("invitation_id", STR),
        Column("responded_on", DATE),
        Column("item", STR, doc="question id"),
        Column("value", pa.int8(), nullable=True, doc="answer on the item's scale; null = don't know"),
    ),
)

JOB_PRESENTATIONS = Table(
    "job_presentations",
    "One row per concrete job posting presented to a member.",
    (
        Column("presentation_id", STR),
        Column("conversation_id", STR, nullable=True),
        Column("spell_id", STR),
        Column("person_id", STR),
        Column("date", DATE),
        Column("posting_id", STR),
        Column("occupation", STR, nullable=True, doc="DISCO-08 code of the posting"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PERSONS,
        SPELLS,
        CONVERSATIONS,
        WEEKLY_STATUS,
        SURVEY_INVITATIONS,
        SURVEY_RESPONSES,
        JOB_PRESENTATIONS,
    )
}
#: Tables every event directory must hold; the survey and job tables may be absent.
CORE_TABLES = ("persons", "spells", "conversations", "weekly_status")


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise EventSchemaError(name, None, None, f"unknown table (known: {', '.join(TABLES)})") from None


def validate(name: str, frame: Any) -> pa.Table:
    """The frame (PyArrow, Polars or pandas) as a PyArrow table in the contract's schema.

    Raises EventSchemaError naming the table, the row (0-based) and the column of the first problem found.
    """
    spec = table(name)
    data = _to_arrow(name, frame)
    missing = [c.name for c in spec.columns if c.name not in data.column_names]
    if missing:
        raise EventSchemaError(name, missing[0], None, "missing column")
    arrays = [_check_column(spec, col, data.column(col.name)) for col in spec.columns]
    result = pa.Table.from_arrays(arrays, schema=spec.schema)
    _check_order(spec, result)
    return result


def write_tables(directory: str | Path, frames: Mapping[str, Any]) -> dict[str, Path]:
    """Validate every frame, then write each as DIRECTORY/NAME.parquet.

    Nothing is written when one frame is refused: all are validated before the first write.
    """
    checked = {name: validate(name, frame) for name, frame in frames.items()}
    Path(directory).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in checked.items():
        paths[name] = TABLES[name].path(directory)
        pq.write_table(data, paths[name], compression="zstd")
    return paths


def read_table(directory: str | Path, name: str) -> pa.Table:
    """Read and validate one table from an event directory."""
    path = table(name).path(directory)
    if not path.exists():
        raise EventSchemaError(name, None, None, f"file {path} not found")
    return validate(name, pq.read_table(path))


def check_directory(directory: str | Path, names: tuple[str, ...] = CORE_TABLES) -> dict[str, Path]:
    """Check that the tables exist with the contract's columns and types (metadata only, no scan)."""
    paths = {}
    for name in names:
        spec = table(name)
        path = spec.path(directory)
        if not path.exists():
            raise EventSchemaError(name, None, None, f"file {path} not found")
        try:
            found = pq.read_schema(path)
        except (pa.ArrowInvalid, OSError) as error:
            raise EventSchemaError(name, None, None, f"file {path} is not a Parquet file ({error})") from None
        for col in spec.columns:
            if col.name not in found.names:
                raise EventSchemaError(name, col.name, None, f"missing column in {path}")
            if not found.field(col.name).type.equals(col.type):
                raise EventSchemaError(
                    name, col.name, None, f"type {found.field(col.name).type} in {path}, expected {col.type}"
                )
        paths[name] = path
    return paths


def _to_arrow(name: str, frame: Any) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    if hasattr(frame, "to_arrow"):  # Polars
        return frame.to_arrow()
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        # A pandas object column with mixed values: find it so the error names the column.
        for column in frame.columns:
            try:
                pa.array(frame[column], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as column_error:
                raise EventSchemaError(
                    name, str(column), None, f"mixed or unreadable values ({column_error})"
                ) from None
        raise EventSchemaError(name, None, None, f"not readable as a table ({error})") from None


def _check_column(spec: Table, col: Column, values: pa.ChunkedArray) -> pa.ChunkedArray:
    values = _cast(spec, col, values)
    if not col.nullable and values.null_count:
        raise EventSchemaError(spec.name, col.name, _first(pc.is_null(values)), "null in a required column")
    if pa.types.is_list(col.type):
        _check_list(spec, col, values)
    elif col.choices:
        # A null passes here: nullability was checked above.
        # (is_in answers False, not null, for a null whatever skip_nulls says: mask nulls out explicitly.)
        bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=_choice_set(col))))
        if pc.any(bad).as_py():
            row = _first(bad)
            raise EventSchemaError(spec.name, col.name, row, _not_a_choice(col, values[row].as_py()))
    if col.minimum is not None:
        below = pc.fill_null(pc.less(values, col.minimum), False)
        if pc.any(below).as_py():
            row = _first(below)
            raise EventSchemaError(spec.name, col.name, row, f"{values[row].as_py()} is below {col.minimum}")
    if pa.types.is_date(col.type):
        out_of_range = pc.fill_null(
            pc.or_(pc.less(values, pa.scalar(EARLIEST)), pc.greater(values, pa.scalar(LATEST))), False
        )
        if pc.any(out_of_range).as_py():
            row = _first(out_of_range)
            raise EventSchemaError(spec.name, col.name, row, f"impossible date {values[row].as_py()}")
        if col.name in spec.weekday:
            not_monday = pc.fill_null(pc.not_equal(pc.day_of_week(values), 0), False)
            if pc.any(not_monday).as_py():
                row = _first(not_monday)
                raise EventSchemaError(spec.name, col.name, row, f"{values[row].as_py()} is not a Monday")
    return values


def _check_list(spec: Table, col: Column, values: pa.ChunkedArray) -> None:
    """A list holds at least one value, no null values, and only values from the column's choices."""
    empty = pc.fill_null(pc.equal(pc.list_value_length(values), 0), False)
    if pc.any(empty).as_py():
        raise EventSchemaError(spec.name, col.name, _first(empty), "must hold at least one value")
    flat = pc.list_flatten(values)
    if not len(flat):
        return
    if flat.null_count:
        row = _parent_row(values, _first(pc.is_null(flat)))
        raise EventSchemaError(spec.name, col.name, row, "null value in the list")
    if col.choices:
        bad = pc.invert(pc.is_in(flat, value_set=_choice_set(col)))
        if pc.any(bad).as_py():
            index = _first(bad)
            raise EventSchemaError(
                spec.name, col.name, _parent_row(values, index), _not_a_choice(col, flat[index].as_py())
            )


def _parent_row(values: pa.ChunkedArray, element: int) -> int:
    """The row holding the `element`-th value of a list column (computed only when reporting)."""
    return int(pc.list_parent_indices(values)[element].as_py())


def _choice_set(col: Column) -> pa.Array:
    return pa.array(col.choices, type=col.value_type)


def _not_a_choice(col: Column, value: Any) -> str:
    shown = ", ".join(str(c) for c in col.choices)
    if len(col.choices) > 20:
        shown = ", ".join(str(c) for c in col.choices[:20]) + f", … ({len(col.choices)} in all)"
    return f"value {value!r} not one of {shown}"


def _cast(spec: Table, col: Column, values: pa.ChunkedArray) -> pa.ChunkedArray:
    if values.type.equals(col.type):
        return values
    if _same_kind(values.type, col.type):  # large/view string and list layouts (Polars) of the same data
        try:
            return values.cast(col.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise EventSchemaError(
                spec.name, col.name, None, f"type {values.type}, expected {col.type}"
            ) from None
    if pa.types.is_timestamp(values.type) and pa.types.is_date(col.type):
        # pandas/Polars datetimes at midnight are dates; anything else is a wrong type.
        timed = pc.fill_null(pc.not_equal(pc.cast(values, pa.date32()).cast(values.type), values), False)
        if pc.any(timed).as_py():
            row = _first(timed)
            problem = f"{values[row].as_py()} has a time of day, expected {col.type}"
            raise EventSchemaError(spec.name, col.name, row, problem)
        return pc.cast(values, pa.date32())
    compatible = (
        (pa.types.is_integer(values.type) and pa.types.is_integer(col.type))
        or (pa.types.is_null(values.type) and col.nullable)
        or (
            pa.types.is_dictionary(values.type)
            and _is_string(col.type)
            and _is_string(values.type.value_type)
        )
    )
    if not compatible:
        raise EventSchemaError(spec.name, col.name, None, f"type {values.type}, expected {col.type}")
    try:
        return values.cast(col.type, safe=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        for row in range(len(values)):
            try:
                pa.array([values[row].as_py()], type=values.type).cast(col.type, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                problem = f"{values[row].as_py()!r} does not fit {col.type}"
                raise EventSchemaError(spec.name, col.name, row, problem) from None
        raise


def _is_string(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def _is_list(kind: pa.DataType) -> bool:
    return bool(pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_list_view(kind))


def _same_kind(found: pa.DataType, expected: pa.DataType) -> bool:
    """Strings as strings, lists of strings as lists of strings, whatever their Arrow layout."""
    if _is_string(found) and _is_string(expected):
        return True
    return _is_list(found) and _is_list(expected) and _same_kind(found.value_type, expected.value_type)


def _check_order(spec: Table, data: pa.Table) -> None:
    for earlier, later in spec.order:
        wrong = pc.fill_null(pc.greater(data.column(earlier), data.column(later)), False)
        if pc.any(wrong).as_py():
            row = _first(wrong)
            first, second = data.column(earlier)[row].as_py(), data.column(later)[row].as_py()
            raise EventSchemaError(
                spec.name, later, row, f"impossible date: {later} {second} is before {earlier} {first}"
            )


def _first(mask: Any) -> int:
    return int(pc.index(mask, True).as_py())
