"""`akasse` starts without the heavy libraries: only the command that needs them imports them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "ibis", "numpy", "pyarrow", "django", "altair")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    probe = f"import sys, akasse.cli; print(*sorted(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []
