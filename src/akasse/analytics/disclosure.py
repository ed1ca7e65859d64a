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
import numpy.typing as npt
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
_BREAKDOWN_CODE = {breakdown: code for code, breakdown in enumerate(BREAKDOWN_KEYS)}
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
    table: npt.NDArray[np.int64]  # each row's table (indicator × breakdown), an index into `tables`
    tables: pd.DataFrame  # indicator, breakdown of each table


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
    return Protected(published, _report(system, hidden))


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
    keys = _Keys.of(data)
    duplicated = pd.Series(keys.identity(["indicator", "breakdown", *DIMENSIONS])).duplicated().to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise DisclosureError(f"row {row} ({_describe(data.iloc[row])}): the same cell appears twice")
    rule_of = _rules_by_row(keys, rules)
    numerator = data["numerator"].astype("Float64")
    denominator = data["denominator"].astype("Float64")
    values = np.column_stack([numerator.to_numpy(float), denominator.fillna(0).to_numpy(float)])
    small = lambda count: ((count >= 1) & (count < threshold)).fillna(False).to_numpy(bool)  # noqa: E731
    primary = (small(numerator) & rule_of["numerator_persons"]) | (small(denominator) & rule_of["denominator_persons"])
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
    table = keys.codes["indicator"] * len(BREAKDOWN_KEYS) + keys.codes["breakdown"]
    used, table = np.unique(table, return_inverse=True)
    tables = pd.DataFrame(
        {"indicator": keys.indicators[used // len(BREAKDOWN_KEYS)], "breakdown": np.array(list(BREAKDOWN_KEYS))[used % len(BREAKDOWN_KEYS)]}
    )
    return CellSystem(values, primary, relations, table, tables)


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


def _rules_by_row(keys: _Keys, rules: Rule | Mapping[str, Rule]) -> dict[str, np.ndarray]:
    """numerator_persons, denominator_persons and additive_<dimension> for every row, from its indicator's rule."""
    if isinstance(rules, Rule):
        rules = dict.fromkeys(keys.indicators, rules)
    absent = [i for i in keys.indicators if i not in rules]
    if absent:
        raise DisclosureError(f"indicator {absent[0]!r} has no disclosure rule")
    chosen = [rules[i] for i in keys.indicators]
    code = keys.codes["indicator"]
    flags = {
        "numerator_persons": [r.numerator_persons for r in chosen],
        "denominator_persons": [r.denominator_persons for r in chosen],
        **{f"additive_{d}": [d in r.additive_over for r in chosen] for d in DIMENSIONS},
    }
    return {name: np.asarray(per_indicator, dtype=bool)[code] for name, per_indicator in flags.items()}


@dataclass(frozen=True)
class _Keys:
    """Each row's indicator, breakdown and dimensions as integer codes (-1 where the breakdown has no such
    key), so that tables are joined on one integer instead of several strings."""

    codes: dict[str, npt.NDArray[np.int64]]
    indicators: pd.Index  # indicator ids in code order

    @classmethod
    def of(cls, data: pd.DataFrame) -> _Keys:
        indicator, indicators = pd.factorize(data["indicator"])
        codes = {d: pd.factorize(data[d], use_na_sentinel=True)[0].astype(np.int64) for d in DIMENSIONS}
        codes["indicator"] = indicator.astype(np.int64)
        breakdown, breakdowns = pd.factorize(data["breakdown"])
        codes["breakdown"] = np.array([_BREAKDOWN_CODE[b] for b in breakdowns], dtype=np.int64)[breakdown]
        return cls(codes, pd.Index(indicators))

    def identity(self, columns: Sequence[str]) -> npt.NDArray[np.int64]:
        """One integer per distinct combination of `columns` (mixed radix over the codes)."""
        result = np.zeros(len(self.codes["indicator"]), dtype=np.int64)
        for column in columns:
            code = self.codes[column] + 1
            result = result * (int(code.max(initial=0)) + 1) + code
        return result


Relation = tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]  # totals, (relation index, part cell)


def _link_relations(
    data: pd.DataFrame, keys: _Keys, rule_of: dict[str, np.ndarray], links: Sequence[Link]
) -> list[Relation]:
    """One relation per total row of every link that holds: the total row and its part rows."""
    found = []
    breakdown = keys.codes["breakdown"]
    for link in links:
        shared = [d for d in BREAKDOWN_KEYS[link.parts] if d != link.over]
        if tuple(shared) != BREAKDOWN_KEYS[link.total] or link.over not in BREAKDOWN_KEYS[link.parts]:
            raise DisclosureError(f"link {link.parts} → {link.total} over {link.over}: the breakdowns' keys do not match")
        holds = rule_of[f"additive_{link.over}"]
        parts = (breakdown == _BREAKDOWN_CODE[link.parts]) & holds
        totals = (breakdown == _BREAKDOWN_CODE[link.total]) & holds
        totals &= np.isin(keys.codes["indicator"], np.unique(keys.codes["indicator"][parts]))
        identity = keys.identity(["indicator", *shared])
        found.append(_join(data, identity, totals, parts, f"{link.total} (sum of {link.parts})"))
    return found


def _sum_relations(data: pd.DataFrame, keys: _Keys, sums: Sequence[IndicatorSum]) -> list[Relation]:
    """One relation per row of each summed indicator: the row and the same cell of every part indicator."""
    found = []
    codes = {indicator: code for code, indicator in enumerate(keys.indicators)}
    identity = keys.identity(["breakdown", *DIMENSIONS])
    for declared in sums:
        if declared.total not in codes:
            continue
        totals = keys.codes["indicator"] == codes[declared.total]
        parts = np.isin(keys.codes["indicator"], [codes[p] for p in declared.parts if p in codes])
        found.append(_join(data, identity, totals, parts, f"{declared.total} (sum of {', '.join(declared.parts)})"))
    return found


def _join(data: pd.DataFrame, identity: np.ndarray, totals: BoolArray, parts: BoolArray, what: str) -> Relation:
    """One relation per total row, holding the part rows with the same identity; a part without a total row
    is an error."""
    total_rows, part_rows = np.flatnonzero(totals), np.flatnonzero(parts)
    relation = pd.Index(identity[total_rows]).get_indexer(identity[part_rows])
    if (relation < 0).any():
        row = int(part_rows[relation < 0][0])
        raise DisclosureError(f"row {row} ({_describe(data.iloc[row])}) has no row for its {what}")
    return total_rows.astype(np.int64), (relation.astype(np.int64), part_rows.astype(np.int64))


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


def _report(system: CellSystem, hidden: BoolArray) -> pd.DataFrame:
    """Cells, primary and secondary suppressions per table (indicator × breakdown)."""
    count = lambda mask: np.bincount(system.table, weights=mask, minlength=len(system.tables)).astype(np.int64)  # noqa: E731
    return system.tables.assign(
        cells=count(np.ones(len(hidden))), primary=count(system.primary), secondary=count(hidden & ~system.primary)
    )
