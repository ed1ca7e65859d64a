"""The templates' `|date` (Jinja2, akasse.web.templating; plain dates formatted once per language) renders
exactly what Django's own `|date` renders, in both languages, for any value."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine, engines
from django.utils import translation

UTC = dt.UTC
CASES = [
    # value, shown (dd-mm-åååå in both languages, web/formats/)
    (dt.date(2021, 3, 22), "22-03-2021"),
    (dt.date(2020, 12, 31), "31-12-2020"),
    (dt.date(2023, 1, 1), "01-01-2023"),
    (None, ""),
    ("", ""),
    # An aware datetime is shown on its Copenhagen day: 23:30 UTC on 31-03-2021 is 01:30 on 01-04-2021.
    (dt.datetime(2021, 3, 31, 23, 30, tzinfo=UTC), "01-04-2021"),
    (dt.datetime(2021, 6, 15, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")), "15-06-2021"),
]


def _render(source: str, value: Any) -> str:
    return engines["jinja2"].from_string(source).render({"value": value})


def _django_date(value: Any) -> str:
    """The reference: Django's template language's `|date` (local time for aware datetimes, "" for None)."""
    return Engine().from_string("{{ value|date }}").render(Context({"value": value}))


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(("value", "shown"), CASES)
def test_date_equals_django_date(language: str, value: Any, shown: str) -> None:
    with translation.override(language):
        first = _render("{{ value|date }}", value)
        assert first == shown
        assert first == _django_date(value)
        assert _render("{{ value|date }}", value) == shown  # a plain date's second call: from the cache


def test_missing_date_still_falls_back_to_the_default() -> None:
    assert _render('{{ value|date or "–" }}', None) == "–"
