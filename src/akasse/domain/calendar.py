"""Danish calendar arithmetic: months with clamping, public holidays and working days."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import cache

import holidays


def add_months(day: dt.date, months: int) -> dt.date:
    """`day + months`, keeping the day of the month, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """Danish public holidays of `year` (the `holidays` package: Store Bededag until 2023, not from 2024)."""
    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def last_working_day_on_or_before(day: dt.date) -> dt.date:
    """The deadline rule: a window ending on a weekend or holiday ends on the working day before it."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def holidays_between(first_year: int, last_year: int) -> list[dt.date]:
    """All Danish public holidays in the years, sorted (the vectorised interpreter's busday calendar)."""
    return sorted(d for year in range(first_year, last_year + 1) for d in public_holidays(year))
