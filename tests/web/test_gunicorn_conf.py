"""The settings `make serve` and the web bench give gunicorn (akasse.web.gunicorn_conf), read by gunicorn
itself: sync workers, one more than the cores unless AKASSE_WEB_WORKERS says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def gunicorn_settings(**environment: str) -> dict[str, str]:
    """gunicorn's effective settings (`--print-config`) with our config module and the WSGI app."""
    printed = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "python:akasse.web.gunicorn_conf",
            "--print-config",
            "akasse.web.wsgi:application",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **environment},
    ).stdout
    lines = (line.partition("=") for line in printed.splitlines())
    return {name.strip(): value.strip() for name, _, value in lines}


@pytest.mark.parametrize(
    ("workers", "expected"), [("", str((os.cpu_count() or 1) + 1)), ("5", "5")], ids=["cores + 1", "set"]
)
def test_gunicorn_runs_sync_workers(workers: str, expected: str) -> None:
    settings = gunicorn_settings(AKASSE_WEB_WORKERS=workers)
    assert settings["worker_class"] == "sync"
    assert settings["workers"] == expected
