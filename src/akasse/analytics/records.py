"""The records behind the indicators and their aggregation per breakdown, in Ibis on any backend.

Each source is one Ibis table of records (a person's contact period, a conversation, a visitation, an exit, a
requirement) with the columns month (a month number, `periods.month_number`), akasse, municipality and group
(integer keys: `AKASSER`, `GROUPS`), plus its own. A stock's record (a contact period) also has last_month and
stands for one record in each month from month to last_month; it is counted by the changes it makes (+1, −1)
and summed up month by month, not spread over its months. Sources counted in distinct persons carry person_id,
spell_id and latest (orders a person's records within a month). A `Measure` counts a source's records per
cell: each source is read by one query (all its counts and sums), the fine cells (month × a-kasse ×
municipality × group) come back and the coarser breakdowns are added up from them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pandas as pd
from ibis import _, util

from akasse.analytics.periods import contact_spells, conversations_in_coverage, month_number, number_of_month
from akasse.analytics.requirements import requirement_plans
from akasse.analytics.tables import EventTables
from akasse.domain.choices import ExitReason, Group, Purpose
from akasse.events import EventSchemaError
from akasse.reference import akasser, trial_config

_TRIAL = Group.TRIAL.value


class Breakdown(StrEnum):
    TOTAL = "total"
    MONTH = "month"
    MONTH_AKASSE = "month_akasse"
    MONTH_AKASSE_MUNICIPALITY = "month_akasse_municipality"
    MONTH_GROUP = "month_group"

    @property
    def keys(self) -> tuple[str, ...]:
        """The dimension columns that identify a cell of this breakdown."""
        return {
            Breakdown.TOTAL: (),
            Breakdown.MONTH: ("month",),
            Breakdown.MONTH_AKASSE: ("month", "akasse"),
            Breakdown.MONTH_AKASSE_MUNICIPALITY: ("month", "akasse", "municipality"),
            Breakdown.MONTH_GROUP: ("month", "group"),
        }[self]


@dataclass(frozen=True)
class Measure:
    """A count over one source's records: rows (`count`), distinct persons a month (`persons`) or the sum of
    a column (`sum`), of the records where `where` holds."""

    source: str
    kind: Literal["count", "persons", "sum"] = "count"
    where: Callable[[ir.Table], ir.BooleanValue] | None = None
    column: str | None = None


@dataclass(frozen=True)
class Cells:
    """The wanted measures per cell: for each breakdown a frame of its keys (month as a month number),
    sorted by them, and one column per measure (named in `names`); a cell without records is absent."""

    frames: dict[Breakdown, pd.DataFrame]
    names: dict[Measure, str]

    def counts(self, measure: Measure, breakdown: Breakdown) -> npt.NDArray[np.int64]:
        counts: npt.NDArray[np.int64] = self.frames[breakdown][self.names[measure]].to_numpy()
        return counts


class Sources:
    """The records each measure counts, one Ibis table per source (module docstring).

    Only records of the months from `first` (default: the trial's start) to `as_of` (default: the latest
    date in the tables) are kept; periods still running end at `as_of`."""

    def __init__(self, tables: EventTables, as_of: dt.date | None, first: dt.date | None = None) -> None:
        self.tables = tables
        self.as_of = as_of if as_of is not None else latest_date(tables)
        self.first = first if first is not None else trial_config().start
        self._uploaded: str | None = None  # the view holding the interpreter's requirements
        self._held: list[ir.CachedTable] = []
        self._spans: dict[str, ir.Table] = {}
        self.hold_contact = True  # `aggregate` decides: held when more than one reader needs them

    @cached_property
    def contact(self) -> ir.Table:
        """Spells whose contact period overlaps [first, as_of], with open ends set to `as_of`: the columns
        that participants, conversations and the interpreter read, held by the backend with `hold_contact`
        (read from the files once)."""
        spells = contact_spells(self.tables.spells)
        spells = spells.filter(spells.contact_from <= self.as_of)
        spells = spells.mutate(contact_to=spells.contact_to.fill_null(self.as_of))
        spells = spells.filter(spells.contact_to >= self.first)
        lean = spells.select(
            "spell_id",
            "person_id",
            "municipality",
            "group",  # the interpreter's rulebook
            "contact_from",
            "contact_to",
            "unemployed_from",
            "notice_date",
            akasse_key=_akasse_key(spells),
            group_key=_group_key(spells.group),
        )
        return self._hold(lean) if self.hold_contact else lean

    def _hold(self, table: ir.Table) -> ir.Table:
        """`table` computed once and held by the backend until `release`."""
        held = table.cache()
        self._held.append(held)
        return held

    def release(self) -> None:
        """Drop what the backend holds for these sources: held tables, the interpreter's requirements."""
        for held in self._held:
            held.release()
        self._held.clear()
        if self._uploaded is not None:
            self.tables.backend.drop_view(self._uploaded, force=True)
            self._uploaded = None

    def spans(self, source: str, *, hold: bool = False) -> ir.Table:
        """The source's records in (a stock's: overlapping) the months [first, as_of]; with `hold`, computed
        once and held by the backend (for a source that several queries read)."""
        if source not in self._spans:
            records: ir.Table = getattr(self, f"_{source}")()
            last = records.last_month if "last_month" in records.columns else records.month
            first_month, last_month = number_of_month(self.first), number_of_month(self.as_of)
            spans = records.filter(records.month <= last_month, last >= first_month)
            self._spans[source] = self._hold(spans) if hold else spans
        return self._spans[source]

    def records(self, spans: ir.Table) -> ir.Table:
        """The records of `spans()` to count: an event's as it is; a stock's as the changes it makes to its
        cell's count (`change`), +1 in the first month of [first, as_of] it spans and −1 in the month after
        its last, which `_accumulated` sums up month by month (no row per person and month)."""
        if "last_month" not in spans.columns:
            return spans
        own = [c for c in spans.columns if c not in ("month", "last_month")]
        first, last = number_of_month(self.first), number_of_month(self.as_of)
        starts = spans.select(*own, month=ibis.greatest(spans.month, first), change=ibis.literal(1))
        ends = spans.select(*own, month=ibis.least(spans.last_month, last) + 1, change=ibis.literal(-1))
        return starts.union(ends)

    def _per_person_month(self, spans: ir.Table) -> ir.Table:
        """`records` of one record per person, month and group: the one that started last (then the highest
        spell id). A stock's spans that are their person's only one in the group (`single`) are that already;
        only the others are ranked, month by month."""
        if "last_month" not in spans.columns:
            return _first_per_person_month(spans)
        own = [c for c in spans.columns if c not in ("month", "last_month")]
        several = spans.filter(~spans.single)
        months = ibis.range(
            ibis.greatest(several.month, number_of_month(self.first)),
            ibis.least(several.last_month, number_of_month(self.as_of)) + 1,
        )
        first = _first_per_person_month(several.select(*own, month=months.unnest()))
        return self.records(spans.filter(spans.single)).union(
            self.records(first.select(*own, "month", last_month=first.month))
        )

    def _participants(self) -> ir.Table:
        contact = self.contact.select(*_CONTACT_KEYS, "contact_from", "contact_to")
        spells = contact.group_by(["person_id", "group"]).aggregate(spells=contact.count())
        contact = contact.inner_join(spells, ["person_id", "group"])
        return contact.select(
            *_KEYS,
            month=month_number(contact.contact_from),
            last_month=month_number(contact.contact_to),
            latest=contact.contact_from,
            single=contact.spells == 1,  # the person's only spell in the group: one record a month
        )

    def _conversations(self) -> ir.Table:
        contact = self.contact.select(*_CONTACT_KEYS, "contact_from", "contact_to")
        conversations = self.tables.conversations
        recent = conversations.filter(
            conversations.date >= self.first.replace(day=1), conversations.date <= self.as_of
        )
        held = recent.select("spell_id", "date", "purposes", "held_by", "mode", "jobs_presented").inner_join(
            contact, "spell_id"
        )
        held = held.filter((held.date >= held.contact_from) & (held.date <= held.contact_to))
        return held.select(
            *_KEYS,
            "purposes",
            "held_by",
            "mode",
            "jobs_presented",
            month=month_number(held.date),
            latest=held.date,
        )

    def _visitations(self) -> ir.Table:
        spells = self.tables.spells
        visited = spells.filter(spells.visited_on.notnull(), spells.visited_on <= self.as_of)
        return visited.select(
            "spell_id",
            "person_id",
            "municipality",
            "exit_reason",
            akasse=_akasse_key(visited),
            group=ibis.literal(_TRIAL_KEY),
            month=month_number(visited.visited_on),
            latest=visited.visited_on,
        )

    def _exits(self) -> ir.Table:
        spells = self.tables.spells
        ended = spells.filter(
            spells.covered_to.notnull(), spells.exit_reason.notnull(), spells.covered_to <= self.as_of
        )
        handed_over = ended.filter(ended.exit_reason == ExitReason.HANDOVER.value)
        counted = (
            conversations_in_coverage(
                self.tables.conversations.select("spell_id", "date"),
                handed_over.select("spell_id", "covered_from", "covered_to"),
            )
            .group_by("spell_id")
            .aggregate(n_conversations=lambda t: t.count())
        )
        joined = ended.left_join(counted, "spell_id")
        return joined.select(
            "spell_id",
            "person_id",
            "municipality",
            "exit_reason",
            "referral_reason",
            akasse=_akasse_key(joined),
            group=ibis.literal(_TRIAL_KEY),
            n_conversations=joined.n_conversations.fill_null(0),
            month=month_number(joined.covered_to),
            latest=joined.covered_to,
        )

    def _requirements(self) -> ir.Table:
        due = self._requirement_rows
        return due.select(*_REQUIREMENT_KEYS, "purpose", "on_time", month=month_number(due.deadline))

    def _cv_requirements(self) -> ir.Table:
        rows = self._requirement_rows
        cv = rows.filter(rows.purpose == Purpose.CV.value, rows.index == 1)
        return cv.select(
            *_REQUIREMENT_KEYS,
            "on_time",
            days=cv.met_by.delta(cv.unemployed_from, unit="day"),
            month=month_number(cv.unemployed_from),
        )

    @cached_property
    def _requirement_rows(self) -> ir.Table:
        """The requirements due in [first, as_of] inside the contact period, from the vectorised interpreter,
        with their spell's cell and start of unemployment: purpose, index, deadline, met_by, on_time (met on
        or before the deadline). Never counted in persons, so they carry no person."""
        contact = self.contact.filter(self.contact.unemployed_from.notnull())
        carry = ("akasse_key", "municipality", "group_key", "unemployed_from")
        plans = requirement_plans(self.tables.conversations, contact, self.first, self.as_of, carry=carry)
        self._uploaded = util.gen_name("akasse_requirements")
        return self.tables.backend.create_view(self._uploaded, ibis.memtable(plans), overwrite=True)

    def aggregate(self, wanted: Mapping[Breakdown, set[Measure]]) -> Cells:
        """Each measure per cell of the breakdowns (all measures in every breakdown any of them is wanted in).

        The engine reads the records once per source (all its counts and sums in one query) and once per
        distinct-person measure into month × a-kasse × municipality × group cells, which the coarser
        breakdowns add up here (each person counted once a month and group, so monthly person counts add up
        too); only the distinct persons of the whole period need a second query."""
        measures = sorted({m for batch in wanted.values() for m in batch}, key=repr)
        names = {measure: f"m{n}" for n, measure in enumerate(measures)}
        totals: dict[str, int] = {}
        parts = []
        batches = _batches(measures)
        reads = Counter(
            source
            for source, persons, _ in batches
            for _ in range(2 if persons in wanted.get(Breakdown.TOTAL, ()) else 1)
        )
        self.hold_contact = len({_CONTACT_READERS.get(source) for source in reads} - {None}) > 1
        for source, persons, batch in batches:
            spans = self.spans(source, hold=reads[source] > 1)
            if persons is None:
                records = self.records(spans)
                reductions = {names[m]: _reduce(records, m) for m in batch}
            else:
                if persons.where is not None:
                    spans = spans.filter(persons.where(spans))
                records = self._per_person_month(spans)
                reductions = {names[persons]: _reduce(records, Measure(source))}
                if persons in wanted.get(Breakdown.TOTAL, ()):
                    trial = spans.filter(spans.group == _TRIAL_KEY)
                    totals[names[persons]] = int(trial.person_id.nunique().execute())
            cells = _fine(records, reductions).execute()
            if "change" in records.columns:
                months = range(number_of_month(self.first), number_of_month(self.as_of) + 1)
                parts.append(_accumulated(cells, months))
            else:
                parts.append(cells)
        fine = _decoded(_together(parts, list(names.values())))
        trial = fine[fine["group"] == _TRIAL]
        frames = {}
        for breakdown in (b for b in Breakdown if wanted.get(b)):
            cells = fine if breakdown == Breakdown.MONTH_GROUP else trial
            keys = list(breakdown.keys)
            if keys:
                frame = cells.groupby(keys, sort=True)[list(names.values())].sum().reset_index()
            else:
                frame = cells[list(names.values())].sum().to_frame().T.astype("int64")
                distinct = [names[m] for m in measures if m.kind == "persons"]
                frame = frame.drop(columns=[d for d in distinct if d not in totals]).assign(**totals)
            frames[breakdown] = frame
        return Cells(frames, names)


