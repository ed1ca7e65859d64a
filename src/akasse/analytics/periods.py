"""Periods shared by the seed figures and the indicator catalogue: coverage, contact periods and months.

A spell's *contact period* is when the member is in the contact process the indicators monitor: for the
trial group the coverage [covered_from, covered_to]; for the normal-effort group the unemployment
[unemployed_from, unemployed_to]. An open end (null) means the period is still running.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from akasse.domain.calendar import add_months
from akasse.domain.choices import Group


def covered_in(spells: ir.Table, first: dt.date, last: dt.date) -> ir.BooleanValue:
    """Spells whose coverage [covered_from, covered_to] overlaps [first, last] (covered_to null: ongoing)."""
    return (
        spells.covered_from.notnull()
        & (spells.covered_from <= last)
        & (spells.covered_to.isnull() | (spells.covered_to >= first))
    )


def conversations_in_coverage(conversations: ir.Table, spells: ir.Table) -> ir.Table:
    """Conversations joined to their spell's columns, kept when dated in [covered_from, covered_to]."""
    return conversations.inner_join(spells, "spell_id").filter(
        lambda t: (t.date >= t.covered_from) & (t.covered_to.isnull() | (t.date <= t.covered_to))
    )


def contact_spells(spells: ir.Table) -> ir.Table:
    """Spells with a contact period, with `contact_from` and `contact_to` (null: still running) added."""
    trial = spells.group == Group.TRIAL.value
    with_period = spells.mutate(
        contact_from=ibis.ifelse(trial, spells.covered_from, spells.unemployed_from),
        contact_to=ibis.ifelse(trial, spells.covered_to, spells.unemployed_to),
    )
    return with_period.filter(with_period.contact_from.notnull())


def month_number(day: ir.DateValue) -> ir.IntegerValue:
    """The month of the date as a number, year × 12 + month − 1: cheaper than a date to group by and to span
    (`ibis.range` over two of them gives the months between, on every backend)."""
    return day.year().cast("int64") * 12 + day.month().cast("int64") - 1


def number_of_month(day: dt.date) -> int:
    """`month_number` of a Python date."""
    return day.year * 12 + day.month - 1


def month_end(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    return add_months(first, 1) - dt.timedelta(days=1)


def months_overlapped(first: ir.DateValue, last: ir.DateValue) -> ir.ArrayValue:
    """The first days of the months that [first, last] overlaps, as an array (unnest it for one row each)."""
    start, stop = first.truncate("M").cast("timestamp"), last.cast("timestamp") + ibis.interval(days=1)
    return ibis.range(start, stop, ibis.interval(months=1)).cast("array<date>")
