"""`akasse`: the one command users run (Typer + Rich)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from akasse.analytics.figures_command import figures_command
from akasse.domain.choices import Purpose
from akasse.domain.plan import Conversation, contact_plan
from akasse.domain.rulebook import RulebookError
from akasse.publish.commands import publish_command, serve_site_command
from akasse.rulebooks import load_rulebook
from akasse.synth.command import simulate_command
from akasse.web.cases.commands import demo_data_command, export_app, import_app, migrate_command

app = typer.Typer(
    help="Run, monitor and evaluate the Danish a-kasse trial.", no_args_is_help=True, add_completion=False
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def main() -> None:
    """Run, monitor and evaluate the Danish a-kasse trial."""


def fail(message: str) -> NoReturn:
    """One clear line on stderr and exit code 2 (bad input)."""
    err_console.print(f"akasse: {message}", style="red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (expected YYYY-MM-DD)")


def parse_held(value: str) -> Conversation:
    """DATE:PURPOSE[,PURPOSE…] → a conversation."""
    day, sep, purposes = value.partition(":")
    if not sep or not purposes:
        fail(f"--held: {value!r} must be DATE:PURPOSE[,PURPOSE…]")
    chosen = set()
    for name in purposes.split(","):
        try:
            chosen.add(Purpose(name.strip()))
        except ValueError:
            fail(f"--held: unknown purpose {name!r} (known: {', '.join(p.value for p in Purpose)})")
    return Conversation(parse_date(day, "--held"), frozenset(chosen))


@app.command()
def plan(
    rulebook: Annotated[str, typer.Option(help="Rulebook id, e.g. trial-2020")],
    unemployed_from: Annotated[str, typer.Option(help="First day of unemployment (YYYY-MM-DD)")],
    notice_date: Annotated[str | None, typer.Option(help="Notice date (YYYY-MM-DD)")] = None,
    held: Annotated[
        list[str] | None, typer.Option(help="A conversation held: DATE:PURPOSE[,PURPOSE…] (repeatable)")
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="Status as of this date (default: today)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    lang: Annotated[str, typer.Option(help="Language of the table: da or en")] = "da",
) -> None:
    """Print a member's contact plan: requirements, deadlines on Danish working days, and status."""
    if lang not in _PLAN_HEADINGS:
        fail(f"--lang: {lang!r} is not a language (known: {', '.join(_PLAN_HEADINGS)})")
    try:
        book = load_rulebook(rulebook)
    except RulebookError as error:
        fail(str(error))
    first_day = parse_date(unemployed_from, "--unemployed-from")
    notice = parse_date(notice_date, "--notice-date") if notice_date else None
    if notice is not None and notice > first_day:
        fail(f"--notice-date: {notice_date} is after --unemployed-from {unemployed_from}")
    result = contact_plan(
        book,
        unemployed_from=first_day,
        notice_date=notice,
        as_of=parse_date(as_of, "--as-of") if as_of else dt.date.today(),
        conversations=[parse_held(h) for h in held or []],
    )
    rows = [
        {
            "purpose": r.purpose.value,
            "held_by": r.held_by.value,
            "index": r.index,
            "window_start": r.window_start.isoformat(),
            "deadline": r.deadline.isoformat(),
            "status": r.status.value,
            "met_by": r.met_by.isoformat() if r.met_by else None,
        }
        for r in result.requirements
    ]
    handover = result.handover.isoformat() if result.handover else None
    if as_json:
        print(json.dumps({"rulebook": result.rulebook, "handover": handover, "requirements": rows}, indent=2))
        return
    da = lang == "da"
    title = f"{book.name_da if da else book.name_en} ({book.id})"
    if result.handover:
        title += f" — {'overdragelse' if da else 'hand-over'} {_da(result.handover)}"
    out = Table(title=title)
    for n, heading in enumerate(_PLAN_HEADINGS[lang]):
        # Dates (dd-mm-åååå) are never cut or wrapped; the labels wrap when the terminal is narrow.
        fixed = n in (2, 3, 4, 6)
        out.add_column(heading, no_wrap=fixed, min_width=10 if n in (3, 4, 6) else None, overflow="fold")
    for r in result.requirements:
        out.add_row(
            *(c.label_da if da else c.label_en for c in (r.purpose, r.held_by)),
            str(r.index),
            _da(r.window_start),
            _da(r.deadline),
            r.status.label_da if da else r.status.label_en,
            _da(r.met_by) if r.met_by else "",
        )
    console.print(out)


_PLAN_HEADINGS = {
    "da": ("Formål", "Afholdes af", "Nr.", "Vindue fra", "Frist", "Status", "Afholdt"),
    "en": ("Purpose", "Held by", "No.", "Window from", "Deadline", "Status", "Held on"),
}


def _da(day: dt.date) -> str:
    """Danish date format dd-mm-åååå."""
    return day.strftime("%d-%m-%Y")


app.command("figures")(figures_command)
app.command("simulate")(simulate_command)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.command("demo-data")(demo_data_command)
app.command("migrate")(migrate_command)
app.command("publish")(publish_command)
app.command("serve-site")(serve_site_command)

if __name__ == "__main__":
    app()
