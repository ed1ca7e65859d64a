"""`akasse simulate --scale national|small|N --seed S --out DIR`: write the synthetic event tables."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Annotated

import typer
from babel.numbers import format_decimal
from rich.console import Console

TEXTS = {
    "da": ("Skrev {out} på {seconds} s: {rows}", "personer", "forløb", "samtaler", "uger i panelet"),
    "en": ("Wrote {out} in {seconds} s: {rows}", "persons", "spells", "conversations", "panel weeks"),
}
LOCALE = {"da": "da_DK", "en": "en_GB"}


def parse_scale(value: str) -> float | None:
    """`national` (1), `small` (1/50) or a positive factor of the national size; None when unreadable."""
    from akasse.synth.generate import SCALES

    if value in SCALES:
        return SCALES[value]
    try:
        factor = float(value)
    except ValueError:
        return None
    return factor if math.isfinite(factor) and factor > 0 else None


def simulate_command(
    out: Annotated[
        Path, typer.Option(help="Folder for the event tables (created; other files are left alone)")
    ],
    scale: Annotated[
        str, typer.Option(help="national, small (1/50) or a factor of the national size, e.g. 0.1")
    ] = "national",
    seed: Annotated[int, typer.Option(help="Seed: the same seed and scale give the same bytes")] = 2020,
    parameters: Annotated[Path | None, typer.Option(help="Parameter file (default: the shipped one)")] = None,
    effects: Annotated[
        Path | None, typer.Option(help="Planted-effect file (default: the shipped one)")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: da or en")] = "da",
) -> None:
    """Generate the calibrated synthetic population (persons, spells, conversations, weekly panel)."""
    # Imported here: the CLI's one way of refusing bad input (cli imports us), and the generator's NumPy and
    # Arrow, which other commands should not wait for.
    from akasse.cli import fail
    from akasse.synth.generate import generate
    from akasse.synth.panel import EffectError
    from akasse.synth.parameters import ParameterError, load_effects, load_parameters

    factor = parse_scale(scale)
    if factor is None:
        fail(f"--scale: {scale!r} is not national, small or a positive number")
    if lang not in TEXTS:
        fail(f"--lang: {lang!r} is not a language (known: {', '.join(TEXTS)})")
    if seed < 0:
        fail(f"--seed: {seed} must be zero or positive")
    if out.exists() and not out.is_dir():
        fail(f"--out: {out} exists and is not a folder")
    try:
        params, planted = load_parameters(parameters), load_effects(effects)
        started = time.perf_counter()
        result = generate(out, scale=factor, seed=seed, parameters=params, effects=planted)
    except (ParameterError, EffectError) as error:
        fail(str(error))
    seconds = time.perf_counter() - started
    text, *names = TEXTS[lang]
    rows = ", ".join(
        f"{_number(n, lang)} {label}" for n, label in zip(result.rows.values(), names, strict=True)
    )
    message = text.format(rows=rows, out=out, seconds=_number(round(seconds, 1), lang))
    Console().print(message, highlight=False)


def _number(value: float, lang: str) -> str:
    """A number in the language's format (Danish: 1.234,5)."""
    return str(format_decimal(value, locale=LOCALE[lang]))
