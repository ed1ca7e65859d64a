"""`akasse figures DIR [--json]`: the seed figures beside the published values, as a Rich table or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from babel import Locale
from babel.numbers import format_decimal, format_percent
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from akasse.analytics.figures import SeedFigure

HEADINGS = {
    "da": ("Tal", "Værdi", "Offentliggjort", "Tolerance", "Inden for?"),
    "en": ("Figure", "Value", "Published", "Tolerance", "Inside?"),
}
TITLE = {
    "da": "Midtvejsevalueringens tal (21-06-2022)",
    "en": "Figures of the mid-term evaluation (21-06-2022)",
}
YES_NO = {"da": ("ja", "NEJ"), "en": ("yes", "NO")}
POINTS = {"da": "procentpoint", "en": "pp"}
LOCALE = {"da": "da_DK", "en": "en_GB"}


def figures_command(
    directory: Annotated[Path, typer.Argument(help="Event directory (persons.parquet, spells.parquet, …)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    lang: Annotated[str, typer.Option(help="Language of the table: da or en")] = "da",
) -> None:
    """Print the mid-term evaluation's figures computed from the event tables beside the published values."""
    # Imported here: the CLI's one way of refusing bad input (cli imports us), and Ibis and pandas, which
    # other commands should not wait for.
    from akasse.analytics.figures import seed_figures
    from akasse.cli import fail
    from akasse.events import EventSchemaError

    if lang not in HEADINGS:
        fail(f"--lang: {lang!r} is not a language (known: {', '.join(HEADINGS)})")
    try:
        figures = seed_figures(directory)
    except EventSchemaError as error:
        fail(str(error))
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    Console().print(figures_table(figures, lang))


def figures_table(figures: dict[str, dict[str, float | None]], lang: str) -> Table:
    """The figures as a Rich table: figure, value, published, tolerance, inside?"""
    from akasse.analytics.figures import SEED_FIGURES

    out = Table(title=TITLE[lang])
    for heading in HEADINGS[lang]:
        out.add_column(heading, justify="left" if heading == HEADINGS[lang][0] else "right")
    for figure in SEED_FIGURES:
        value = figures[figure.key]["value"]
        inside = figure.inside(value)
        out.add_row(
            figure.label_da if lang == "da" else figure.label_en,
            "–" if value is None else _number(figure, value, lang),
            _number(figure, figure.published, lang),
            _tolerance(figure, lang),
            YES_NO[lang][0] if inside else YES_NO[lang][1],
            style=None if inside else "red",
        )
    return out


def _number(figure: SeedFigure, value: float, lang: str) -> str:
    if figure.share:  # the locale's percent pattern with one decimal (da: "87,0 %", en: "87.0%")
        pattern = Locale.parse(LOCALE[lang]).percent_formats[None].pattern.replace("#,##0", "#,##0.0")
        return format_percent(value, pattern, locale=LOCALE[lang])
    return format_decimal(value, "#,##0" if float(value).is_integer() else "#,##0.0", locale=LOCALE[lang])


def _tolerance(figure: SeedFigure, lang: str) -> str:
    if figure.relative:
        return "± " + format_percent(figure.tolerance, locale=LOCALE[lang])
    return "± " + format_decimal(figure.tolerance * 100, locale=LOCALE[lang]) + " " + POINTS[lang]
