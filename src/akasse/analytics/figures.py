"""The four figures of the mid-term evaluation's press release (21-06-2022), computed from the event tables.

The synthetic generator is calibrated against these (issue 2 §5): `seed_figures` returns
`{"visited": {"value": …, "published": 44589}, "covered_per_month": {…}, "share_3plus": {…},
"share_referred": {…}}` with shares as fractions (None when nothing is in the denominator). Definitions:

- visited: spells with `visited_on` in 2020-09-01 – 2022-01-31 (the "visited spells" below);
- covered_per_month: distinct persons whose [covered_from, covered_to] (covered_to null = still covered)
  overlaps the month, mean over the months Jul 2021 – Jan 2022;
- share_3plus: among visited spells with `exit_reason = handover`, the share with ≥ 3 conversations dated in
  [covered_from, covered_to];
- share_referred: visited spells with `exit_reason = referred`, over all visited spells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis import _

from akasse.analytics.periods import conversations_in_coverage, covered_in, month_end, months_overlapped
from akasse.analytics.tables import EventTables, event_tables
from akasse.domain.choices import ExitReason

VISITED_FROM, VISITED_TO = dt.date(2020, 9, 1), dt.date(2022, 1, 31)
#: First days of the months averaged for "covered per month": July 2021 – January 2022.
COVERED_MONTHS = tuple(dt.date(2021 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(7, 14))
MIN_CONVERSATIONS = 3


@dataclass(frozen=True)
class SeedFigure:
    """A published figure and how close a computed value must come to it (issue 2 §5)."""

    key: str
    label_da: str
    label_en: str
    published: float
    tolerance: float
    relative: bool  # tolerance as a fraction of the published value; else absolute (shares: points)
    share: bool

    def inside(self, value: float | None) -> bool:
        """Whether `value` lies within the tolerance of the published figure (None never does)."""
        if value is None:
            return False
        allowed = self.tolerance * self.published if self.relative else self.tolerance
        return abs(value - self.published) <= allowed + 1e-12


SEED_FIGURES = (
    SeedFigure(
        "visited",
        "Visiteret til forsøget, sep. 2020 – jan. 2022",
        "Visited into the trial, Sep 2020 – Jan 2022",
        44589,
        0.02,
        relative=True,
        share=False,
    ),
    SeedFigure(
        "covered_per_month",
        "Omfattet pr. måned efter juni 2021",
        "Covered per month after June 2021",
        25000,
        0.05,
        relative=True,
        share=False,
    ),
    SeedFigure(
        "share_3plus",
        "Andel med 3+ samtaler blandt dem med fulde 3 mdr.",
        "Share with 3+ conversations among those with the full 3 months",
        0.87,
        0.01,
        relative=False,
        share=True,
    ),
    SeedFigure(
        "share_referred",
        "Andel visiteret ud til jobcenter eller uddannelsespålæg",
        "Share referred out to the job centre or an education order",
        0.05,
        0.01,
        relative=False,
        share=True,
    ),
)


def seed_figures(source: str | Path | EventTables) -> dict[str, dict[str, Any]]:
    """The four seed figures from an event directory (or opened EventTables), beside the published values."""
    tables = event_tables(source)
    query = (
        _visited(tables.spells).cross_join(_covered_per_month(tables.spells)).cross_join(_share_3plus(tables))
    )
    values = query.execute().to_dict(orient="records")[0]
    return {f.key: {"value": _plain(values[f.key]), "published": f.published} for f in SEED_FIGURES}


def visited_spells(spells: ir.Table) -> ir.BooleanValue:
    """Spells visited into the trial in the mid-term evaluation's period (Sep 2020 – Jan 2022)."""
    return spells.visited_on.notnull() & spells.visited_on.between(VISITED_FROM, VISITED_TO)


def _visited(spells: ir.Table) -> ir.Table:
    """visited and share_referred (filtering first, so only visited rows are read beyond the date)."""
    visited = spells.filter(visited_spells(spells))
    n_visited = visited.count()
    referred = visited.count(where=visited.exit_reason == ExitReason.REFERRED.value)
    return visited.aggregate(
        visited=n_visited,
        share_referred=ibis.ifelse(n_visited > 0, referred.cast("float64") / n_visited, ibis.null("float64")),
    )


def _covered_per_month(spells: ir.Table) -> ir.Table:
    """Distinct persons covered in each month of the window, averaged over its months (a month with no one
    counts as 0). Spells covered in none of the months are dropped before anything else is read."""
    first, last = COVERED_MONTHS[0], month_end(COVERED_MONTHS[-1])
    covered = spells.filter(covered_in(spells, first, last))
    months = covered.select(
        "person_id",
        month=months_overlapped(covered.covered_from, covered.covered_to.fill_null(last)).unnest(),
    )
    in_window = months.filter(months.month.between(first, last)).distinct()
    return in_window.aggregate(covered_per_month=in_window.count().cast("float64") / len(COVERED_MONTHS))


def _share_3plus(tables: EventTables) -> ir.Table:
    """Share of visited, handed-over spells with at least 3 conversations in their coverage."""
    spells = tables.spells
    handed_over = spells.filter(
        visited_spells(spells), spells.exit_reason == ExitReason.HANDOVER.value
    ).select("spell_id", "covered_from", "covered_to")
    held = (
        conversations_in_coverage(tables.conversations, handed_over)
        .group_by("spell_id")
        .aggregate(n=_.count())
    )
    joined = handed_over.left_join(held, "spell_id")
    total, enough = joined.count(), (joined.n >= MIN_CONVERSATIONS).fill_null(False).sum()
    return joined.aggregate(
        share_3plus=ibis.ifelse(total > 0, enough.cast("float64") / total, ibis.null("float64"))
    )


def _plain(value: Any) -> int | float | None:
    """A NumPy/pandas scalar as a JSON-ready Python number (NaN/NA as None)."""
    if pd.isna(value):
        return None
    number: int | float = value.item() if hasattr(value, "item") else value
    return number
