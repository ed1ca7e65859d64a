"""Complementary (secondary) cell suppression on any set of cells tied by linear margin relations.

The generic core of disclosure control (akasse.analytics.disclosure builds the cells from the indicator
tables). A *relation* says that one cell (its total) equals the sum of other cells (its parts). Given which
cells must be hidden (primary suppression), `complementary` hides more cells so that an attacker who knows
every published cell, every relation and that counts are non-negative cannot pin down any hidden cell.

Method (docs/disclosure.md): the minimum-cost greedy of the "singleton" family used by tau-ARGUS's modular
and hypercube heuristics. Each cell is one count (a share gives two cells, numerator and denominator, tied
in a group that is hidden whole):

1. every relation holding a hidden cell holds at least two hidden cells, and, when the relation has at
   least two positive cells, at least two hidden positive cells;
2. where a relation breaks that rule, the group of its cheapest visible cell is hidden (cost = the value,
   so small cells go first: low information loss), for all breaking relations at once, repeated to a
   fixpoint (one vectorised step per round, no solver).

Where the hidden cells and the relations between them form a forest (no cycle, as in the nested hierarchy
total → month → a-kasse → municipality), rule 1 is sufficient: from any hidden cell a path of hidden
positive cells leads through every relation it touches, and moving along that path keeps every relation
true and every cell non-negative, so the hidden cell has an interval wider than zero. The one exception is
a 0 inside a relation that is all zero: a published total of 0 reveals its parts (0 is publishable by
design). Components with a cycle (cross-classified tables, indicators that add up to another indicator)
are also checked with linear algebra (a hidden cell is recoverable when every null vector of the hidden
columns is zero on it) and widened until none is.
An LP attacker (akasse.analytics.attacker) audits the result in the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from scipy.linalg import lapack
from scipy.sparse.csgraph import breadth_first_order, connected_components
from scipy.sparse.linalg import lsmr
from threadpoolctl import threadpool_limits

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Components of hidden cells up to this size get an exact (dense) null space; larger ones random probes.
DENSE_LIMIT = 400
#: Random probes of the null space, and the size below which an entry counts as zero.
PROBES = 3
FREE = 1e-6


@dataclass(frozen=True)
class Relations:
    """Linear margin relations as a sparse matrix: row r has +1 on its total and -1 on each part."""

    matrix: sparse.csr_matrix  # relations × cells

    @classmethod
    def from_arrays(
        cls, n_cells: int, totals: IntArray, part_relation: IntArray, part_cell: IntArray
    ) -> Relations:
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

    @classmethod
    def merged(
        cls, label: IntArray, n_cells: int, totals: IntArray, part_relation: IntArray, part_cell: IntArray
    ) -> Relations:
        """The relations of `from_arrays`, given on raw cells, on merged cells (raw cell i becomes label[i]),
        each distinct relation once. Merging can make two relations equal, a total equal to a part
        (T = T + b leaves -b = 0) or a part count twice; the raw relations must not name a cell twice."""
        matrix = sparse.csr_matrix(
            (
                np.concatenate([np.ones(len(totals)), -np.ones(len(part_cell))]),
                (
                    np.concatenate([np.arange(len(totals)), part_relation]),
                    label[np.concatenate([totals, part_cell])],
                ),
            ),
            shape=(len(totals), n_cells),
        )
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        matrix = matrix[np.diff(matrix.indptr) > 0]
        return cls(matrix[_first_of_equal_rows(matrix)])

    @property
    def n_cells(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def incidence(self) -> sparse.csr_matrix:
        """1 where a cell takes part in a relation (as total or part)."""
        result = sparse.csr_matrix(self.matrix, dtype=np.float64, copy=True)
        result.data = (result.data != 0).astype(np.float64)
        return result

    def residuals(self, values: FloatArray) -> FloatArray:
        """total − sum of parts for every relation and layer (zero when the values satisfy the relations)."""
        return np.asarray(self.matrix @ values)


def _first_of_equal_rows(matrix: sparse.csr_matrix) -> BoolArray:
    """Which rows of a CSR matrix (sorted indices, no empty row) are the first of their equal rows: rows
    sorted by an order-free fingerprint of their entries, then each compared entry by entry with the one
    before it (a fingerprint collision only keeps a row twice)."""
    count = np.diff(matrix.indptr)
    entry = pd.util.hash_array(matrix.indices.astype(np.int64)) * np.uint64(1_000_003) + pd.util.hash_array(
        matrix.data
    )
    fingerprint = np.add.reduceat(entry, matrix.indptr[:-1]) if len(count) else entry[:0]
    order = np.lexsort((np.arange(len(count)), count, fingerprint))
    candidate = (fingerprint[order][1:] == fingerprint[order][:-1]) & (count[order][1:] == count[order][:-1])
    earlier, later = order[:-1][candidate], order[1:][candidate]
    length = count[later]
    first = _ranges(matrix.indptr[earlier], matrix.indptr[earlier] + length)
    second = _ranges(matrix.indptr[later], matrix.indptr[later] + length)
    differs = (matrix.indices[first] != matrix.indices[second]) | (matrix.data[first] != matrix.data[second])
    pair = np.repeat(np.arange(len(later)), length)
    keep = np.ones(len(count), dtype=bool)
    keep[later[np.bincount(pair, weights=differs, minlength=len(later)) == 0]] = False
    return keep


def complementary(
    relations: Relations,
    values: FloatArray,
    primary: BoolArray,
    *,
    groups: IntArray | None = None,
    cost: FloatArray | None = None,
    signed: BoolArray | None = None,
) -> BoolArray:
    """Every cell to hide (the primary cells and their complements) so that none can be recovered exactly.

    `values` are the cells' non-negative counts. `groups` ties cells that are published together (the
    numerator and denominator of one share, the same count shown in two tables): a group is hidden whole.
    `cost` is the information lost by hiding a cell (default 1 + its value, so small cells go first); a
    group costs the sum of its cells. `signed` cells are sums that may be negative (days before an event):
    they have no lower bound, so they can always move both ways.
    """
    values = np.asarray(values, dtype=np.float64)
    n = relations.n_cells
    if values.shape != (n,) or np.shape(primary) != (n,):
        raise ValueError(f"values and primary must have one entry per cell ({n})")
    free = np.zeros(n, dtype=bool) if signed is None else np.asarray(signed, dtype=bool)
    if np.any(values[~free] < 0):
        raise ValueError("cell values must be non-negative counts (or marked signed)")
    group = np.arange(n) if groups is None else np.asarray(groups, dtype=np.int64)
    if group.shape != (n,):
        raise ValueError(f"groups must have one entry per cell ({n})")
    cell_cost = 1.0 + np.abs(values) if cost is None else np.asarray(cost, dtype=np.float64)
    incidence = relations.incidence
    known = _known_zeros(relations, free)
    tied = _Tied(group, np.bincount(group, weights=cell_cost).astype(np.float64), known)
    tied.hide(np.asarray(primary, dtype=bool))
    if not relations.matrix.shape[0] or not tied.hidden_groups.any():
        return tied.hidden
    positive = ((values > 0) | free) & ~known  # cells that can give way in both directions
    open_relations = Relations(relations.matrix[np.diff(incidence.indptr) >= 2])
    solved: dict[bytes, BoolArray] = {}  # components unchanged since an earlier round are not solved again
    while True:
        _repair_singletons(incidence, positive, tied)
        recoverable = _recoverable(open_relations, tied.movable, solved)
        if not recoverable.any():
            return tied.hidden
        forced = _relations_to_widen(incidence, tied, recoverable)
        _hide_cheapest(incidence, forced, forced, positive, tied)


def _known_zeros(relations: Relations, signed: BoolArray) -> BoolArray:
    """Cells anyone knows to be 0 whatever is hidden: a one-cell relation (a missing row reads as 0), the
    parts of a known-zero total (counts are non-negative), and a total whose parts are all known zeros.
    They need no protection and protect nothing (the exception in the module docstring)."""
    matrix = relations.matrix.tocsr()
    parts_of = sparse.csr_matrix(
        ((matrix.data < 0).astype(np.float64), matrix.indices, matrix.indptr), shape=matrix.shape
    )
    total_of = sparse.csr_matrix(
        ((matrix.data > 0).astype(np.float64), matrix.indices, matrix.indptr), shape=matrix.shape
    )
    part_count = np.asarray(parts_of.sum(axis=1)).ravel()
    known = np.zeros(relations.n_cells, dtype=bool)
    known[matrix.indices[matrix.indptr[:-1][np.diff(matrix.indptr) == 1]]] = True
    # Parts without a total (a merged total cancelled out) sum to 0: each is 0.
    no_total = np.asarray(total_of.sum(axis=1)).ravel() == 0
    known |= ((parts_of.T @ no_total.astype(np.float64)) > 0) & ~signed
    while True:
        zero_total = (total_of @ known.astype(np.float64)) > 0
        zero_parts = (part_count > 0) & ((parts_of @ known.astype(np.float64)) == part_count)
        grown = known | (((parts_of.T @ zero_total.astype(np.float64)) > 0) & ~signed)
        grown |= (total_of.T @ zero_parts.astype(np.float64)) > 0
        if (grown == known).all():
            return known
        known = grown


@dataclass
class _Tied:
    """Which groups are hidden; a cell is hidden when its group is."""

    group: IntArray
    group_cost: FloatArray
    known: BoolArray  # cells known to be 0: neither protected nor protecting
    hidden_groups: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        self.hidden_groups = np.zeros(len(self.group_cost), dtype=bool)

    @property
    def hidden(self) -> BoolArray:
        return self.hidden_groups[self.group]

    @property
    def movable(self) -> BoolArray:
        """Hidden cells whose value the attacker does not know beforehand."""
        return self.hidden & ~self.known

    @property
    def candidates(self) -> BoolArray:
        """Cells that could still be hidden to protect another."""
        return ~self.hidden & ~self.known

    def hide(self, cells: BoolArray) -> None:
        self.hidden_groups[self.group[cells]] = True


def _relations_to_widen(incidence: sparse.csr_matrix, tied: _Tied, recoverable: BoolArray) -> BoolArray:
    """The relations that get one more hidden cell: those of a recoverable cell that still have a visible
    cell, or, when all of those are fully hidden, every relation of a hidden cell with a visible one."""
    has_visible = (incidence @ tied.candidates.astype(np.float64)) > 0
    for cells in (recoverable, tied.movable):
        touched = (incidence @ cells.astype(np.float64)) > 0
        if (touched & has_visible).any():
            return np.asarray(touched & has_visible)
    raise RuntimeError("a hidden cell is recoverable although every relation around it is hidden")


def _repair_singletons(incidence: sparse.csr_matrix, positive: BoolArray, tied: _Tied) -> None:
    """Rule 1 of the module docstring, to a fixpoint."""
    positive_count = incidence @ positive.astype(np.float64)
    # A one-cell relation states a known value (a missing row reads as 0): no partner can protect it.
    open_relation = np.diff(incidence.indptr) >= 2
    while True:
        hidden = tied.movable
        hidden_count = incidence @ hidden.astype(np.float64)
        hidden_positive = incidence @ (positive & hidden).astype(np.float64)
        deficient = (positive_count >= 2) & (hidden_positive < 2)
        breaking = open_relation & (hidden_count >= 1) & ((hidden_count < 2) | deficient)
        if not breaking.any():
            return
        _hide_cheapest(incidence, breaking, deficient & breaking, positive, tied)


def _hide_cheapest(
    incidence: sparse.csr_matrix, breaking: BoolArray, deficient: BoolArray, positive: BoolArray, tied: _Tied
) -> None:
    """Hide, for each breaking relation, the group of its cheapest visible cell (a positive one where the
    relation lacks hidden positive cells), cheaper when the cell sits in several breaking relations."""
    coo = incidence.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    visible = breaking[rows] & tied.candidates[cols]
    # A deficient relation found by the rule always has a visible positive cell; a forced one may not.
    has_positive = np.bincount(rows[visible & positive[cols]], minlength=len(breaking)) > 0
    take = visible & (positive[cols] | ~(deficient & has_positive)[rows])
    rows, cols = rows[take], cols[take]
    shared = incidence.T @ breaking.astype(np.float64)
    score = tied.group_cost[tied.group[cols]] / shared[cols]
    order = np.lexsort((cols, score, rows))
    rows, cols = rows[order], cols[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    if not first.any():
        raise RuntimeError("a relation breaks the rule but has no visible cell left")
    tied.hide(cols[first])


def _recoverable(relations: Relations, hidden: BoolArray, solved: dict[bytes, BoolArray]) -> BoolArray:
    """Hidden cells whose value the relations fix exactly, ignoring non-negativity: every null vector of the
    hidden cells' columns is zero on them.

    Components of hidden cells (linked by the relations between them) without a cycle need no algebra:
    after rule 1 every cell in them can move (module docstring). The components with a cycle are first
    shrunk together (cells tied by two-cell relations merged), then solved: exactly (dense QR), one by one, up
    to DENSE_LIMIT cells; the larger ones together, by projecting random vectors onto the null space (sparse
    least squares, LSMR), which is non-zero on every free cell with probability one. `solved` keeps each
    component's answer by its cells: most components do not change between rounds.
    """
    result = np.zeros(relations.n_cells, dtype=bool)
    columns = relations.matrix[:, hidden].tocsr()
    columns = columns[np.diff(columns.indptr) > 0]
    n_rel, n_col = columns.shape
    pattern = abs(columns).tocoo()
    nodes = n_rel + n_col
    graph = sparse.coo_matrix(
        (np.ones(pattern.nnz), (pattern.row + n_col, pattern.col)), shape=(nodes, nodes)
    )
    _, label = connected_components(graph, directed=False)
    size = np.bincount(label, minlength=label.max(initial=0) + 1)
    edges = np.bincount(label[pattern.col], minlength=len(size))
    col_label, row_label = label[:n_col], label[n_col:]
    cyclic = np.flatnonzero(edges > size - 1)
    col_order, row_order = np.argsort(col_label, kind="stable"), np.argsort(row_label, kind="stable")
    col_start = np.searchsorted(col_label[col_order], cyclic, side="left")
    col_end = np.searchsorted(col_label[col_order], cyclic, side="right")
    row_start = np.searchsorted(row_label[row_order], cyclic, side="left")
    row_end = np.searchsorted(row_label[row_order], cyclic, side="right")
    cells = np.flatnonzero(hidden)[col_order]
    # A component's cells fix its block (all the relations on them, in order), so they name its answer.
    keys = [cells[c0:c1].tobytes() for c0, c1 in zip(col_start, col_end, strict=True)]
    new = np.array([i for i, key in enumerate(keys) if key not in solved], dtype=np.int64)
    if len(new):
        # The new components' rows and columns, sorted by component: each is a contiguous block.
        rows = row_order[_ranges(row_start[new], row_end[new])]
        component = np.repeat(np.arange(len(new)), col_end[new] - col_start[new])
        fixed = _fixed_by_component(
            columns[rows][:, col_order[_ranges(col_start[new], col_end[new])]].tocsr(), component
        )
        ends = np.cumsum(col_end[new] - col_start[new])
        for i, start, end in zip(new, ends - (col_end[new] - col_start[new]), ends, strict=True):
            solved[keys[i]] = fixed[start:end]
    for key, c0, c1 in zip(keys, col_start, col_end, strict=True):
        result[cells[c0:c1][solved[key]]] = True
    return result


def _ranges(starts: IntArray, ends: IntArray) -> IntArray:
    """The integers start..end-1 of every range, concatenated."""
    lengths = ends - starts
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))


def _fixed_by_component(block: sparse.csr_matrix, component: IntArray) -> BoolArray:
    """The columns of `block` that every null vector is zero on (`_fixed_columns`), where `component[j]`
    names column j's block of a block-diagonal matrix. Cells that a two-cell relation ties (x_j = c·x_k)
    are merged first (`_merge_pairs`), all components at once: the same answer from a smaller system."""
    reduced, representative = _merge_pairs(block)
    merged = representative >= 0
    reduced_component = np.zeros(reduced.shape[1], dtype=np.int64)
    reduced_component[representative[merged]] = component[merged]
    # A merged column in no relation is free; the others are solved block by block.
    used = np.flatnonzero(np.diff(reduced.tocsc().indptr) > 0)
    used = used[np.argsort(reduced_component[used], kind="stable")]
    row_component = reduced_component[reduced.indices[reduced.indptr[:-1]]]
    row_order = np.argsort(row_component, kind="stable")
    blocks = reduced[row_order][:, used].tocsr()
    labels = np.unique(reduced_component[used])
    col_bounds = (
        np.searchsorted(reduced_component[used], labels, side="left"),
        np.searchsorted(reduced_component[used], labels, side="right"),
    )
    row_bounds = (
        np.searchsorted(row_component[row_order], labels, side="left"),
        np.searchsorted(row_component[row_order], labels, side="right"),
    )
    fixed = np.zeros(reduced.shape[1], dtype=bool)
    large = col_bounds[1] - col_bounds[0] > DENSE_LIMIT
    with threadpool_limits(limits=1):  # many small factorisations: threads only add overhead
        for c0, c1, r0, r1 in zip(*col_bounds, *row_bounds, strict=True):
            if c1 - c0 <= DENSE_LIMIT:  # the block's entries, written straight into a dense array
                dense = np.zeros((r1 - r0, c1 - c0))
                start, end = blocks.indptr[r0], blocks.indptr[r1]
                lengths = np.diff(blocks.indptr[r0 : r1 + 1])
                dense[np.repeat(np.arange(r1 - r0), lengths), blocks.indices[start:end] - c0] = blocks.data[
                    start:end
                ]
                fixed[used[c0:c1]] = _fixed_columns(dense)
        if large.any():  # the large components side by side, probed together
            columns = _ranges(col_bounds[0][large], col_bounds[1][large])
            rows = _ranges(row_bounds[0][large], row_bounds[1][large])
            fixed[used[columns]] = _fixed_probed(blocks[rows][:, columns])
    result = np.ones(len(component), dtype=bool)  # a cell without a reduced column is fixed
    result[merged] = fixed[representative[merged]]
    return result


def _merge_pairs(block: sparse.csr_matrix) -> tuple[sparse.csr_matrix, IntArray]:
    """The same null space on fewer columns: a relation on one cell fixes it (its column goes), a relation on
    two cells ties them (x_j = c·x_k: one column stands for both), repeated until every relation holds three
    cells or more. Returns the reduced relations (no empty row) and each column's reduced column (-1: fixed).

    Null(block) = M·Null(block·M) when M substitutes the tied cells along a spanning forest of the two-cell
    relations; those not on the forest become relations on one cell (a cycle that forces 0) or vanish.
    """
    matrix = sparse.csr_matrix(block, dtype=np.float64)
    representative = np.arange(matrix.shape[1], dtype=np.int64)
    while True:
        matrix.data[np.abs(matrix.data) < FREE] = 0.0  # ties cancelled up to rounding
        matrix.eliminate_zeros()
        matrix = sparse.csr_matrix(matrix[np.diff(matrix.indptr) > 0])
        count, start = np.diff(matrix.indptr), matrix.indptr[:-1]
        n = matrix.shape[1]
        if (count == 1).any():
            fixed = np.zeros(n, dtype=bool)
            fixed[matrix.indices[start[count == 1]]] = True
            kept = np.flatnonzero(~fixed)
            mapping = sparse.csr_matrix(
                (np.ones(len(kept)), (kept, np.arange(len(kept)))), shape=(n, len(kept))
            )
        elif (count == 2).any():
            mapping = _tie_pairs(matrix, np.flatnonzero(count == 2))
        else:
            return matrix, representative
        target = np.full(n, -1, dtype=np.int64)
        kept_column = np.diff(mapping.indptr) > 0
        target[kept_column] = mapping.indices[mapping.indptr[:-1][kept_column]]
        representative = np.where(representative >= 0, target[representative.clip(min=0)], -1)
        matrix = sparse.csr_matrix(matrix @ mapping)


def _tie_pairs(matrix: sparse.csr_matrix, pairs: IntArray) -> sparse.csr_matrix:
    """The substitution (columns × forest roots) that writes each column through its tree's root,
    x_j = f_j·x_root, along a spanning forest of the two-cell relations `pairs` (a·x_j + b·x_k = 0 gives
    x_j = −b/a·x_k)."""
    n = matrix.shape[1]
    first, second = matrix.indptr[pairs], matrix.indptr[pairs] + 1
    left, right = matrix.indices[first].astype(np.int64), matrix.indices[second].astype(np.int64)
    left_coefficient, right_coefficient = matrix.data[first], matrix.data[second]
    _, label = connected_components(
        sparse.coo_matrix((np.ones(len(pairs)), (left, right)), shape=(n, n)), directed=False
    )
    roots = np.unique(label, return_index=True)[1]
    # A virtual node n joined to one column of each tree: one breadth-first search spans the whole forest.
    graph = sparse.coo_matrix(
        (
            np.ones(len(pairs) + len(roots)),
            (np.concatenate([left, np.full(len(roots), n)]), np.concatenate([right, roots])),
        ),
        shape=(n + 1, n + 1),
    ).tocsr()
    _, predecessor = breadth_first_order(graph, n, directed=False, return_predecessors=True)
    parent = predecessor[:n].astype(np.int64)
    child = np.flatnonzero(parent != n)
    parent[parent == n] = np.flatnonzero(parent == n)
    # The relation that ties each child to its parent (any of them when several do).
    key = np.minimum(left, right) * n + np.maximum(left, right)
    by_key = np.argsort(key, kind="stable")
    edge = by_key[
        np.searchsorted(key[by_key], np.minimum(child, parent[child]) * n + np.maximum(child, parent[child]))
    ]
    child_is_left = left[edge] == child
    factor = np.ones(n)
    factor[child] = -np.where(child_is_left, right_coefficient[edge], left_coefficient[edge]) / np.where(
        child_is_left, left_coefficient[edge], right_coefficient[edge]
    )
    # Pointer jumping: factor and parent become the product along the path and the tree's root.
    while not np.array_equal(parent[parent], parent):
        factor = factor * factor[parent]
        parent = parent[parent]
    is_root = parent == np.arange(n)
    return sparse.csr_matrix(
        (factor, (np.arange(n), (np.cumsum(is_root) - 1)[parent])), shape=(n, int(is_root.sum()))
    )


def _fixed_columns(block: FloatArray) -> BoolArray:
    """Columns of the dense `block` that every null vector is zero on: e_j lies in the row space, i.e. row j
    of an orthonormal basis of the row space (QR with column pivoting of the transpose) has norm 1. LAPACK
    is called directly: the basis is formed only up to the rank, and small blocks pay no wrapper overhead."""
    n_col = block.shape[1]
    if not block.shape[0]:
        return np.zeros(n_col, dtype=bool)
    factors, _, tau, _, info = lapack.dgeqp3(np.asfortranarray(block.T))
    if info:
        raise RuntimeError(f"LAPACK dgeqp3 failed (info={info})")
    diagonal = np.abs(np.diag(factors))
    rank = int((diagonal > FREE * max(1.0, float(diagonal.max(initial=0.0)))).sum())
    if not rank:
        return np.zeros(n_col, dtype=bool)
    q, _, info = lapack.dorgqr(factors[:, :rank], tau[:rank])
    if info:
        raise RuntimeError(f"LAPACK dorgqr failed (info={info})")
    return np.asarray((q**2).sum(axis=1) > 1.0 - FREE)


def _fixed_probed(block: sparse.csr_matrix) -> BoolArray:
    """The same as `_fixed_columns` for large blocks: random vectors projected onto the null space (sparse
    least squares, LSMR) are non-zero on every free column with probability one. A block-diagonal matrix
    of many components is probed in one run (its null space is theirs side by side), and so are the PROBES
    random vectors: one run on PROBES copies of the block."""
    n_col = block.shape[1]
    copies = sparse.csr_matrix(sparse.block_diag([block] * PROBES))
    probe = np.random.default_rng(0).standard_normal(PROBES * n_col)
    coefficients = lsmr(copies.T, probe, atol=1e-14, btol=1e-14, maxiter=50 * PROBES * n_col + 100)[0]
    size = np.abs(probe - copies.T @ coefficients).reshape(PROBES, n_col).max(axis=0)
    return np.asarray(size < FREE)
