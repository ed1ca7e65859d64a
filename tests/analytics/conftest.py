from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics import fixture


@pytest.fixture(scope="session")
def events_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made fixture written once as an event directory (read-only for the tests)."""
    return fixture.write(tmp_path_factory.mktemp("events"))
