"""Disclosure control for the published indicator tables: no count of 1–4 persons, exact or derived.

Interface (for the publication):

    protected = protect(frame, rules, threshold=5)
    protected.frame    # the same rows in the same order, plus `suppressed` (bool) and `flag`
                       # ("primary" / "secondary" / None); numerator, denominator and value are NA where
                       # suppressed (never 0)
    protected.report   # one row per table (indicator, breakdown): cells, primary, secondary

`frame` is the indicator catalogue's long frame (akasse.analytics.indicators): columns indicator, breakdown
(total | month | month_akasse | month_akasse_municipality | month_group), month, akasse, municipality, group,
numerator, denominator, value; one indicator's rows or the whole catalogue. `rules` maps each indicator id to
a `Rule` (or is one `Rule` for all): which counts are persons and over which dimensions the counts add up.

- Primary suppression: a cell whose person count (numerator or denominator, as the rule says) is
  1..threshold-1 is hidden; 0 is publishable. A share is hidden with its numerator and denominator.
- Secondary suppression: within one indicator, the breakdowns are linked tables (`LINKS`): a month's
  a-kasse rows add up to the month row, an a-kasse's municipality rows to its month × a-kasse row, the groups
  to the month, the months to the total, wherever the rule declares the counts additive over that dimension.
  Indicators that add up to another (exits by reason → exits) are linked with `IndicatorSum`. The cells and
  relations go to akasse.analytics.suppression, which hides complements until no hidden cell can be
  recovered from the published cells and relations (docs/disclosure.md has the method and its proof).

Relations are checked before anything is hidden: a declared additive breakdown whose rows do not add up
raises DisclosureError naming the indicator, breakdown, row keys and column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from akasse.analytics.suppression import BoolArray, FloatArray, Relations, complementary

#: The key columns of each breakdown, in the catalogue's frame.
BREAKDOWN_KEYS: dict[str, tuple[str, ...]] = {
    "total": (),
    "month": ("month",),
    "month_akasse": ("month", "akasse"),
    "month_akasse_municipality": ("month", "akasse", "municipality"),
    "month_group": ("month", "group"),
}
DIMENSIONS = ("month", "akasse", "municipality", "group")
COLUMNS = ("indicator", "breakdown", *DIMENSIONS, "numerator", "denominator", "value")
PRIMARY, SECONDARY = "primary", "secondary"


class DisclosureError(ValueError):
    """Input that cannot be protected as declared; the message names the indicator, row and column."""


@dataclass(frozen=True)
class Link:
    """The rows of breakdown `parts` add up, over dimension `over`, to the row of breakdown `total` with the
    same remaining keys."""

    parts: str
    total: str
    over: str


#: The linked tables of the catalogue; a link holds for an indicator when its rule is additive over `over`.
LINKS: tuple[Link, ...] = (
    Link("month_akasse", "month", "akasse"),
    Link("month_akasse_municipality", "month_akasse", "municipality"),
    Link("month_group", "month", "group"),
    Link("month", "total", "month"),
)


@dataclass(frozen=True)
class Rule:
    """How one indicator's counts may be published.

    numerator_persons / denominator_persons: the count is a number of persons (primary suppression applies);
    additive_over: dimensions over which numerator and denominator add up exactly (a person counted once),
    so that the attacker can use the margins. Stock counts of distinct persons over several months are not
    additive over "month"; flows (newly visited in the month) are.
    """

    numerator_persons: bool = True
    denominator_persons: bool = True
    additive_over: frozenset[str] = field(default_factory=lambda: frozenset({"akasse", "municipality"}))

    def __post_init__(self) -> None:
        unknown = set(self.additive_over) - set(DIMENSIONS)
        if unknown:
            raise DisclosureError(f"additive_over: unknown dimension {sorted(unknown)[0]!r} (known: {', '.join(DIMENSIONS)})")


@dataclass(frozen=True)
class IndicatorSum:
    """Indicator `total`'s rows equal the sum of the `parts` indicators' rows with the same breakdown and keys
    (e.g. exits = exits to job + handed over + referred + moved + switched)."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Protected:
    frame: pd.DataFrame
    report: pd.DataFrame


@dataclass(frozen=True)
class CellSystem:
    """The frame's rows as cells for akasse.analytics.suppression: layer values, primary cells, relations."""

    values: FloatArray  # rows × (numerator, denominator); a missing denominator is 0
    primary: BoolArray
    relations: Relations


