"""Every word the publication shows, in Danish and English, and the locale formatting of numbers and dates.

Numbers and months go through Babel (CLDR), so Danish figures read `12.345,7` and `87,1 %`; days are
shown dd-mm-åååå in both languages, as everywhere in akasse.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from akasse.domain.choices import Group

LANGUAGES = ("da", "en")
_LOCALE = {"da": "da_DK", "en": "en_GB"}

UI: dict[str, tuple[str, str]] = {
    "site_title": ("Monitorering af a-kasseforsøget", "Monitoring of the a-kasse trial"),
    "site_intro": (
        "Månedlige nøgletal for forsøget med mere ansvar til a-kasser: omfattede, visitation, samtaler og "
        "overdragelse til jobcenteret, for forsøget og normalindsatsen side om side.",
        "Monthly key figures for the trial giving a-kasser more responsibility: people covered, visitation, "
        "conversations and hand-over to the job centre, for the trial and the normal effort side by side.",
    ),
    "skip": ("Spring til indhold", "Skip to content"),
    "other_language": ("English", "Dansk"),
    "nav": ("Hovedmenu", "Main menu"),
    "overview": ("Overblik", "Overview"),
    "indicators": ("Indikatorer", "Indicators"),
    "akasser": ("A-kasser", "A-kasser"),
    "revisions": ("Revisioner", "Revisions"),
    "data": ("Åbne data", "Open data"),
    "release": ("Udgivelse", "Release"),
    "released": ("Udgivet", "Released"),
    "headline": ("Hovedtal", "Headline figures"),
    "definition": ("Definition", "Definition"),
    "unit": ("Enhed", "Unit"),
    "period_rule": ("Periodisering", "Period rule"),
    "sources": ("Kildetabeller", "Source tables"),
    "breakdowns": ("Opdelinger", "Breakdowns"),
    "downloads": ("Hent data", "Download data"),
    "metadata": ("Metadata", "Metadata"),
    "month": ("Måned", "Month"),
    "total": ("I alt", "Total"),
    "chart_alt": ("Linjediagram: {name} pr. måned", "Line chart: {name} by month"),
    "akasse_chart_alt": (
        "Linjediagram: {name} for {akasse} pr. måned",
        "Line chart: {name} for {akasse} by month",
    ),
    "chart_desc": (
        "Værdier for {first} til {last}. Tallene står i tabellen under diagrammet.",
        "Values from {first} to {last}. The figures are in the table below the chart.",
    ),
    "table_caption": ("{name} pr. måned", "{name} by month"),
    "akasse_caption": ("{name}, {month}, pr. a-kasse", "{name}, {month}, by a-kasse"),
    "municipality_caption": ("{name}, {month}, pr. kommune", "{name}, {month}, by municipality"),
    "akasse_table_caption": ("Nøgletal for {name}, seneste måneder", "Key figures for {name}, latest months"),
    "indicator": ("Indikator", "Indicator"),
    "value": ("Værdi", "Value"),
    "suppressed": ("Diskretioneret", "Suppressed"),
    "suppressed_note": (
        "– : diskretioneret (færre end {threshold} personer, eller skjult for at beskytte en anden celle).",
        "– : suppressed (fewer than {threshold} persons, or hidden to protect another cell).",
    ),
    "provisional_note": (
        "* : foreløbigt tal; det bliver endeligt ved udgivelsen en måned senere.",
        "* : provisional figure; it becomes final with the release one month later.",
    ),
    "no_data": ("Ingen data.", "No data."),
    "no_chart": (
        "Intet diagram: alle tal er diskretioneret eller mangler.",
        "No chart: every figure is suppressed or missing.",
    ),
    "revisions_intro": (
        "Tal for tidligere måneder, der er ændret siden udgivelsen {previous}.",
        "Figures for earlier months that changed since the release of {previous}.",
    ),
    "revisions_first": (
        "Dette er den første udgivelse; der er ingen revisioner.",
        "This is the first release; there are no revisions.",
    ),
    "revisions_none": (
        "Ingen tal er ændret siden udgivelsen {previous}.",
        "No figure changed since the release of {previous}.",
    ),
    "revisions_more": (
        "Viser de første {shown} af {count} ændringer; alle står i",
        "Showing the first {shown} of {count} changes; all are in",
    ),
    "revisions_caption": ("Ændrede tal", "Changed figures"),
    "previous_value": ("Før", "Before"),
    "new_value": ("Nu", "Now"),
    "breakdown": ("Opdeling", "Breakdown"),
    "akasse": ("A-kasse", "A-kasse"),
    "municipality": ("Kommune", "Municipality"),
    "group": ("Gruppe", "Group"),
    "status": ("Status", "Status"),
    "history": ("Udgivelser", "Releases"),
    "months": ("Måneder", "Months"),
    "data_intro": (
        "Hver indikator kan hentes som CSV (UTF-8, komma-separeret, datoer som ÅÅÅÅ-MM-DD), Excel (ét ark "
        "pr. tabel) og JSON, med en metadatafil. Diskretionerede celler er tomme og markeret, aldrig 0.",
        "Each indicator can be downloaded as CSV (UTF-8, comma-separated, dates as YYYY-MM-DD), Excel (one "
        "sheet per table) and JSON, with a metadata file. Suppressed cells are empty and flagged, never 0.",
    ),
    "akasse_intro": (
        "Forsøgets nøgletal for {name}. Tal pr. kommune findes i de åbne data.",
        "The trial's key figures for {name}. Figures by municipality are in the open data.",
    ),
}

BREAKDOWNS: dict[str, tuple[str, str]] = {
    "total": ("I alt", "Total"),
    "month": ("Måned", "Month"),
    "month_akasse": ("Måned × a-kasse", "Month × a-kasse"),
    "month_akasse_municipality": ("Måned × a-kasse × kommune", "Month × a-kasse × municipality"),
    "month_group": ("Måned × gruppe", "Month × group"),
}

STATUS: dict[str, tuple[str, str]] = {
    "provisional": ("foreløbig", "provisional"),
    "final": ("endelig", "final"),
}
FLAGS: dict[str, tuple[str, str]] = {
    "primary": ("primær diskretionering", "primary suppression"),
    "secondary": ("sekundær diskretionering", "secondary suppression"),
}


def text(key: str, lang: str, **values: Any) -> str:
    """The UI string `key` in `lang`, with `{placeholders}` filled in."""
    return UI[key][LANGUAGES.index(lang)].format(**values)


def label(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """The label of a code from one of the label tables; an unknown code is shown as itself."""
    return table[code][LANGUAGES.index(lang)] if code in table else code


def group_label(code: str, lang: str) -> str:
    group = Group(code)
    return group.label_da if lang == "da" else group.label_en


def is_missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def format_value(value: Any, unit: str, lang: str) -> str:
    """A figure for display: shares as percent with one decimal, whole counts without decimals; '' for NA."""
    if is_missing(value):
        return ""
    locale = _LOCALE[lang]
    number = float(value)
    if unit == "share":
        # The locale's own percent pattern with one decimal: da "87,1 %", en "87.1%".
        pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.0")
        return format_percent(number, format=pattern, locale=locale)
    pattern = "#,##0" if number.is_integer() else "#,##0.0"
    return format_decimal(number, format=pattern, locale=locale)


def format_month(month: dt.date, lang: str) -> str:
    """`januar 2021` / `January 2021`."""
    return format_date(month, "MMMM y", locale=_LOCALE[lang])


def format_day(day: dt.date) -> str:
    """dd-mm-åååå, the date format akasse shows in both languages."""
    return day.strftime("%d-%m-%Y")
