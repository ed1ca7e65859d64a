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
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis import util

from akasse.analytics.periods import contact_spells, conversations_in_coverage, month_of, months_overlapped
from akasse.analytics.requirements import requirement_plans
from akasse.analytics.tables import EventTables
from akasse.domain.choices import ExitReason, Group, Purpose
from akasse.reference import trial_config

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


class Sources:
    """The records each measure counts, one Ibis table per source with the columns month, akasse,
    municipality, group, person_id, latest (orders a person's records within a month) and the source's own.

    Only records of the months from `first` (default: the trial's start) to `as_of` (default: the latest
    date in the tables) are kept; periods still running end at `as_of`."""

    def __init__(self, tables: EventTables, as_of: dt.date | None, first: dt.date | None = None) -> None:
        self.tables = tables
        self.as_of = as_of if as_of is not None else latest_date(tables)
        self.first = first if first is not None else trial_config().start
        self._uploaded: str | None = None  # the view holding the interpreter's requirements

    @cached_property
    def contact(self) -> ir.Table:
        """Spells whose contact period overlaps [first, as_of], with open ends set to `as_of`."""
        spells = contact_spells(self.tables.spells)
        spells = spells.filter(spells.contact_from <= self.as_of)
        spells = spells.mutate(contact_to=spells.contact_to.fill_null(self.as_of))
        return spells.filter(spells.contact_to >= self.first)

    def release(self) -> None:
        """Drop the view of the interpreter's requirements from the backend."""
        if self._uploaded is not None:
            self.tables.backend.drop_view(self._uploaded, force=True)
            self._uploaded = None

    def records(self, source: str) -> ir.Table:
        """The source's records in the months [first, as_of]."""
        records: ir.Table = getattr(self, f"_{source}")()
        return records.filter(records.month >= self.first.replace(day=1), records.month <= self.as_of)

    def _participants(self) -> ir.Table:
        contact = self.contact
        spells = contact.group_by(["person_id", "group"]).aggregate(spells=contact.count())
        contact = contact.inner_join(spells, ["person_id", "group"])
        return contact.select(
            *_KEYS,
            month=months_overlapped(contact.contact_from, contact.contact_to).unnest(),
            latest=contact.contact_from,
            single=contact.spells == 1,  # the person's only spell in the group: one record a month
        )

    def _conversations(self) -> ir.Table:
        contact = self.contact.select(*_KEYS, "contact_from", "contact_to")
        conversations = self.tables.conversations
        recent = conversations.filter(conversations.date >= self.first.replace(day=1)).drop("person_id")
        held = recent.inner_join(contact, "spell_id")
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
            *_KEYS_NO_GROUP,
            "exit_reason",
            "referral_reason",
            group=ibis.literal(_TRIAL),
            n_conversations=joined.n_conversations.fill_null(0),
            month=month_of(joined.covered_to),
            latest=joined.covered_to,
        )

    def _requirements(self) -> ir.Table:
        due = self._requirement_rows
        return due.select(*_KEYS, "purpose", "on_time", month=month_of(due.deadline), latest=due.deadline)

    def _cv_requirements(self) -> ir.Table:
        rows = self._requirement_rows
        cv = rows.filter(rows.purpose == Purpose.CV.value, rows.index == 1)
        return cv.select(
            *_KEYS,
            "on_time",
            days=cv.met_by.delta(cv.unemployed_from, unit="day"),
            month=month_of(cv.unemployed_from),
            latest=cv.unemployed_from,
        )

    @cached_property
    def _requirement_rows(self) -> ir.Table:
        """The requirements due in [first, as_of] inside the contact period, from the vectorised interpreter,
        with their spell's keys: purpose, index, deadline, met_by, on_time (met on or before the deadline)."""
        contact = self.contact.filter(self.contact.unemployed_from.notnull())
        carry = (*_KEYS_NO_SPELL, "unemployed_from")
        plans = requirement_plans(self.tables.conversations, contact, self.first, self.as_of, carry=carry)
        self._uploaded = util.gen_name("akasse_requirements")
        return self.tables.backend.create_view(self._uploaded, ibis.memtable(plans), overwrite=True)

    def aggregate(
        self, wanted: Mapping[Breakdown, set[Measure]]
    ) -> dict[tuple[Measure, Breakdown], pd.DataFrame]:
        """Each measure per cell of each breakdown it is wanted in: a frame of the keys and `count`.

        The records are read once per source (all its counts and sums) and once or twice per distinct-
        person measure, into month × a-kasse × municipality × group cells that the coarser breakdowns add
        up (each person counted once a month and group, so monthly person counts add up too); only the
        distinct persons of the whole period need their own pass."""
        measures = {m for batch in wanted.values() for m in batch}
        batches: dict[tuple[str, Measure | None], list[Measure]] = {}
        for measure in sorted(measures, key=repr):
            batches.setdefault((measure.source, measure if measure.kind == "persons" else None), []).append(
                measure
            )
        out: dict[tuple[Measure, Breakdown], pd.DataFrame] = {}
        for (source, persons), batch in batches.items():
            names = {f"m{n}": measure for n, measure in enumerate(batch)}
            breakdowns = [b for b in Breakdown if any(m in wanted.get(b, ()) for m in batch)]
            records = self.records(source)
            if persons is not None and persons.where is not None:
                records = records.filter(persons.where(records))
            cells = _first_per_person_month(records) if persons else records
            reductions = (
                {"m0": cells.count()} if persons else {n: _reduce(cells, m) for n, m in names.items()}
            )
            with _group(
                cells, Breakdown.MONTH_AKASSE_MUNICIPALITY, reductions, by_group=True
            ).cache() as fine:
                parts = [
                    _group(_scope(records, b), b, {"m0": _scope(records, b).person_id.nunique()})
                    if persons and b == Breakdown.TOTAL
                    else _group(_scope(fine, b), b, {n: _scope(fine, b)[n].sum() for n in names})
                    for b in breakdowns
                ]
                frame = ibis.union(*parts).execute() if len(parts) > 1 else parts[0].execute()
            for breakdown in breakdowns:
                rows = frame[frame["breakdown"] == breakdown.value]
                for name, measure in names.items():
                    out[measure, breakdown] = rows[[*breakdown.keys, name]].rename(columns={name: "count"})
        return out