def protect(
    frame: pd.DataFrame,
    rules: Rule | Mapping[str, Rule],
    *,
    threshold: int = 5,
    links: Sequence[Link] = LINKS,
    sums: Sequence[IndicatorSum] = (),
) -> Protected:
    """The frame with small counts and their complements hidden, and a report per table (module docstring)."""
    system = cell_system(frame, rules, threshold=threshold, links=links, sums=sums)
    hidden = complementary(system.relations, system.values, system.primary)
    published = frame.copy()
    for column in ("numerator", "denominator", "value"):
        published[column] = _nullable(published[column]).mask(hidden)
    published["suppressed"] = hidden
    published["flag"] = pd.Series(
        np.where(system.primary, PRIMARY, np.where(hidden, SECONDARY, None)), index=frame.index, dtype=object
    )
    return Protected(published, _report(published))


def _nullable(column: pd.Series) -> pd.Series:
    """The column with pandas' NA for hidden cells: Int64 when every value is whole, else Float64."""
    numbers = column.astype("Float64")
    whole = numbers.dropna()
    return numbers.astype("Int64") if len(whole) and bool((whole == whole.round()).all()) else numbers


def cell_system(
    frame: pd.DataFrame,
    rules: Rule | Mapping[str, Rule],
    *,
    threshold: int = 5,
    links: Sequence[Link] = LINKS,
    sums: Sequence[IndicatorSum] = (),
) -> CellSystem:
    """The cells, primary cells and margin relations of the frame (what an attacker knows is the same)."""
    if threshold < 1:
        raise DisclosureError(f"threshold must be at least 1 (got {threshold})")
    _check_frame(frame)
    data = frame.reset_index(drop=True)
    rule_of = _rules_by_row(data, rules)
    numerator = data["numerator"].astype("Float64")
    denominator = data["denominator"].astype("Float64")
    values = np.column_stack([numerator.to_numpy(float), denominator.fillna(0).to_numpy(float)])
    small = lambda count: ((count >= 1) & (count < threshold)).fillna(False).to_numpy(bool)  # noqa: E731
    primary = (small(numerator) & rule_of["numerator_persons"]) | (small(denominator) & rule_of["denominator_persons"])
    keys = _keys(data)
    totals, part_relation, part_cell = [], [], []
    for relation_total, relation_parts in _link_relations(data, keys, rule_of, links) + _sum_relations(data, keys, sums):
        offset = sum(len(t) for t in totals)
        totals.append(relation_total)
        part_relation.append(relation_parts[0] + offset)
        part_cell.append(relation_parts[1])
    relations = Relations.from_arrays(
        len(data),
        np.concatenate(totals) if totals else np.zeros(0, np.int64),
        np.concatenate(part_relation) if part_relation else np.zeros(0, np.int64),
        np.concatenate(part_cell) if part_cell else np.zeros(0, np.int64),
    )
    _check_relations(data, values, relations)
    return CellSystem(values, primary, relations)


def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DisclosureError(f"column {missing[0]!r} missing from the indicator frame")
    unknown = ~frame["breakdown"].isin(list(BREAKDOWN_KEYS))
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DisclosureError(
            f"row {row}, column breakdown: {frame['breakdown'].iloc[row]!r} is not one of {', '.join(BREAKDOWN_KEYS)}"
        )
    for column in ("numerator", "denominator"):
        counts = pd.to_numeric(frame[column], errors="coerce")
        bad = (counts < 0) | (counts.isna() & frame[column].notna())
        if column == "numerator":
            bad |= frame[column].isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DisclosureError(
                f"row {row} ({_describe(frame.iloc[row])}), column {column}: "
                f"{frame[column].iloc[row]!r} is not a non-negative count"
            )
    duplicated = frame.duplicated(["indicator", "breakdown", *DIMENSIONS])
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DisclosureError(f"row {row} ({_describe(frame.iloc[row])}): the same cell appears twice")


def _rules_by_row(data: pd.DataFrame, rules: Rule | Mapping[str, Rule]) -> dict[str, np.ndarray]:
    """numerator_persons, denominator_persons per row, and the rule of each indicator."""
    if isinstance(rules, Rule):
        rules = {indicator: rules for indicator in data["indicator"].unique()}
    absent = sorted(set(data["indicator"].unique()) - set(rules))
    if absent:
        raise DisclosureError(f"indicator {absent[0]!r} has no disclosure rule")
    indicator = data["indicator"]
    return {
        "numerator_persons": indicator.map({k: r.numerator_persons for k, r in rules.items()}).to_numpy(bool),
        "denominator_persons": indicator.map({k: r.denominator_persons for k, r in rules.items()}).to_numpy(bool),
        **{f"additive_{d}": indicator.map({k: d in r.additive_over for k, r in rules.items()}).to_numpy(bool) for d in DIMENSIONS},
    }


