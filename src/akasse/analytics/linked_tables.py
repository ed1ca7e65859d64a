"""The indicator catalogue's rows as count cells and the linear relations an attacker knows between them.

Every row of the long frame gives a numerator cell and a denominator cell (0 and unrelated for counts),
tied so that they are hidden together. The relations are the margins (`LINKS`: a month's a-kasse rows add up
to the month row, …), declared sums of indicators (`IndicatorSum`), and equalities: the month row is the
month × group row of the trial group (`ALIASES`), and the same count shown by two indicators (`SameCount`:
the hand-overs are the denominator of the share with 3+ conversations, declared or detected) is one cell,
so hiding it in one table hides it in the other. A row that is missing reads as 0 (the catalogue omits
empty cells).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from akasse.analytics.suppression import BoolArray, FloatArray, IntArray, Relations

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
LAYERS = ("numerator", "denominator")


class DisclosureError(ValueError):
    """Input that cannot be protected as declared; the message names the indicator, row and column."""


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
            raise DisclosureError(
                f"additive_over: unknown dimension {sorted(unknown)[0]!r} (known: {', '.join(DIMENSIONS)})"
            )


@dataclass(frozen=True)
class Link:
    """The rows of breakdown `parts` add up, over dimension `over`, to the row of breakdown `total` with the
    same remaining keys; it holds for an indicator whose rule is additive over `over`."""

    parts: str
    total: str
    over: str


LINKS: tuple[Link, ...] = (
    Link("month_akasse", "month", "akasse"),
    Link("month_akasse_municipality", "month_akasse", "municipality"),
    Link("month_group", "month", "group"),
    Link("month", "total", "month"),
)


@dataclass(frozen=True)
class Alias:
    """Each row of `breakdown` is the row of `of` with the same keys and `dimension` == `value` (same
    indicator, both layers)."""

    breakdown: str
    of: str
    dimension: str
    value: str


#: "Breakdowns other than month_group describe the trial group only" (akasse.analytics.indicators).
ALIASES: tuple[Alias, ...] = (Alias("month", "month_group", "group", "trial"),)


@dataclass(frozen=True)
class IndicatorSum:
    """Indicator `total`'s rows equal the sum of the `parts` indicators' rows with the same breakdown and keys
    (e.g. exits = exits to job + handed over + referred + moved + switched), in the numerator."""

    total: str
    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.total in self.parts:
            raise DisclosureError(f"sum of indicators: {self.total!r} is among its own parts")


@dataclass(frozen=True)
class SameCount:
    """The `layer` of indicator `a` is the `b_layer` of indicator `b`, row by row (same breakdown, keys)."""

    a: str
    b: str
    layer: str = "numerator"
    b_layer: str = "numerator"


@dataclass(frozen=True)
class CellSystem:
    """What an attacker knows: count cells, their relations, which cells go together, and where each row's
    cells are. Cells are numbered 0..n-1; rows keep the frame's order."""

    values: FloatArray  # per cell
    primary: BoolArray  # per cell: a person count of 1..threshold-1
    relations: Relations
    groups: IntArray  # per cell: cells of a group are hidden together
    signed: BoolArray  # per cell: a sum that may be negative (its indicator's layer has negative values)
    row_cells: npt.NDArray[np.int64]  # rows × 2: each row's numerator and denominator cell
    row_primary: BoolArray  # per row: one of the row's own counts is primary
    table: IntArray  # per row: its table (indicator × breakdown), an index into `tables`
    tables: pd.DataFrame  # indicator, breakdown of each table

    def cells_of(self, rows: BoolArray) -> BoolArray:
        """The cells hidden when the rows in `rows` are hidden: cells of those rows that no other (published)
        row shows."""
        rows = np.asarray(rows, dtype=bool)
        cells = np.zeros(len(self.values), dtype=bool)
        cells[self.row_cells[rows].ravel()] = True
        cells[self.row_cells[~rows].ravel()] = False
        return cells


def cell_system(
    frame: pd.DataFrame,
    rules: Rule | Mapping[str, Rule],
    *,
    threshold: int = 5,
    links: Sequence[Link] = LINKS,
    aliases: Sequence[Alias] = ALIASES,
    sums: Sequence[IndicatorSum] = (),
    same: Sequence[SameCount] = (),
    detect_same: bool = True,
) -> CellSystem:
    """The frame's rows as cells and relations (module docstring); DisclosureError on inconsistent input.

    `detect_same` also equates every two indicators' series (one layer, one breakdown) that agree on every
    cell: a count two tables show by definition need not be declared. A coincidence only ties cells that are
    equal anyway, which can cost suppressions but never protection (the attacker is assumed to know more).
    """
    if threshold < 1:
        raise DisclosureError(f"threshold must be at least 1 (got {threshold})")
    _check_frame(frame)
    data = frame.reset_index(drop=True)
    n_rows = len(data)
    keys = _Keys.of(data)
    identity = keys.identity(["indicator", "breakdown", *DIMENSIONS])
    ordered = np.sort(identity)
    if (ordered[1:] == ordered[:-1]).any():
        row = int(np.flatnonzero(pd.Series(identity).duplicated().to_numpy())[0])
        raise DisclosureError(f"row {row} ({_describe(data.iloc[row])}): the same cell appears twice")
    rule_of = _rules_by_row(keys, rules)
    numerator = data["numerator"].astype("Float64")
    denominator = data["denominator"].astype("Float64")
    # Cell r is row r's numerator, cell n_rows + r its denominator.
    raw_values = np.concatenate([numerator.to_numpy(float), denominator.fillna(0).to_numpy(float)])

    def small(count: pd.Series) -> BoolArray:
        return np.asarray(((count >= 1) & (count < threshold)).fillna(False).to_numpy(bool))

    raw_primary = np.concatenate(
        [small(numerator) & rule_of["numerator_persons"], small(denominator) & rule_of["denominator_persons"]]
    )
    raw_signed = _signed_layers(data, keys, raw_values, rule_of)
    with_denominator = keys.of_indicators_in(denominator.notna().to_numpy())
    builder = _Builder(data, keys, raw_values)
    for link in links:
        builder.link(link, rule_of[f"additive_{link.over}"], with_denominator)
    for alias in aliases:
        builder.alias(alias, with_denominator)
    for indicator_sum in sums:
        builder.indicator_sum(indicator_sum)
    for same_count in same:
        builder.same_count(same_count)
    if detect_same:
        builder.equal_series(with_denominator)
    label, n_cells = builder.merged()
    values = np.zeros(n_cells)
    values[label] = raw_values
    primary, signed = np.zeros(n_cells, dtype=bool), np.zeros(n_cells, dtype=bool)
    primary[label[raw_primary]] = True  # a merged cell is primary (signed) when one of its raw cells is
    signed[label[raw_signed]] = True
    relations = builder.relations(label, n_cells)
    _check_relations(data, values, relations, label)
    row_cells = label.reshape(2, n_rows).T
    tie = sparse.coo_matrix((np.ones(n_rows), (row_cells[:, 0], row_cells[:, 1])), shape=(n_cells, n_cells))
    _, groups = connected_components(tie, directed=False)
    table = keys.codes["indicator"] * len(BREAKDOWN_KEYS) + keys.codes["breakdown"]
    present = np.bincount(table, minlength=len(keys.indicators) * len(BREAKDOWN_KEYS)) > 0
    used, table = np.flatnonzero(present), (np.cumsum(present) - 1)[table]
    tables = pd.DataFrame(
        {
            "indicator": keys.indicators[used // len(BREAKDOWN_KEYS)],
            "breakdown": np.array(list(BREAKDOWN_KEYS))[used % len(BREAKDOWN_KEYS)],
        }
    )
    row_primary = raw_primary[:n_rows] | raw_primary[n_rows:]
    return CellSystem(
        values, primary, relations, groups.astype(np.int64), signed, row_cells, row_primary, table, tables
    )


def _signed_layers(
    data: pd.DataFrame, keys: _Keys, raw_values: FloatArray, rule_of: dict[str, BoolArray]
) -> BoolArray:
    """Raw cells whose indicator has a negative value in that layer (a sum of days, not a count); a negative
    person count is an error."""
    n_rows = len(data)
    signed = []
    for layer, column in enumerate(LAYERS):
        negative = raw_values[layer * n_rows : (layer + 1) * n_rows] < 0
        persons = negative & rule_of[f"{column}_persons"]
        if persons.any():
            row = int(np.flatnonzero(persons)[0])
            raise DisclosureError(
                f"row {row} ({_describe(data.iloc[row])}), column {column}: "
                f"{raw_values[layer * n_rows + row]:g} is a negative count of persons"
            )
        signed.append(keys.of_indicators_in(negative))
    return np.concatenate(signed)


def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DisclosureError(f"column {missing[0]!r} missing from the indicator frame")
    unknown = ~frame["breakdown"].isin(list(BREAKDOWN_KEYS))
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DisclosureError(
            f"row {row}, column breakdown: {frame['breakdown'].iloc[row]!r} "
            f"is not one of {', '.join(BREAKDOWN_KEYS)}"
        )
    for column in LAYERS:
        values = frame[column]
        # A numeric column holds numbers or NA; only other dtypes need converting to find a non-number.
        bad = (
            np.zeros(len(frame), dtype=bool)
            if pd.api.types.is_numeric_dtype(values)
            else (pd.to_numeric(values, errors="coerce").isna() & values.notna()).to_numpy(bool)
        )
        if column == "numerator":
            bad = bad | values.isna().to_numpy(bool)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DisclosureError(
                f"row {row} ({_describe(frame.iloc[row])}), column {column}: "
                f"{frame[column].iloc[row]!r} is not a number"
            )


def _rules_by_row(keys: _Keys, rules: Rule | Mapping[str, Rule]) -> dict[str, BoolArray]:
    """numerator_persons, denominator_persons and additive_<dimension> of every row's indicator."""
    if isinstance(rules, Rule):
        rules = dict.fromkeys(keys.indicators, rules)
    absent = [i for i in keys.indicators if i not in rules]
    if absent:
        raise DisclosureError(f"indicator {absent[0]!r} has no disclosure rule")
    chosen = [rules[i] for i in keys.indicators]
    flags = {
        "numerator_persons": [r.numerator_persons for r in chosen],
        "denominator_persons": [r.denominator_persons for r in chosen],
        **{f"additive_{d}": [d in r.additive_over for r in chosen] for d in DIMENSIONS},
    }
    return {
        name: np.asarray(per_indicator, dtype=bool)[keys.codes["indicator"]]
        for name, per_indicator in flags.items()
    }


@dataclass(frozen=True)
class _Keys:
    """Each row's indicator, breakdown and dimensions as integer codes (-1 where the breakdown has no such
    key), so that tables are joined on one integer instead of several strings."""

    codes: dict[str, IntArray]
    indicators: pd.Index  # indicator ids in code order
    values: dict[str, pd.Index]  # the distinct values of each dimension, in code order
    identities: dict[tuple[str, ...], IntArray] = field(default_factory=dict)  # identity() by columns

    @classmethod
    def of(cls, data: pd.DataFrame) -> _Keys:
        indicator, indicators = pd.factorize(data["indicator"])
        codes, values = {}, {}
        for dimension in DIMENSIONS:
            code, uniques = pd.factorize(data[dimension], use_na_sentinel=True)
            codes[dimension], values[dimension] = code.astype(np.int64), pd.Index(uniques)
        codes["indicator"] = indicator.astype(np.int64)
        breakdown, breakdowns = pd.factorize(data["breakdown"])
        codes["breakdown"] = np.array([_BREAKDOWN_CODE[b] for b in breakdowns], dtype=np.int64)[breakdown]
        return cls(codes, pd.Index(indicators), values)

    def identity(self, columns: Sequence[str]) -> IntArray:
        """One integer per distinct combination of `columns` (mixed radix over the codes), computed once."""
        if tuple(columns) not in self.identities:
            result = np.zeros(len(self.codes["indicator"]), dtype=np.int64)
            for column in columns:
                code = self.codes[column] + 1
                result = result * (int(code.max(initial=0)) + 1) + code
            self.identities[tuple(columns)] = result
        return self.identities[tuple(columns)]

    def of_indicators_in(self, rows: BoolArray) -> BoolArray:
        """Per row: whether its indicator has a row in `rows`."""
        indicator = self.codes["indicator"]
        return np.asarray(np.bincount(indicator[rows], minlength=len(self.indicators))[indicator] > 0)

    def indicator_code(self, indicator: str) -> int:
        """The code of `indicator`, or -1 when the frame has no row of it."""
        return int(self.indicators.get_indexer([indicator])[0])


class _Builder:
    """Collects relations (on the frame's raw cells) and equalities, then merges equal cells."""

    def __init__(self, data: pd.DataFrame, keys: _Keys, raw_values: FloatArray):
        self.data, self.keys, self.raw_values = data, keys, raw_values
        self.n_rows = len(data)
        self.totals: list[IntArray] = []
        self.parts: list[tuple[IntArray, IntArray]] = []  # (relation within its batch, cell)
        self.equal: list[tuple[IntArray, IntArray]] = []

    def link(self, link: Link, holds: BoolArray, with_denominator: BoolArray) -> None:
        """One relation per total row and layer: the total row's cell and its part rows' cells."""
        shared = [d for d in BREAKDOWN_KEYS[link.parts] if d != link.over]
        if tuple(shared) != BREAKDOWN_KEYS[link.total] or link.over not in BREAKDOWN_KEYS[link.parts]:
            raise DisclosureError(
                f"link {link.parts} → {link.total} over {link.over}: the breakdowns' keys do not match"
            )
        breakdown = self.keys.codes["breakdown"]
        parts = (breakdown == _BREAKDOWN_CODE[link.parts]) & holds
        totals = (breakdown == _BREAKDOWN_CODE[link.total]) & holds
        # The link holds for the indicators published in both breakdowns.
        both = self.keys.of_indicators_in(parts) & self.keys.of_indicators_in(totals)
        parts &= both
        totals &= both
        total_rows, relation, part_rows = self._match(
            self.keys.identity(["indicator", *shared]), totals, parts, f"{link.total} (sum of {link.parts})"
        )
        self._relations(total_rows, relation, part_rows, with_denominator[total_rows])

    def alias(self, alias: Alias, with_denominator: BoolArray) -> None:
        """Row of `breakdown` ≡ row of `of` with dimension == value, in both layers."""
        breakdown = self.keys.codes["breakdown"]
        fixed = self.keys.values[alias.dimension].get_indexer([alias.value])[0]
        rows = breakdown == _BREAKDOWN_CODE[alias.breakdown]
        of = (
            (breakdown == _BREAKDOWN_CODE[alias.of])
            & (self.keys.codes[alias.dimension] == fixed)
            & (fixed >= 0)
        )
        both = self.keys.of_indicators_in(rows) & self.keys.of_indicators_in(of)
        identity = self.keys.identity(["indicator", *BREAKDOWN_KEYS[alias.breakdown]])
        for layer in (0, 1):
            mask = with_denominator if layer else np.ones(self.n_rows, dtype=bool)
            self._equate(identity, rows & mask & both, of & mask & both, layer, layer)

    def indicator_sum(self, declared: IndicatorSum) -> None:
        """One numerator relation per row of the total indicator: the same cell of every part indicator."""
        indicator = self.keys.codes["indicator"]
        code = self.keys.indicator_code(declared.total)
        if code < 0:
            return
        named = np.zeros(len(self.keys.indicators) + 1, dtype=bool)  # code -1 (absent) lands on the extra
        named[[self.keys.indicator_code(p) for p in declared.parts]] = True
        parts = named[indicator]
        identity = self.keys.identity(["breakdown", *DIMENSIONS])
        total_rows, relation, part_rows = self._match(
            identity, indicator == code, parts, f"{declared.total} (sum of {', '.join(declared.parts)})"
        )
        self._relations(total_rows, relation, part_rows, np.zeros(len(total_rows), dtype=bool))

    def same_count(self, declared: SameCount) -> None:
        indicator = self.keys.codes["indicator"]
        a, b = self.keys.indicator_code(declared.a), self.keys.indicator_code(declared.b)
        if a < 0 or b < 0:
            return
        identity = self.keys.identity(["breakdown", *DIMENSIONS])
        self._equate(
            identity,
            indicator == a,
            indicator == b,
            LAYERS.index(declared.layer),
            LAYERS.index(declared.b_layer),
        )

    def equal_series(self, with_denominator: BoolArray) -> None:
        """Equate the series (indicator, layer, breakdown) that hold the same non-zero values on the same
        cells, found by an order-free fingerprint (count and sum of hashes of cell and value)."""
        identity = self.keys.identity(["breakdown", *DIMENSIONS])
        indicator, breakdown = self.keys.codes["indicator"], self.keys.codes["breakdown"]
        n = self.n_rows
        cell_hash = pd.util.hash_array(identity)
        n_series = 2 * len(self.keys.indicators) * len(BREAKDOWN_KEYS)
        size = np.zeros(n_series, dtype=np.int64)
        fingerprint = np.zeros(n_series, dtype=np.uint64)
        for layer in (0, 1):
            values = self.raw_values[layer * n : (layer + 1) * n]
            rows = np.flatnonzero((values != 0) & (with_denominator if layer else True))
            hashed = cell_hash[rows] * np.uint64(1_000_003) + pd.util.hash_array(values[rows])
            series = (indicator[rows] * 2 + layer) * len(BREAKDOWN_KEYS) + breakdown[rows]
            size += np.bincount(series, minlength=n_series)
            np.add.at(fingerprint, series, hashed)  # wraps modulo 2**64: order-free
        used = np.flatnonzero(size)
        found = pd.DataFrame(
            {
                "indicator": used // (2 * len(BREAKDOWN_KEYS)),
                "layer": used // len(BREAKDOWN_KEYS) % 2,
                "breakdown": used % len(BREAKDOWN_KEYS),
                "size": size[used],
                "sum": fingerprint[used],
            }
        )
        for _, same in found.groupby(["breakdown", "size", "sum"]):
            if same["indicator"].nunique() < 2:
                continue
            first = same.iloc[0]
            rows_first = (indicator == first["indicator"]) & (breakdown == first["breakdown"])
            for other in same.iloc[1:].itertuples():
                if other.indicator == first["indicator"]:
                    continue
                rows_other = (indicator == other.indicator) & (breakdown == other.breakdown)
                layers = int(first["layer"]), int(other.layer)
                if self._same_values(identity, rows_first, rows_other, *layers):
                    self._equate(identity, rows_first, rows_other, *layers)

    def _same_values(
        self, identity: IntArray, rows_a: BoolArray, rows_b: BoolArray, layer_a: int, layer_b: int
    ) -> bool:
        """Whether the two series hold the same non-zero values on the same cells (checks a fingerprint)."""
        n = self.n_rows
        sides = []
        for rows, layer in ((rows_a, layer_a), (rows_b, layer_b)):
            index = np.flatnonzero(rows)
            values = self.raw_values[layer * n + index]
            keep = values != 0
            sides.append(pd.Series(values[keep], index=identity[index[keep]]).sort_index())
        return bool(
            sides[0].index.equals(sides[1].index) and np.array_equal(sides[0].to_numpy(), sides[1].to_numpy())
        )

    def merged(self) -> tuple[IntArray, int]:
        """The merged cell of every raw cell (equal cells become one), and the number of merged cells."""
        n = 2 * self.n_rows
        first = np.concatenate([a for a, _ in self.equal]) if self.equal else np.zeros(0, np.int64)
        second = np.concatenate([b for _, b in self.equal]) if self.equal else np.zeros(0, np.int64)
        different = self.raw_values[first] != self.raw_values[second]
        if different.any():
            row_a, row_b = int(first[different][0] % self.n_rows), int(second[different][0] % self.n_rows)
            layer_a, layer_b = (
                LAYERS[first[different][0] // self.n_rows],
                LAYERS[second[different][0] // self.n_rows],
            )
            raise DisclosureError(
                f"row {row_a} ({_describe(self.data.iloc[row_a])}), column {layer_a}: "
                f"{self.raw_values[first[different][0]]:g} should equal "
                f"row {row_b} ({_describe(self.data.iloc[row_b])}), "
                f"column {layer_b}: {self.raw_values[second[different][0]]:g}"
            )
        graph = sparse.coo_matrix((np.ones(len(first)), (first, second)), shape=(n, n))
        count, label = connected_components(graph, directed=False)
        return label.astype(np.int64), int(count)

    def relations(self, label: IntArray, n_cells: int) -> Relations:
        """The collected relations on merged cells, each distinct relation once."""
        totals, part_relation, part_cell = [], [], []
        offset = 0
        for batch_totals, (batch_relation, batch_cells) in zip(self.totals, self.parts, strict=True):
            totals.append(batch_totals)
            part_relation.append(batch_relation + offset)
            part_cell.append(batch_cells)
            offset += len(batch_totals)
        empty = np.zeros(0, np.int64)
        return Relations.merged(
            label,
            n_cells,
            np.concatenate(totals) if totals else empty,
            np.concatenate(part_relation) if part_relation else empty,
            np.concatenate(part_cell) if part_cell else empty,
        )

    def _match(
        self, identity: IntArray, totals: BoolArray, parts: BoolArray, what: str
    ) -> tuple[IntArray, IntArray, IntArray]:
        """Total rows, and for each part row its relation (an index into the total rows); a part row without
        its total row is an error."""
        total_rows, part_rows = np.flatnonzero(totals), np.flatnonzero(parts)
        relation = _positions(identity[total_rows], identity[part_rows])
        if (relation < 0).any():
            row = int(part_rows[relation < 0][0])
            raise DisclosureError(f"row {row} ({_describe(self.data.iloc[row])}) has no row for its {what}")
        return total_rows.astype(np.int64), relation.astype(np.int64), part_rows.astype(np.int64)

    def _relations(
        self, total_rows: IntArray, relation: IntArray, part_rows: IntArray, denominator: BoolArray
    ) -> None:
        """Add the numerator relations, and the denominator relations of the totals in `denominator`."""
        self.totals.append(total_rows)
        self.parts.append((relation, part_rows))
        kept = np.flatnonzero(denominator)
        renumber = np.full(len(total_rows), -1)
        renumber[kept] = np.arange(len(kept))
        in_kept = renumber[relation] >= 0
        self.totals.append(total_rows[kept] + self.n_rows)
        self.parts.append((renumber[relation[in_kept]], part_rows[in_kept] + self.n_rows))

    def _equate(
        self, identity: IntArray, rows_a: BoolArray, rows_b: BoolArray, layer_a: int, layer_b: int
    ) -> None:
        """Cells of rows_a (layer_a) equal the cells of rows_b (layer_b) with the same identity; a row without
        its counterpart must be 0 there (a missing row reads as 0), which becomes a one-cell relation."""
        a, b = np.flatnonzero(rows_a), np.flatnonzero(rows_b)
        match = _positions(identity[b], identity[a])
        found = match >= 0
        self.equal.append((a[found] + layer_a * self.n_rows, b[match[found]] + layer_b * self.n_rows))
        matched_b = np.zeros(len(b), dtype=bool)
        matched_b[match[found]] = True
        alone = np.concatenate([a[~found] + layer_a * self.n_rows, b[~matched_b] + layer_b * self.n_rows])
        self.totals.append(alone.astype(np.int64))
        self.parts.append((np.zeros(0, np.int64), np.zeros(0, np.int64)))


def _positions(keys: IntArray, wanted: IntArray) -> IntArray:
    """The position of each `wanted` identity among the distinct `keys`, or -1: a direct table when the
    identities are small (few dimensions, as the margins join on), else a hash index."""
    largest = int(max(keys.max(initial=0), wanted.max(initial=0)))
    if largest > 4 * (len(keys) + len(wanted)) + 1024:
        return np.asarray(pd.Index(keys).get_indexer(wanted), dtype=np.int64)
    table = np.full(largest + 1, -1, dtype=np.int64)
    table[keys] = np.arange(len(keys))
    return table[wanted]


def _check_relations(data: pd.DataFrame, values: FloatArray, relations: Relations, label: IntArray) -> None:
    """Every relation holds on the frame's values, or DisclosureError naming the total's row and column."""
    residual = relations.residuals(values)
    wrong = np.flatnonzero(np.abs(residual) > 1e-6)
    if not len(wrong):
        return
    row_of_cell = np.full(len(values), -1)
    row_of_cell[label[::-1]] = np.arange(len(label))[::-1]  # the first raw cell of each merged cell
    matrix = relations.matrix[int(wrong[0])]
    total = int(matrix.indices[np.argmax(matrix.data)])  # the total, or the first part when it cancelled out
    raw = int(row_of_cell[total])
    row, column = raw % len(data), LAYERS[raw // len(data)]
    raise DisclosureError(
        f"row {row} ({_describe(data.iloc[row])}), column {column}: {values[total]:g} is not the sum of its "
        f"parts ({values[total] - residual[wrong[0]]:g}); "
        "declare the indicator not additive over that dimension, "
        "or check the declared sums and equalities"
    )


def _describe(row: pd.Series) -> str:
    keys = [f"{d}={row[d]}" for d in DIMENSIONS if d in row and pd.notna(row[d])]
    return ", ".join([f"indicator {row['indicator']}", f"breakdown {row['breakdown']}", *keys])
