"""Danish calendar rules (domain/calendar.py), each date worked out by hand from a calendar.

Easter Sundays: 4 Apr 2021, 17 Apr 2022, 9 Apr 2023, 31 Mar 2024. Store Bededag is the 4th Friday after
Easter (30 Apr 2021, 13 May 2022, 5 May 2023) and was abolished from 2024. Kristi himmelfart is Easter + 39
days, pinse Easter + 49/50 days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from akasse.domain.calendar import add_months, holidays_between, is_working_day, last_working_day_on_or_before

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2021, 1, 31), 1, D(2021, 2, 28)),  # Feb 2021 has 28 days: clamped
        (D(2020, 1, 31), 1, D(2020, 2, 29)),  # 2020 is a leap year: clamped to 29 Feb
        (D(2020, 2, 29), 12, D(2021, 2, 28)),  # 29 Feb + 1 year: 2021 has no 29 Feb
        (D(2020, 2, 29), 48, D(2024, 2, 29)),  # four years later the 29th exists again
        (D(2024, 2, 29), 1, D(2024, 3, 29)),  # the day of the month is kept, not "end of month"
        (D(2021, 8, 31), 3, D(2021, 11, 30)),  # 31 Aug + 3 months: November has 30 days
        (D(2021, 11, 30), 3, D(2022, 2, 28)),  # crosses the year, clamped to 28 Feb 2022
        (D(2021, 12, 15), 1, D(2022, 1, 15)),  # December + 1 rolls the year
        (D(2022, 3, 31), -1, D(2022, 2, 28)),  # negative months clamp as well
        (D(2023, 1, 15), -13, D(2021, 12, 15)),  # more than a year back
        (D(2020, 10, 31), 16, D(2022, 2, 28)),  # normal-2020's 16 months
        (D(2023, 5, 31), 6, D(2023, 11, 30)),  # 6 months to a 30-day month
        (D(2023, 3, 31), 3, D(2023, 6, 30)),  # the README's example: U + 3 months
        (D(2022, 7, 14), 0, D(2022, 7, 14)),  # zero months is the day itself
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2021, 4, 1), False),  # skærtorsdag 2021
        (D(2021, 4, 2), False),  # langfredag 2021
        (D(2021, 4, 5), False),  # 2. påskedag 2021
        (D(2021, 4, 6), True),  # Tuesday after Easter 2021
        (D(2022, 4, 14), False),  # skærtorsdag 2022
        (D(2022, 4, 18), False),  # 2. påskedag 2022
        (D(2023, 4, 6), False),  # skærtorsdag 2023
        (D(2023, 4, 7), False),  # langfredag 2023
        (D(2023, 5, 5), False),  # Store Bededag 2023: still a public holiday
        (D(2024, 4, 26), True),  # 4th Friday after Easter 2024: Store Bededag abolished from 2024
        (D(2021, 5, 13), False),  # Kristi himmelfartsdag 2021
        (D(2021, 5, 14), True),  # the Friday after it ("bridge day") is an ordinary working day
        (D(2022, 6, 6), False),  # 2. pinsedag 2022
        (D(2023, 5, 29), False),  # 2. pinsedag 2023
        (D(2024, 6, 5), True),  # grundlovsdag is not a public holiday (holidays: category "optional")
        (D(2022, 12, 24), False),  # juleaftensdag 2022 is a Saturday
        (D(2021, 12, 24), True),  # juleaftensdag is not a public holiday (optional): a Friday, working
        (D(2021, 12, 31), True),  # nytårsaftensdag likewise (Friday)
        (D(2024, 5, 1), True),  # 1 May is not a public holiday (optional)
        (D(2023, 12, 25), False),  # juledag 2023 (Monday)
        (D(2023, 12, 26), False),  # 2. juledag 2023 (Tuesday)
        (D(2024, 1, 1), False),  # nytårsdag 2024 (Monday)
        (D(2023, 6, 3), False),  # a Saturday
        (D(2023, 6, 4), False),  # a Sunday
    ],
)
def test_working_days(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "deadline"),
    [
        (D(2021, 4, 5), D(2021, 3, 31)),  # 2. påskedag → Sun, Sat, langfredag, skærtorsdag → Wed 31 Mar
        (D(2022, 4, 15), D(2022, 4, 13)),  # langfredag → skærtorsdag → Wed 13 Apr
        (D(2022, 4, 18), D(2022, 4, 13)),  # 2. påskedag 2022 → Wed 13 Apr
        (D(2023, 4, 10), D(2023, 4, 5)),  # 2. påskedag 2023 → Wed 5 Apr
        (D(2023, 5, 5), D(2023, 5, 4)),  # Store Bededag 2023 → Thursday
        (D(2024, 4, 26), D(2024, 4, 26)),  # 26 Apr 2024 is a working day
        (D(2024, 3, 29), D(2024, 3, 27)),  # langfredag 2024 → skærtorsdag 28 Mar → Wed 27 Mar
        (D(2021, 5, 13), D(2021, 5, 12)),  # Kristi himmelfart 2021 → Wednesday
        (D(2023, 5, 29), D(2023, 5, 26)),  # 2. pinsedag 2023 → Sun, Sat → Fri 26 May
        (D(2021, 12, 26), D(2021, 12, 24)),  # 2. juledag (Sun) → juledag (Sat) → juleaften Fri 24 Dec
        (D(2022, 12, 26), D(2022, 12, 23)),  # 2. juledag (Mon) → 25, 24 weekend → Fri 23 Dec
        (D(2023, 1, 1), D(2022, 12, 30)),  # nytårsdag (Sun) → Sat → Fri 30 Dec 2022 (crosses the year)
        (D(2024, 6, 5), D(2024, 6, 5)),  # grundlovsdag 2024 (Wed) is itself a working day
        (D(2023, 6, 14), D(2023, 6, 14)),  # an ordinary Wednesday
    ],
)
def test_last_working_day_on_or_before(day: dt.date, deadline: dt.date) -> None:
    assert last_working_day_on_or_before(day) == deadline


def test_holidays_between_lists_store_bededag_until_2023_only() -> None:
    days = holidays_between(2023, 2024)
    assert days == sorted(days)
    assert D(2023, 5, 5) in days and D(2024, 4, 26) not in days
    # 2023: 11 holidays (incl. Easter Sunday, pinsedag on Sundays); 2024: 10 (no Store Bededag)
    assert len([d for d in days if d.year == 2023]) == 11
    assert len([d for d in days if d.year == 2024]) == 10