def _keys(data: pd.DataFrame) -> pd.DataFrame:
    """Each dimension as an integer code (-1 where the breakdown has no such key), for fast joins."""
    return pd.DataFrame(
        {d: pd.factorize(data[d], use_na_sentinel=True)[0] for d in DIMENSIONS}
        | {"indicator": pd.factorize(data["indicator"])[0], "breakdown": data["breakdown"].to_numpy()}
    )


Relation = tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]  # totals, (relation index, part cell)


def _link_relations(
    data: pd.DataFrame, keys: pd.DataFrame, rule_of: dict[str, np.ndarray], links: Sequence[Link]
) -> list[Relation]:
    """One relation per total row of every link that holds: the total row and its part rows."""
    found = []
    for link in links:
        shared = [d for d in BREAKDOWN_KEYS[link.parts] if d != link.over]
        if tuple(shared) != BREAKDOWN_KEYS[link.total] or link.over not in BREAKDOWN_KEYS[link.parts]:
            raise DisclosureError(f"link {link.parts} → {link.total} over {link.over}: the breakdowns' keys do not match")
        holds = rule_of[f"additive_{link.over}"]
        parts = keys[(keys["breakdown"] == link.parts) & holds]
        totals = keys[(keys["breakdown"] == link.total) & holds]
        with_parts = totals["indicator"].isin(parts["indicator"].unique())
        found.append(_join(data, totals[with_parts], parts, ["indicator", *shared], f"{link.total} (sum of {link.parts})"))
    return found


def _sum_relations(data: pd.DataFrame, keys: pd.DataFrame, sums: Sequence[IndicatorSum]) -> list[Relation]:
    """One relation per row of each summed indicator: the row and the same cell of every part indicator."""
    found = []
    codes = dict(zip(data["indicator"], keys["indicator"], strict=True))
    for declared in sums:
        if declared.total not in codes:
            continue
        totals = keys[keys["indicator"] == codes[declared.total]]
        parts = keys[keys["indicator"].isin([codes[p] for p in declared.parts if p in codes])]
        found.append(_join(data, totals, parts, ["breakdown", *DIMENSIONS], f"{declared.total} (sum of {', '.join(declared.parts)})"))
    return found


def _join(data: pd.DataFrame, totals: pd.DataFrame, parts: pd.DataFrame, on: list[str], what: str) -> Relation:
    """Relations total row ↔ part rows matching on `on`; a part without its total row is an error."""
    total_rows = totals[on].reset_index(names="total_row").reset_index(names="relation")
    part_rows = parts[on].reset_index(names="part_row")
    matched = part_rows.merge(total_rows, on=on, how="left")
    orphan = matched["relation"].isna()
    if orphan.any():
        row = int(matched.loc[orphan, "part_row"].iloc[0])
        raise DisclosureError(f"row {row} ({_describe(data.iloc[row])}) has no row for its {what}")
    return total_rows["total_row"].to_numpy(np.int64), (
        matched["relation"].to_numpy(np.int64),
        matched["part_row"].to_numpy(np.int64),
    )


def _check_relations(data: pd.DataFrame, values: FloatArray, relations: Relations) -> None:
    residual = relations.residuals(values)
    wrong = np.abs(residual) > 1e-6
    if wrong.any():
        relation, layer = (int(i) for i in np.argwhere(wrong)[0])
        total_row = int(relations.matrix[relation].indices[relations.matrix[relation].data > 0][0])
        column = ("numerator", "denominator")[layer]
        raise DisclosureError(
            f"row {total_row} ({_describe(data.iloc[total_row])}), column {column}: "
            f"{values[total_row, layer]:g} is not the sum of its parts ({values[total_row, layer] - residual[relation, layer]:g}); "
            "declare the indicator not additive over that dimension"
        )


def _describe(row: pd.Series) -> str:
    keys = [f"{d}={row[d]}" for d in DIMENSIONS if d in row and pd.notna(row[d])]
    return ", ".join([f"indicator {row['indicator']}", f"breakdown {row['breakdown']}", *keys])


def _report(published: pd.DataFrame) -> pd.DataFrame:
    """Cells, primary and secondary suppressions per table (indicator × breakdown), in the frame's order."""
    grouped = published.groupby(["indicator", "breakdown"], sort=False)
    return pd.DataFrame(
        {
            "cells": grouped.size(),
            "primary": grouped["flag"].agg(lambda f: int((f == PRIMARY).sum())),
            "secondary": grouped["flag"].agg(lambda f: int((f == SECONDARY).sum())),
        }
    ).reset_index()
