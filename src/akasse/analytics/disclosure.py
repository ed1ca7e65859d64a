"""Disclosure control for the published indicator tables: no count of 1–4 persons, exact or derived.

Interface (for the publication):

    protected = protect(frame, rules, threshold=5, sums=SUMS)
    protected.frame    # the same rows in the same order, plus `suppressed` (bool) and `flag`
                       # ("primary" / "secondary" / None); numerator, denominator and value are NA where
                       # suppressed (never 0)
    protected.report   # one row per table: indicator, breakdown, cells, primary, secondary

`frame` is the indicator catalogue's long frame (akasse.analytics.indicators): columns indicator, breakdown
(total | month | month_akasse | month_akasse_municipality | month_group), month, akasse, municipality, group,
numerator, denominator, value; one indicator's rows or the whole catalogue. `rules` maps each indicator id to
a `Rule` (or is one `Rule` for all): which counts are persons and over which dimensions they add up.
`sums` (IndicatorSum) and `same` (SameCount) declare the links between indicators; with `detect_same`
(default) two indicators' series that agree on every cell are equated without being declared.

- Primary suppression: a row whose person count (numerator or denominator, as the rule says) is
  1..threshold-1 is hidden; 0 is publishable. A share is hidden with its numerator and denominator.
- Secondary suppression: the linked tables of akasse.analytics.linked_tables (a month's a-kasse rows add up
  to the month row, an a-kasse's municipality rows to its month × a-kasse row, months to the total where the
  counts are additive over months; the month row is the trial row of month × group; declared sums and equal
  counts between indicators) go to akasse.analytics.suppression, which hides complements until no hidden
  cell can be recovered from the published cells and those relations (docs/disclosure.md).

Relations are checked first: rows that do not add up as declared raise DisclosureError naming the row,
indicator, breakdown, keys and column; nothing is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from akasse.analytics.linked_tables import (
    ALIASES,
    LINKS,
    Alias,
    CellSystem,
    DisclosureError,
    IndicatorSum,
    Link,
    Rule,
    SameCount,
    cell_system,
)
from akasse.analytics.suppression import BoolArray, complementary

__all__ = [
    "DisclosureError",
    "IndicatorSum",
    "Protected",
    "Rule",
    "SameCount",
    "protect",
    "PRIMARY",
    "SECONDARY",
]

PRIMARY, SECONDARY = "primary", "secondary"


@dataclass(frozen=True)
class Protected:
    """The published frame (suppressed rows as NA with a flag) and the per-table report."""

    frame: pd.DataFrame
    report: pd.DataFrame


def protect(
    frame: pd.DataFrame,
    rules: Rule | Mapping[str, Rule],
    *,
    threshold: int = 5,
    sums: Sequence[IndicatorSum] = (),
    same: Sequence[SameCount] = (),
    links: Sequence[Link] = LINKS,
    aliases: Sequence[Alias] = ALIASES,
    detect_same: bool = True,
) -> Protected:
    """The frame with small counts and their complements hidden, and a report per table (module docstring)."""
    system = cell_system(
        frame,
        rules,
        threshold=threshold,
        links=links,
        aliases=aliases,
        sums=sums,
        same=same,
        detect_same=detect_same,
    )
    hidden = suppressed_rows(system)
    published = frame.copy()
    for column in ("numerator", "denominator", "value"):
        published[column] = _nullable(published[column]).mask(hidden)
    published["suppressed"] = hidden
    flag = np.full(len(frame), None, dtype=object)
    flag[hidden] = SECONDARY
    flag[system.row_primary] = PRIMARY
    published["flag"] = pd.Series(flag, index=frame.index, dtype=object)
    return Protected(published, _report(system, hidden))


def suppressed_rows(system: CellSystem) -> BoolArray:
    """Which rows to hide: the primary cells' groups and their complements (akasse.analytics.suppression)."""
    hidden = complementary(
        system.relations, system.values, system.primary, groups=system.groups, signed=system.signed
    )
    return hidden[system.row_cells[:, 0]]


def _nullable(column: pd.Series) -> pd.Series:
    """The column with pandas' NA for hidden cells: Int64 when every value is whole, else Float64."""
    numbers = column.astype("Float64")
    whole = numbers.dropna()
    return numbers.astype("Int64") if len(whole) and bool((whole == whole.round()).all()) else numbers


def _report(system: CellSystem, hidden: BoolArray) -> pd.DataFrame:
    """Cells, primary and secondary suppressions per table (indicator × breakdown)."""

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(system.table, weights=mask, minlength=len(system.tables)).astype(np.int64)

    return system.tables.assign(
        cells=count(np.ones(len(hidden))),
        primary=count(system.row_primary),
        secondary=count(hidden & ~system.row_primary),
    )
