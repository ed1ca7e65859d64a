"""`publish`: event tables → indicator catalogue → release cut → disclosure control → release in SITE.

The event directory is checked (akasse.events.check_directory, through analytics.tables) and the whole
catalogue computed before SITE is touched, so bad input fails with the file and column and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from akasse.analytics.disclosure import protect
from akasse.analytics.indicators import CATALOGUE, SAME, SUMS, compute, rules
from akasse.analytics.tables import open_directory
from akasse.publish.build import publish_frame
from akasse.publish.metadata import describe
from akasse.publish.releases import Manifest


def publish(
    directory: str | Path, site: str | Path, release_date: dt.date, *, threshold: int = 5
) -> Manifest:
    """Publish the release dated `release_date` of the monitoring computed from the event tables in DIR."""
    frame = compute(open_directory(directory))
    by_id = rules(CATALOGUE)

    def protected(rows: pd.DataFrame) -> pd.DataFrame:
        return protect(rows, by_id, threshold=threshold, sums=SUMS, same=SAME).frame

    return publish_frame(
        frame, describe(CATALOGUE), Path(site), release_date, threshold=threshold, protect=protected
    )