def _first_per_person_month(records: ir.Table) -> ir.Table:
    """One record per person, month and group: the one that started last (then the highest spell id).

    Records marked `single` (the person's only spell in the group) are already one a month and skip the
    ranking, which would otherwise sort every record by person."""
    single = records.single if "single" in records.columns else ibis.literal(False)
    window = ibis.window(
        group_by=[records.person_id, records.month, records.group],
        order_by=[records.latest.desc(), records.spell_id.desc()],
    )
    several = records.filter(~single)
    ranked = several.mutate(_rank=ibis.row_number().over(window))
    first = ranked.filter(ranked._rank == 0).drop("_rank")
    return ibis.union(records.filter(single), first) if "single" in records.columns else first


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
    dates: list[dt.date] = [pd.Timestamp(v).date() for v in found if pd.notna(v)]
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


def _group(
    records: ir.Table, breakdown: Breakdown, reductions: dict[str, ir.Value], *, by_group: bool = False
) -> ir.Table:
    """The reductions per cell of the breakdown (and per group too, with `by_group`), with every key column
    present (null where the breakdown lacks it) so that the breakdowns can be unioned."""
    keys = list(dict.fromkeys([*breakdown.keys, *(["group"] if by_group else [])]))
    counts = {name: value.cast("int64") for name, value in reductions.items()}
    query = records.group_by(keys).aggregate(**counts) if keys else records.aggregate(**counts)
    filled = {k: (query[k] if k in keys else ibis.null(t)).cast(t) for k, t in _KEY_TYPES.items()}
    return query.select(breakdown=ibis.literal(breakdown.value), **filled, **counts)
