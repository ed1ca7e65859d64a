"""CLI glue for the case database: `akasse import members`, `akasse export events`, `akasse demo-data`,
`akasse migrate`. Django is set up inside each command (lazy imports), never when `akasse` starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import_app = typer.Typer(
    help="Indlæs data i sagsdatabasen / import into the case database.", no_args_is_help=True
)
export_app = typer.Typer(
    help="Udtræk fra sagsdatabasen / export from the case database.", no_args_is_help=True
)
console = Console()


def setup_django(*, migrate: bool = False) -> None:
    """Configure Django (akasse.web.settings unless set); refuse an unmigrated database unless `migrate`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akasse.web.settings")
    import django
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    from akasse.cli import fail

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0)
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        fail("the database is not migrated: run `akasse migrate` first")


def migrate_command() -> None:
    """Create or update the case database's tables (SQLite by default, DATABASE_URL for PostgreSQL)."""
    setup_django(migrate=True)
    from django.db import connection

    console.print(f"Database migrated: {connection.vendor} {connection.settings_dict['NAME']}")


@import_app.command("members")
def import_members_command(
    file: Annotated[Path, typer.Argument(help="CSV file (see docs: cpr,name,education,municipality,…)")],
    akasse: Annotated[str, typer.Option(help="The a-kasse's code, e.g. HK")],
) -> None:
    """Import an a-kasse's members: all or nothing, errors by line and field; re-import changes nothing."""
    from akasse.cli import err_console, fail

    if not file.is_file():
        fail(f"{file}: no such file")
    setup_django()
    from akasse.web.cases.importers import MemberImportError, import_members

    try:
        result = import_members(file, akasse=akasse)
    except MemberImportError as error:
        for problem in error.errors:
            err_console.print(f"{file}: {problem}", markup=False, highlight=False, soft_wrap=True)
        fail(f"{file}: {len(error.errors)} error(s); nothing was imported")
    for warning in result.warnings:
        err_console.print(f"{file}: {warning}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"{file}: {result.members_created} new members, {result.members_updated} changed, "
        f"{result.spells_created} new spells, {result.spells_updated} changed"
        + ("" if result.changed else " — nothing changed"),
        soft_wrap=True,
    )


@export_app.command("events")
def export_events_command(
    out: Annotated[Path, typer.Option(help="Directory for the event tables (Parquet)")],
) -> None:
    """Export the case database as the pseudonymised event tables (key: AKASSE_PSEUDONYM_KEY)."""
    from akasse.cli import fail

    setup_django()
    from akasse.web.cases.export import ExportRefused, export_events

    try:
        result = export_events(out)
    except ExportRefused as error:
        fail(str(error))
    if result.one_off_key:
        console.print("[yellow]DEBUG: no AKASSE_PSEUDONYM_KEY, a one-off random key was used[/yellow]")
    for name, path in result.paths.items():
        console.print(f"{path}: {result.rows[name]} rows", soft_wrap=True)


def demo_data_command(
    members: Annotated[
        int, typer.Option(help="Members per a-kasse (three a-kasser)", min=1, max=100_000)
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 2020,
) -> None:
    """Load a synthetic slice (three a-kasser and their job centres) and print the demo users' logins."""
    setup_django(migrate=True)
    from django.db import connection

    from akasse.web.cases.demo import DEMO_TODAY, load_demo_data

    results, users = load_demo_data(members_per_akasse=members, seed=seed)
    for code, result in results.items():
        console.print(f"{code}: {result.members_created} new members, {result.spells_created} new spells")
    table = Table(title="Demo-brugere / demo users (passwords are new on every run)")
    for heading in ("Brugernavn", "Adgangskode"):
        table.add_column(heading, no_wrap=True)  # never cut a login short
    for heading in ("Rolle", "Organisation"):
        table.add_column(heading)
    for user in users:
        table.add_row(user.username, user.password, user.role, user.organisation)
    console.print(table)
    console.print(
        f"Database: {connection.settings_dict['NAME']}. The demo lives on {DEMO_TODAY:%d-%m-%Y}: "
        f"start the web app with AKASSE_TODAY={DEMO_TODAY.isoformat()}."
    )
