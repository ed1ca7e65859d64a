"""Complementary (secondary) cell suppression on any set of cells tied by linear margin relations.

The generic core of disclosure control (akasse.analytics.disclosure builds the cells from the indicator
tables). A *relation* says that one cell (its total) equals the sum of other cells (its parts). Given which
cells must be hidden (primary suppression), `complementary` hides more cells so that an attacker who knows
every published cell, every relation and that counts are non-negative cannot pin down any hidden cell.

Method (docs/disclosure.md): the minimum-cost greedy of the "singleton" family used by tau-ARGUS's modular
and hypercube heuristics, applied per layer (numerator, denominator):

1. every relation holding a hidden cell holds at least two hidden cells, and, for each layer in which the
   relation has positive cells, at least two hidden cells that are positive in that layer;
2. where a relation breaks that rule, the cheapest visible cell of the relation is hidden (cost = the cell's
   value, so small cells go first: low information loss), all breaking relations at once, repeated to a
   fixpoint (one vectorised step per round, no solver).

When the cells and relations form a forest (the bipartite cell–relation graph has no cycle, as in the nested
hierarchy total → month → a-kasse → municipality), rule 1 is sufficient: from any hidden cell a path of
hidden positive cells leads through every relation it touches, and moving along that path keeps every
relation true and every cell non-negative, so the hidden cell has an interval wider than zero. The one
exception is a cell whose layer value is 0 inside a relation that is all zero in that layer: a published
total of 0 reveals its parts (0 is publishable by design). Components with cycles (cross-classified tables,
indicators that add up to another indicator) are checked exactly with linear algebra (a hidden cell is
recoverable when every null vector of the hidden columns is zero on it) and repaired until none is.
An LP attacker (akasse.analytics.attacker) audits the result in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.linalg import null_space
from scipy.sparse.csgraph import connected_components

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: How much more a candidate costs for each deficient layer in which it is zero (it does not help there).
ZERO_PENALTY = 10.0
#: Null-vector entries below this are zero (the relations have coefficients ±1, so this is generous).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relations:
    """Linear margin relations as a sparse matrix: row r has +1 on its total and -1 on each part."""

    matrix: sparse.csr_matrix  # relations × cells

    @classmethod
    def from_arrays(cls, n_cells: int, totals: IntArray, part_relation: IntArray, part_cell: IntArray) -> Relations:
        """Relation r: cell totals[r] == sum of part_cell[i] for every i with part_relation[i] == r."""
        totals = np.asarray(totals, dtype=np.int64)
        part_relation = np.asarray(part_relation, dtype=np.int64)
        part_cell = np.asarray(part_cell, dtype=np.int64)
        rows = np.concatenate([np.arange(len(totals)), part_relation])
        cols = np.concatenate([totals, part_cell])
        data = np.concatenate([np.ones(len(totals)), -np.ones(len(part_cell))])
        if len(cols) and (cols.min() < 0 or cols.max() >= n_cells):
            raise ValueError(f"a relation names a cell outside 0..{n_cells - 1}")
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(totals), n_cells))
        matrix.sum_duplicates()
        if len(matrix.data) != len(cols):
            raise ValueError("a relation names the same cell twice")
        return cls(matrix)

    @classmethod
    def from_lists(cls, n_cells: int, relations: Sequence[tuple[int, Sequence[int]]]) -> Relations:
        """Relations given as (total, [parts]) pairs: handy for hand-made tables."""
        totals = np.array([t for t, _ in relations], dtype=np.int64)
        part_relation = np.array([r for r, (_, parts) in enumerate(relations) for _ in parts], dtype=np.int64)
        part_cell = np.array([p for _, parts in relations for p in parts], dtype=np.int64)
        return cls.from_arrays(n_cells, totals, part_relation, part_cell)

    @property
    def n_cells(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def incidence(self) -> sparse.csr_matrix:
        """1 where a cell takes part in a relation (as total or part)."""
        result = abs(self.matrix).astype(np.float64)
        return sparse.csr_matrix(result)

    def residuals(self, values: FloatArray) -> FloatArray:
        """total − sum of parts for every relation and layer (zero when the values satisfy the relations)."""
        return np.asarray(self.matrix @ values)


def complementary(relations: Relations, values: FloatArray, primary: BoolArray, cost: FloatArray | None = None) -> BoolArray:
    """Every cell to hide (the primary cells and their complements) so that none can be recovered exactly.

    `values` is cells × layers (non-negative); `cost` is the information lost by hiding each cell (default:
    1 + the sum of its layers, so small cells are preferred as complements).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    hidden = np.asarray(primary, dtype=bool).copy()
    if values.shape[0] != relations.n_cells or hidden.shape != (relations.n_cells,):
        raise ValueError(f"values and primary must have one row per cell ({relations.n_cells})")
    if np.any(values < 0):
        raise ValueError("cell values must be non-negative counts")
    cost = 1.0 + values.sum(axis=1) if cost is None else np.asarray(cost, dtype=np.float64)
    if not relations.matrix.shape[0] or not hidden.any():
        return hidden
    incidence = relations.incidence
    positive = values > 0
    cyclic = _cyclic_cells(relations)
    while True:
        _repair_singletons(incidence, positive, hidden, cost)
        recoverable = _recoverable(relations, hidden & cyclic)
        if not recoverable.any():
            return hidden
        forced = _relations_to_widen(incidence, hidden, recoverable, hidden & cyclic)
        _hide_cheapest(incidence, forced, np.ones((len(forced), positive.shape[1]), bool), positive, hidden, cost)


