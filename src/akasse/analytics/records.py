"""The records behind the indicators and their aggregation per breakdown, in Ibis on any backend.

Each source is one Ibis table of records (a person in a month, a conversation, a visitation, an exit, a
requirement) with the columns month, akasse, municipality, group, person_id, spell_id and latest (orders a
person's records within a month), plus its own. A `Measure` counts a source's records per cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis import util

from akasse.analytics.periods import contact_spells, conversations_in_coverage, month_of, months_overlapped
from akasse.analytics.requirements import requirement_plans
from akasse.analytics.tables import EventTables
from akasse.domain.choices import Group, Purpose

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
    kind: str = "count"
    where: Callable[[ir.Table], ir.BooleanValue] | None = None
    column: str | None = None


class Sources:
    """The records each measure counts, one Ibis table per source with the columns month, akasse,
    municipality, group, person_id, latest (orders a person's records within a month) and the source's own."""

    def __init__(self, tables: EventTables, as_of: dt.date | None) -> None:
        self.tables = tables
        self.as_of = as_of if as_of is not None else latest_date(tables)
        self._records: dict[str, ir.Table] = {}
        self._uploaded: str | None = None  # the view holding the interpreter's requirements

    @cached_property
    def contact(self) -> ir.Table:
        """Spells with a contact period that started by `as_of`; running periods end at `as_of`."""
        spells = contact_spells(self.tables.spells)
        spells = spells.filter(spells.contact_from <= self.as_of)
        return spells.mutate(contact_to=spells.contact_to.fill_null(self.as_of))

    def release(self) -> None:
        """Drop the cached records from the backend."""
        for records in self._records.values():
            records.release()
        self._records.clear()
        if self._uploaded is not None:
            self.tables.backend.drop_view(self._uploaded, force=True)
            self._uploaded = None

    def records(self, source: str) -> ir.Table:
        """The source's records, built once and cached on the backend (each is read by several queries)."""
        if source not in self._records:
            self._records[source] = getattr(self, f"_{source}")().cache()
        return self._records[source]

    def _participants(self) -> ir.Table:
        contact = self.contact
        in_month = contact.select(
            *_KEYS,
            month=months_overlapped(contact.contact_from, contact.contact_to).unnest(),
            latest=contact.contact_from,
        )
        return in_month.filter(in_month.month <= self.as_of)

    def _conversations(self) -> ir.Table:
        contact = self.contact.select(*_KEYS, "contact_from", "contact_to")
        held = self.tables.conversations.drop("person_id").inner_join(contact, "spell_id")
        held = held.filter((held.date >= held.contact_from) & (held.date <= held.contact_to))
        return held.select(
            *_KEYS,
            "purposes",
            "held_by",
            "mode",
            "jobs_presented",
            month=month_of(held.date),
            latest=held.date,
        )

    def _visitations(self) -> ir.Table:
        spells = self.tables.spells
        visited = spells.filter(spells.visited_on.notnull(), spells.visited_on <= self.as_of)
        return visited.select(
            *_KEYS_NO_GROUP,
            "exit_reason",
            group=ibis.literal(_TRIAL),
            month=month_of(visited.visited_on),
            latest=visited.visited_on,
        )

    def _exits(self) -> ir.Table:
        spells = self.tables.spells
        ended = spells.filter(
            spells.covered_to.notnull(), spells.exit_reason.notnull(), spells.covered_to <= self.as_of
        )
        counted = (
            conversations_in_coverage(
                self.tables.conversations.select("spell_id", "date"),
                ended.select("spell_id", "covered_from", "covered_to"),
            )
            .group_by("spell_id")
            .aggregate(n_conversations=lambda t: t.count())
        )
        joined = ended.left_join(counted, "spell_id")
        return joined.select(
            *_KEYS_NO_GROUP,
            "exit_reason",
            "referral_reason",
            group=ibis.literal(_TRIAL),
            n_conversations=joined.n_conversations.fill_null(0),
            month=month_of(joined.covered_to),
            latest=joined.covered_to,
        )

    def _requirements(self) -> ir.Table:
        rows = self._requirement_rows
        due = rows.filter(rows.deadline <= self.as_of)
        due = due.filter(due.deadline <= due.contact_to)
        return due.select(*_KEYS, "purpose", "on_time", month=month_of(due.deadline), latest=due.deadline)

    def _cv_requirements(self) -> ir.Table:
        rows = self._requirement_rows
        cv = rows.filter(rows.purpose == Purpose.CV.value, rows.index == 1, rows.deadline <= self.as_of)
        cv = cv.filter(cv.deadline <= cv.contact_to)
        return cv.select(
            *_KEYS,
            "on_time",
            days=cv.met_by.delta(cv.unemployed_from, unit="day"),
            month=month_of(cv.unemployed_from),
            latest=cv.unemployed_from,
        )

    @cached_property
    def _requirement_rows(self) -> ir.Table:
        """Every requirement of every spell with a start of unemployment, from the vectorised interpreter,
        joined to the spell: purpose, index, deadline, met_by, on_time (met on or before the deadline)."""
        contact = self.contact.filter(self.contact.unemployed_from.notnull())
        plans = requirement_plans(self.tables.conversations, contact, self.as_of)
        self._uploaded = util.gen_name("akasse_requirements")
        uploaded = self.tables.backend.create_view(self._uploaded, ibis.memtable(plans), overwrite=True)
        return contact.inner_join(uploaded, "spell_id")

    def aggregate(
        self, wanted: Mapping[Breakdown, set[Measure]]
    ) -> dict[tuple[Measure, Breakdown], pd.DataFrame]:
        """Each measure per cell of each breakdown it is wanted in: a frame of the keys and `count`.

        One query per source for its counts and sums and one per monthly distinct-person measure, each a
        union over the breakdowns (a distributed engine pays per query, not per row)."""
        measures = {m for batch in wanted.values() for m in batch}
        batches: dict[tuple[str, Measure | None], list[Measure]] = {}
        for measure in sorted(measures, key=repr):
            batch = (measure.source, measure if measure.kind == "persons" else None)
            batches.setdefault(batch, []).append(measure)
        out: dict[tuple[Measure, Breakdown], pd.DataFrame] = {}
        for (source, persons), batch in batches.items():
            names = {f"m{n}": measure for n, measure in enumerate(batch)}
            breakdowns = [b for b in Breakdown if any(m in wanted.get(b, ()) for m in batch)]
            parts = [
                self._persons(persons, b) if persons else self._counts(source, names, b) for b in breakdowns
            ]
            frame = ibis.union(*parts).execute() if len(parts) > 1 else parts[0].execute()
            for breakdown in breakdowns:
                rows = frame[frame["breakdown"] == breakdown.value]
                for name, measure in names.items():
                    column = "count" if persons else name
                    out[measure, breakdown] = rows[[*breakdown.keys, column]].rename(
                        columns={column: "count"}
                    )
        return out

    def _counts(self, source: str, names: Mapping[str, Measure], breakdown: Breakdown) -> ir.Table:
        records = self._scope(self.records(source), breakdown)
        return _group(records, breakdown, {name: _reduce(records, m) for name, m in names.items()})

    def _persons(self, measure: Measure, breakdown: Breakdown) -> ir.Table:
        """Distinct persons: once in the total; in a month once per group, in the spell that started last."""
        records = self._scope(self.records(measure.source), breakdown)
        if measure.where is not None:
            records = records.filter(measure.where(records))
        if breakdown == Breakdown.TOTAL:
            return _group(records, breakdown, {"count": records.person_id.nunique()})
        window = ibis.window(
            group_by=[records.person_id, records.month, records.group],
            order_by=[records.latest.desc(), records.spell_id.desc()],
        )
        first = records.mutate(_rank=ibis.row_number().over(window))
        first = first.filter(first._rank == 0)
        return _group(first, breakdown, {"count": first.count()})

    @staticmethod
    def _scope(records: ir.Table, breakdown: Breakdown) -> ir.Table:
        """Breakdowns other than month × group describe the trial group."""
        return records if breakdown == Breakdown.MONTH_GROUP else records.filter(records.group == _TRIAL)


_KEYS_NO_GROUP = ("spell_id", "person_id", "akasse", "municipality")
_KEYS_NO_SPELL = ("person_id", "akasse", "municipality", "group")
_KEYS = ("spell_id", *_KEYS_NO_SPELL)


def latest_date(tables: EventTables) -> dt.date:
    """The latest date in the spells and conversations: the data's cut-off when none is given."""
    spells = tables.spells
    columns = ("unemployed_from", "unemployed_to", "covered_from", "covered_to", "visited_on")
    found = [
        *spells.aggregate(**{c: spells[c].max() for c in columns}).execute().iloc[0],
        tables.conversations.date.max().execute(),
    ]
    dates = [pd.Timestamp(v).date() for v in found if pd.notna(v)]
    if not dates:
        raise ValueError("the event tables hold no dates: nothing to compute")
    return max(dates)


def _reduce(records: ir.Table, measure: Measure) -> ir.Value:
    where = measure.where(records) if measure.where is not None else None
    if measure.kind == "sum":
        assert measure.column is not None
        return records[measure.column].sum(where=where)
    return records.count(where=where)


#: Every breakdown's rows carry all key columns (null where the breakdown lacks one) so they can be unioned.
_KEY_TYPES = {"month": "date", "akasse": "string", "municipality": "int64", "group": "string"}


def _group(records: ir.Table, breakdown: Breakdown, reductions: dict[str, ir.Value]) -> ir.Table:
    keys = list(breakdown.keys)
    counts = {name: value.cast("int64") for name, value in reductions.items()}
    query = records.group_by(keys).aggregate(**counts) if keys else records.aggregate(**counts)
    filled = {k: (query[k] if k in keys else ibis.null(t)).cast(t) for k, t in _KEY_TYPES.items()}
    return query.select(breakdown=ibis.literal(breakdown.value), **filled, **counts)
