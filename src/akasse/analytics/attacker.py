"""The attacker's view of a suppressed table: the tightest interval for each hidden cell, by linear
programming.

An attacker knows every published cell, every margin relation and that counts are non-negative. For each
hidden cell they minimise and maximise its value subject to exactly that (scipy.optimize.linprog, HiGHS).
A cell whose interval has width zero is disclosed. One LP per hidden cell and bound: this audits the
suppression in tests and on small tables; the production path (akasse.analytics.suppression) needs no solver.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from akasse.analytics.suppression import BoolArray, FloatArray, Relations


def intervals(
    relations: Relations, values: FloatArray, hidden: BoolArray, signed: BoolArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """(lowest, highest) value an attacker can prove for every cell; published cells get their own value,
    hidden cells the LP bounds (±inf when nothing bounds them). Cells are non-negative unless `signed`."""
    values = np.asarray(values, dtype=np.float64)
    hidden = np.asarray(hidden, dtype=bool)
    free = np.zeros(len(values), dtype=bool) if signed is None else np.asarray(signed, dtype=bool)
    low, high = values.copy(), values.copy()
    matrix = relations.matrix
    columns = matrix[:, hidden]
    # What the published cells contribute is known: A_hidden x = -A_published v_published.
    rhs = -(matrix[:, ~hidden] @ values[~hidden])
    used = np.asarray(abs(columns).sum(axis=1)).ravel() > 0
    cells = np.flatnonzero(hidden)
    low[cells], high[cells] = np.where(free[cells], -np.inf, 0.0), np.inf
    block, rhs = columns[used], rhs[used]
    n_rel = block.shape[0]
    graph = sparse.bmat([[None, abs(block)], [abs(block).T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    for component in np.unique(label[n_rel:]):
        col_index = np.flatnonzero(label[n_rel:] == component)
        row_index = np.flatnonzero(label[:n_rel] == component)
        if not len(row_index):
            continue  # a hidden cell in no relation with other hidden cells is bounded by nothing
        a_eq, b_eq = block[row_index][:, col_index], rhs[row_index]
        bounds: list[tuple[float | None, None]] = [
            (None if free[cell] else 0.0, None) for cell in cells[col_index]
        ]
        for position, cell in enumerate(cells[col_index]):
            objective = np.zeros(len(col_index))
            objective[position] = 1.0
            low[cell] = _solve(objective, a_eq, b_eq, bounds)
            high[cell] = -_solve(-objective, a_eq, b_eq, bounds)
    return low, high


def _solve(
    objective: FloatArray, a_eq: sparse.csr_matrix, b_eq: FloatArray, bounds: list[tuple[float | None, None]]
) -> float:
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status == 3:  # unbounded
        return float(-np.inf)
    if result.status != 0:
        raise ValueError(f"the published cells contradict the relations ({result.message})")
    return float(result.fun)


def disclosed(
    relations: Relations, values: FloatArray, hidden: BoolArray, signed: BoolArray | None = None
) -> list[tuple[int, float]]:
    """(cell, value) of every hidden cell the attacker pins down exactly, leaving out a 0 inside a relation
    that is all zero: there a published total of 0 itself says that its parts are 0 (publishable by
    design)."""
    values = np.asarray(values, dtype=np.float64)
    incidence = relations.incidence
    all_zero = (incidence @ (values > 0).astype(np.float64)) == 0
    in_zero_relation = (incidence.T @ all_zero.astype(np.float64)) > 0
    low, high = intervals(relations, values, hidden, signed)
    exact = np.asarray(hidden, dtype=bool) & (high - low <= 1e-9) & ~((values == 0) & in_zero_relation)
    return [(int(cell), float(values[cell])) for cell in np.flatnonzero(exact)]
