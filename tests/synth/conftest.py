from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from akasse.events import CORE_TABLES, read_table
from akasse.synth.generate import SCALES, generate

SMALL_SEED = 11


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`akasse simulate --scale small --seed 11`, written once per session (read-only for the tests)."""
    out = tmp_path_factory.mktemp("small")
    generate(out, scale=SCALES["small"], seed=SMALL_SEED, progress=False)
    return out


@pytest.fixture(scope="session")
def small(small_dir: Path) -> dict[str, pd.DataFrame]:
    """The small data set's core tables, read back through the contract."""
    return {name: read_table(small_dir, name).to_pandas(date_as_object=False) for name in CORE_TABLES}
