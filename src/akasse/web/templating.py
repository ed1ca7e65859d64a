"""The Jinja2 environment of the web app's templates: Django's translations, URL reversing, static files and
the filters the screens use (dates in the active language's format, local time for aware datetimes).

Jinja2 rather than Django's template language for speed: at 200,000 members the worklist and the member page
spent about 10 and 18 ms CPU a page in Django's engine, most of a page's cost, while issue 4's latency goal
(p95 ≤ 150 ms under 20 clients on two cores) leaves about 5 ms a page. Autoescaping stays on; forms render
through Django (their widgets through FORM_RENDERER).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info
from jinja2 import Environment

from akasse.web.cases import filters


def environment(**options: Any) -> Environment:
    """The environment settings.TEMPLATES names: Django's gettext, `url`, `static`, the screens' filters."""
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # newstyle: a {% trans %} block's variables are escaped, the translated text itself is trusted.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(url=url, static=static, current_language=translation.get_language, languages=languages)
    env.filters.update(
        date=date,
        time=time,
        linebreaksbr=defaultfilters.linebreaksbr,
        yesno=defaultfilters.yesno,
        capfirst=defaultfilters.capfirst,
        label=filters.label,
        purpose_labels=filters.purpose_labels,
        cpr=filters.cpr,
        met_count=filters.met_count,
        municipality_name=filters.municipality_name,
        role_label=filters.role_label,
    )
    return env


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the page's CSRF form field made once, as Django's own template language does; the
    Jinja2 backend's `csrf_input` masks a new token at each of a page's forms (≈ 0.1 ms CPU each)."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def url(name: str, **kwargs: Any) -> str:
    """`url("cases:member", member_id=…)`: Django's reverse with keyword arguments."""
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return reverse_fixed(name)


def reverse_fixed(name: str) -> str:
    """The URL of a pattern without arguments (the header's links and forms, the menu), reversed once per
    script prefix: every page needs five or more, at about 30 µs each in Django's reverse."""
    return _reversed(name, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name: str, prefix: str) -> str:
    """`prefix` is the active script prefix: it keys the cache, reverse reads it itself."""
    return reverse(name)


@lru_cache(maxsize=1)
def languages() -> tuple[tuple[str, str], ...]:
    """(code, name in that language) of the interface languages, for the language switch."""
    return tuple((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES)


def date(value: Any, format: str | None = None) -> str:
    """Django's `|date`: the active language's DATE_FORMAT unless `format`, an aware datetime in local time,
    "" for None or "". A plain date in the default format is formatted once per language: a worklist page
    shows about 150 dates and the member page about 40, most repeated, at about 20 µs each in Django."""
    if format is None and type(value) is dt.date:
        return _formatted(value, translation.get_language())
    return defaultfilters.date(template_localtime(value), format)


def time(value: Any, format: str | None = None) -> str:
    """Django's `|time`, an aware datetime in local time."""
    return defaultfilters.time(template_localtime(value), format)


@lru_cache(maxsize=4096)
def _formatted(day: dt.date, language: str | None) -> str:
    """`language` is the active one when called: it keys the cache, Django's filter reads it itself."""
    return defaultfilters.date(day)