def _batches(measures: list[Measure]) -> list[tuple[str, Measure | None, list[Measure]]]:
    """The measures grouped into queries: a source's counts and sums together, each persons count alone."""
    batches: dict[tuple[str, Measure | None], list[Measure]] = {}
    for measure in measures:
        persons = measure if measure.kind == "persons" else None
        batches.setdefault((measure.source, persons), []).append(measure)
    return [(source, persons, batch) for (source, persons), batch in batches.items()]


def _first_per_person_month(records: ir.Table) -> ir.Table:
    """One record per person, month and group: the one that started last (then the highest spell id)."""
    window = ibis.window(
        group_by=[records.person_id, records.month, records.group],
        order_by=[records.latest.desc(), records.spell_id.desc()],
    )
    ranked = records.mutate(_rank=ibis.row_number().over(window))
    return ranked.filter(ranked._rank == 0).drop("_rank")


def _together(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The fine cells of every query in one frame: a row per cell, a column per measure (0 where the query
    that counts it found no records in the cell)."""
    keys = pd.concat([part[list(_FINE_KEYS)] for part in parts], ignore_index=True).astype("int64")
    cell = keys.groupby(list(_FINE_KEYS), sort=False).ngroup().to_numpy()  # numbered as first seen
    cells = keys.drop_duplicates(ignore_index=True)
    counts = np.zeros((len(cells), len(columns)), dtype=np.int64)
    offset = 0
    for part in parts:  # each query has one row per cell: its cells' counts are set, not added
        rows = cell[offset : offset + len(part)]
        for name in part.columns.drop(list(_FINE_KEYS)):
            counts[rows, columns.index(name)] = part[name].fillna(0).to_numpy()
        offset += len(part)
    return pd.concat([cells, pd.DataFrame(counts, columns=columns)], axis=1)


def _accumulated(changes: pd.DataFrame, months: range) -> pd.DataFrame:
    """A stock's fine cells from the changes to them (`Sources.records`): each cell's running sum over the
    months."""
    counts = [c for c in changes.columns if c not in _FINE_KEYS]
    if changes.empty:
        return changes
    running = [
        changes.pivot_table(index=list(_CELL_KEYS), columns="month", values=c, aggfunc="sum", fill_value=0)
        .reindex(columns=months, fill_value=0)
        .cumsum(axis=1)
        .stack()
        .rename(c)
        for c in counts
    ]
    return pd.concat(running, axis=1).reset_index()


_CELL_KEYS = ("akasse", "municipality", "group")
#: The sources that read the contact spells, by reader (both requirement sources read the interpreter's rows).
_CONTACT_READERS = {
    "participants": "participants",
    "conversations": "conversations",
    "requirements": "interpreter",
    "cv_requirements": "interpreter",
}
_KEYS = ("spell_id", "person_id", *_CELL_KEYS)
_FINE_KEYS = ("month", *_CELL_KEYS)

#: A record's a-kasse and group are keys: their positions in the event contract's choices, integers that every
#: engine groups by faster than strings; the fine cells are decoded (`_decoded`).
AKASSER: tuple[str, ...] = tuple(akasser())
GROUPS: tuple[str, ...] = tuple(g.value for g in Group)
_TRIAL_KEY = GROUPS.index(_TRIAL)


def _akasse_key(spells: ir.Table) -> ir.IntegerValue:
    return spells.akasse.substitute({code: n for n, code in enumerate(AKASSER)}, else_=-1)


def _group_key(group: ir.StringValue) -> ir.IntegerValue:
    return group.substitute({value: n for n, value in enumerate(GROUPS)}, else_=-1)


def _decoded(fine: pd.DataFrame) -> pd.DataFrame:
    """The fine cells with their a-kasse and group keys as the codes they stand for."""
    for column, choices in (("akasse", AKASSER), ("group", GROUPS)):
        keys = fine[column].to_numpy()
        if (keys < 0).any():
            raise EventSchemaError("spells", column, None, "a value outside the event contract's choices")
        fine[column] = pd.Series(np.array(choices, dtype=object)[keys], index=fine.index, dtype=object)
    return fine


#: The contact spells' columns as record keys, and a requirement's.
_CONTACT_KEYS = (
    "spell_id",
    "person_id",
    "municipality",
    _.akasse_key.name("akasse"),
    _.group_key.name("group"),
)
_REQUIREMENT_KEYS = ("municipality", _.akasse_key.name("akasse"), _.group_key.name("group"))


def latest_date(tables: EventTables) -> dt.date:
    """The latest date in the spells and conversations: the data's cut-off when none is given."""
    spells = tables.spells
    columns = ("unemployed_from", "unemployed_to", "covered_from", "covered_to", "visited_on")
    found = [
        *spells.aggregate(**{c: spells[c].max() for c in columns}).execute().iloc[0],
        tables.conversations.date.max().execute(),
    ]
    dates: list[dt.date] = [pd.Timestamp(v).date() for v in found if pd.notna(v)]
    if not dates:
        raise ValueError("the event tables hold no dates: nothing to compute")
    return max(dates)


def _reduce(records: ir.Table, measure: Measure) -> ir.Value:
    """The measure's count or sum of `records` (of a stock's changes: their sum)."""
    where = measure.where(records) if measure.where is not None else None
    change = records.change if "change" in records.columns else None
    if measure.kind == "sum":
        assert measure.column is not None
        values = records[measure.column] if change is None else records[measure.column] * change
        return values.sum(where=where)
    return records.count(where=where) if change is None else change.sum(where=where)


def _fine(records: ir.Table, reductions: dict[str, ir.Value]) -> ir.Table:
    """The reductions per month × a-kasse × municipality × group, in the same types on every backend."""
    keys = {"month": "int64", "akasse": "int64", "municipality": "int64", "group": "int64"}
    cells = records.group_by(list(keys)).aggregate(**{n: v.cast("int64") for n, v in reductions.items()})
    return cells.select(*(cells[k].cast(t).name(k) for k, t in keys.items()), *reductions)