def _relations_to_widen(
    incidence: sparse.csr_matrix, hidden: BoolArray, recoverable: BoolArray, hidden_cyclic: BoolArray
) -> BoolArray:
    """The relations that get one more hidden cell: those of a recoverable cell that still have a visible
    cell, or, when all of those are fully hidden, every relation of a hidden cyclic cell with a visible one."""
    has_visible = (incidence @ (~hidden).astype(np.float64)) > 0
    for cells in (recoverable, hidden_cyclic):
        touched = (incidence @ cells.astype(np.float64)) > 0
        if (touched & has_visible).any():
            return np.asarray(touched & has_visible)
    raise RuntimeError("a hidden cell is recoverable although every relation around it is hidden")


def _repair_singletons(
    incidence: sparse.csr_matrix, positive: BoolArray, hidden: BoolArray, cost: FloatArray
) -> None:
    """Rule 1 of the module docstring, to a fixpoint; `hidden` is updated in place."""
    positive_count = np.asarray(incidence @ positive.astype(np.float64))
    while True:
        hidden_count = incidence @ hidden.astype(np.float64)
        hidden_positive = np.asarray(incidence @ (positive & hidden[:, None]).astype(np.float64))
        deficient = (positive_count >= 2) & (hidden_positive < 2)
        breaking = (hidden_count >= 1) & ((hidden_count < 2) | deficient.any(axis=1))
        if not breaking.any():
            return
        _hide_cheapest(incidence, breaking, deficient & breaking[:, None], positive, hidden, cost)


def _hide_cheapest(
    incidence: sparse.csr_matrix,
    breaking: BoolArray,
    deficient: BoolArray,
    positive: BoolArray,
    hidden: BoolArray,
    cost: FloatArray,
) -> None:
    """Hide, in each breaking relation, its cheapest visible cell: cost × (1 + ZERO_PENALTY per deficient
    layer the cell is zero in) / (number of breaking relations the cell is in, so shared cells go first)."""
    coo = incidence.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    take = breaking[rows] & ~hidden[cols]
    rows, cols = rows[take], cols[take]
    shared = np.asarray(incidence.T @ breaking.astype(np.float64))
    useless = (deficient[rows] & ~positive[cols]).sum(axis=1)
    score = cost[cols] * (1.0 + ZERO_PENALTY * useless) / shared[cols]
    order = np.lexsort((cols, score, rows))
    rows, cols = rows[order], cols[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    if not first.any():
        raise RuntimeError("a relation breaks the rule but has no visible cell left")
    hidden[cols[first]] = True


def _cyclic_cells(relations: Relations) -> BoolArray:
    """Cells in a connected component of the cell–relation graph that has a cycle (not a tree)."""
    n_rel, n_cells = relations.matrix.shape
    incidence = relations.incidence.tocoo()
    graph = sparse.coo_matrix(
        (np.ones(incidence.nnz), (incidence.row + n_cells, incidence.col)), shape=(n_rel + n_cells,) * 2
    )
    _, label = connected_components(graph, directed=False)
    nodes = np.bincount(label, minlength=label.max() + 1)
    edges = np.bincount(label[incidence.col], minlength=label.max() + 1)
    return np.asarray((edges > nodes - 1)[label[:n_cells]])


def _recoverable(relations: Relations, candidates: BoolArray) -> BoolArray:
    """Hidden cells (among `candidates`, all in cyclic components) whose value the relations fix exactly,
    ignoring non-negativity: every null vector of the hidden cells' columns is zero on them."""
    result = np.zeros(relations.n_cells, dtype=bool)
    if not candidates.any():
        return result
    columns = relations.matrix[:, candidates]
    used = np.asarray(abs(columns).sum(axis=1)).ravel() > 0
    block = columns[used]
    # Split into independent blocks so that the dense null space stays small.
    n_rel, n_col = block.shape
    graph = sparse.bmat([[None, abs(block)], [abs(block).T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    cells = np.flatnonzero(candidates)
    for component in np.unique(label[n_rel:]):
        col_index = np.flatnonzero(label[n_rel:] == component)
        row_index = np.flatnonzero(label[:n_rel] == component)
        dense = block[row_index][:, col_index].toarray()
        basis = null_space(dense) if len(row_index) else np.eye(len(col_index))
        fixed = np.abs(basis).max(axis=1, initial=0.0) < TOLERANCE
        result[cells[col_index[fixed]]] = True
    return result
