"""`cached_date`: Django's `|date` (the active language's DATE_FORMAT, dd-mm-åååå) remembered per day and
language. A worklist page formats about 150 dates, most of them repeated (rows are sorted by deadline), and
Django's formatter costs about 20 µs a call: ≈ 2 ms of a page's ≈ 14 ms CPU."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True)
def cached_date(value: Any) -> str:
    """`{{ value|date }}`; a plain date (no time, no time zone) is formatted once per language."""
    if type(value) is dt.date:
        return _formatted(value, get_language())
    return date(value)


@lru_cache(maxsize=4096)
def _formatted(day: dt.date, language: str | None) -> str:
    """`language` is the active one when called: it keys the cache, Django's filter reads it itself."""
    return date(day)
