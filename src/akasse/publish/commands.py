"""`akasse publish DIR --out SITE` and `akasse serve-site SITE` (registered in akasse.cli)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def publish_command(
    directory: Annotated[Path, typer.Argument(help="Event directory (persons.parquet, spells.parquet, …)")],
    out: Annotated[Path, typer.Option("--out", help="Site folder to build or update")],
    release_date: Annotated[
        str | None, typer.Option(help="Date of the release, YYYY-MM-DD (default: today)")
    ] = None,
    threshold: Annotated[
        int, typer.Option(help="Smallest person count published (1..threshold-1 are hidden)")
    ] = 5,
) -> None:
    """Publish the monthly monitoring: open data, a static site in Danish and English, and a dated release."""
    # Imported here: the CLI's one way of refusing bad input (cli imports us), and the publication's heavy
    # libraries (Altair, Ibis), which other commands should not wait for.
    from akasse.cli import fail, parse_date
    from akasse.events import EventSchemaError
    from akasse.publish.build import PublishError
    from akasse.publish.pipeline import publish
    from akasse.publish.releases import ReleaseError

    day = parse_date(release_date, "--release-date") if release_date else dt.date.today()
    if threshold < 1:
        fail(f"--threshold: {threshold} must be at least 1")
    try:
        manifest = publish(directory, out, day, threshold=threshold)
    except (EventSchemaError, PublishError, ReleaseError) as error:
        fail(str(error))
    months = sorted(manifest.first_published)
    span = f"{months[0]:%m-%Y} – {months[-1]:%m-%Y}" if months else "–"
    console = Console()
    console.print(f"Udgivelse {day:%d-%m-%Y}: {len(manifest.indicators)} indikatorer, måneder {span}")
    console.print(f"Åbn {(out / 'da' / 'index.html').resolve()}  (eller: akasse serve-site {out})")


def serve_site_command(
    site: Annotated[Path, typer.Argument(help="Site folder built by `akasse publish`")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1")] = 8000,
) -> None:
    """Serve a built site on http://127.0.0.1:PORT/ until Ctrl-C."""
    from akasse.cli import fail
    from akasse.publish.build import MARKER
    from akasse.publish.serve import site_server

    if not (site / MARKER).exists():
        fail(f"{site}: not a site built by `akasse publish` (no {MARKER})")
    try:
        server = site_server(site, port=port)
    except OSError as error:
        fail(f"--port {port}: {error.strerror}")
    Console().print(
        f"Serverer {site.resolve()} på http://127.0.0.1:{server.server_address[1]}/da/index.html"
        " (Ctrl-C stopper)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
