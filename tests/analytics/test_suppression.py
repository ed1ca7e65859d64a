"""The generic suppression core on hand-made cells and relations, each expected pattern worked out by hand,
and on random hierarchies and cross tables audited by the LP attacker."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from akasse.analytics import suppression
from akasse.analytics.attacker import disclosed, intervals
from akasse.analytics.suppression import Relations, complementary


def grid(table: list[list[int]]) -> tuple[Relations, np.ndarray]:
    """A rows × cols table with its row totals, column totals and grand total, as cells r * (cols+1) + c."""
    inner = np.array(table, dtype=float)
    rows, cols = inner.shape
    full = np.zeros((rows + 1, cols + 1))
    full[:rows, :cols] = inner
    full[:rows, cols] = inner.sum(axis=1)
    full[rows, :] = full[:rows, :].sum(axis=0)
    width = cols + 1
    relations = [(r * width + cols, [r * width + c for c in range(cols)]) for r in range(rows + 1)]
    relations += [(rows * width + c, [r * width + c for r in range(rows)]) for c in range(cols + 1)]
    return Relations.from_lists(full.size, relations), full.ravel()


# Each case: values, relations as (total, parts), primary cells, tie groups (None: none), hidden by hand.
HAND_CASES = {
    # 20 = 3 + 8 + 9: the 3 needs one partner; 8 is the cheapest (the total 20 costs more).
    "cheapest complement in the row": ([20, 3, 8, 9], [(0, [1, 2, 3])], {1}, None, {1, 2}),
    # 7 = 3 + 0 + 4: the 0 is cheaper but hiding it protects nothing (3 + 0 = 3 would be known): 4 goes.
    "a zero is no complement": ([7, 3, 0, 4], [(0, [1, 2, 3])], {1}, None, {1, 3}),
    # 10 = 2 + 3 + 5: two small cells protect each other (each lies in 0..5).
    "two primaries protect each other": ([10, 2, 3, 5], [(0, [1, 2, 3])], {1, 2}, None, {1, 2}),
    # month 30 = A 3 + B 27; A 3 = A1 3; B 27 = B1 12 + B2 15. A and A1 are primary and protect each other
    # inside A, but the month row needs a second hidden a-kasse: B (27 < 30). Then B's municipalities need
    # a second hidden cell: B1 (12 < 15, 27).
    "complement climbs to an a-kasse and down to its municipality": (
        [30, 3, 27, 3, 12, 15],
        [(0, [1, 2]), (1, [3]), (2, [4, 5])],
        {1, 3},
        None,
        {1, 2, 3, 4},
    ),
    # Cells without any relation: nothing can be derived, the primary goes alone.
    "no relation, no complement": ([3, 50, 60], [], {0}, None, {0}),
    # A share: numerators 5 = 0 + 5 + 0 (cells 0-3), denominators 20 = 3 + 8 + 9 (cells 4-7); each row's
    # numerator and denominator are tied (row costs: total 6 + 21 = 27, row 1 5, row 2 15, row 3 11).
    # Row 1 has 3 persons (primary). Round 1: the numerator relation has two positive cells (the total
    # and row 2), neither hidden: row 2 (15 < 27); the denominator relation: row 3 (11 < 15 < 27).
    # Round 2: the numerators still hold only one hidden positive cell (row 2), so the total goes too.
    # The rule is conservative here (the LP shows rows 1-3 alone would do); see docs/disclosure.md.
    "shares: numerator and denominator tied": (
        [5, 0, 5, 0, 20, 3, 8, 9],
        [(0, [1, 2, 3]), (4, [5, 6, 7])],
        {5},
        [0, 1, 2, 3, 0, 1, 2, 3],
        {0, 1, 2, 3, 4, 5, 6, 7},
    ),
    # Cell 2 is known to be 0 (a one-cell relation: its row is missing in a table that shows the same
    # count), so hiding it protects nothing and needs nothing: 5 = 5 + 0 stays published.
    "a cell known to be 0 needs no partner": ([5, 5, 0], [(0, [1, 2]), (2, [])], {2}, None, {2}),
    # The total 0 is known (one-cell relation), so its parts are 0 too: the hidden part needs no partner.
    "parts of a known zero total": ([0, 0, 0], [(0, [1, 2]), (0, [])], {1}, None, {1}),
    # A total equal to its one part: 3 = 3, both primary, nothing else to hide.
    "total with one part": ([3, 3, 9, 9], [(0, [1]), (2, [3])], {0, 1}, None, {0, 1}),
}


@pytest.mark.parametrize("name", list(HAND_CASES))
def test_hand_made_patterns(name: str) -> None:
    values, relations, primary, groups, expected = HAND_CASES[name]
    values = np.array(values, dtype=float)
    rel = Relations.from_lists(len(values), relations)
    mask = np.isin(np.arange(len(values)), list(primary))
    hidden = complementary(rel, values, mask, groups=None if groups is None else np.array(groups))
    assert set(np.flatnonzero(hidden)) == expected
    assert disclosed(rel, values, hidden) == []


def test_cross_table_gets_a_rectangle() -> None:
    # 3 × 3 with margins; primaries 3 at (0,0) and 2 at (1,1). By hand: row 0's cheapest partner is 10 at
    # (0,1), which also serves column 1; row 1's and column 0's is 9 at (1,0). The four cells form a
    # rectangle: each can move by ±1 with the others (the textbook hypercube pattern).
    rel, values = grid([[3, 10, 12], [9, 2, 15], [11, 14, 20]])
    primary = np.isin(np.arange(16), [0, 5])
    hidden = complementary(rel, values, primary)
    assert set(np.flatnonzero(hidden)) == {0, 1, 4, 5}
    low, high = intervals(rel, values, hidden)
    # (0,0) = t forces (0,1) = 13 - t, (1,0) = 12 - t, (1,1) = t - 1: t in [1, 12], (1,1) in [0, 11].
    assert (low[0], high[0]) == (1.0, 12.0)
    assert (low[5], high[5]) == (0.0, 11.0)


def test_a_zero_under_a_published_zero_is_the_only_exact_cell() -> None:
    # A share, 0 of 6 = 0 of 3 + 0 of 3: numerators are cells 0-2, denominators 3-5, rows tied. The
    # denominators keep intervals [0, 6]; the numerators are 0 because the published total is 0, which
    # `disclosed` leaves out by design.
    values = np.array([0, 0, 0, 6, 3, 3], dtype=float)
    rel = Relations.from_lists(6, [(0, [1, 2]), (3, [4, 5])])
    hidden = complementary(rel, values, values == 3, groups=np.array([0, 1, 2, 0, 1, 2]))
    assert set(np.flatnonzero(hidden)) == {1, 2, 4, 5}
    low, high = intervals(rel, values, hidden)
    assert (low[4], high[4]) == (0.0, 6.0)
    assert low[1] == high[1] == 0.0
    assert disclosed(rel, values, hidden) == []


def test_no_primary_hides_nothing() -> None:
    rel, values = grid([[30, 10], [9, 20]])
    assert not complementary(rel, values, np.zeros(9, dtype=bool)).any()


def test_attacker_finds_a_lone_hidden_cell() -> None:
    # The auditor must catch what the suppression prevents: 20 = 3 + 8 + 9 with only the 3 hidden.
    rel = Relations.from_lists(4, [(0, [1, 2, 3])])
    values = np.array([20, 3, 8, 9], dtype=float)
    assert disclosed(rel, values, np.array([False, True, False, False])) == [(1, 3.0)]


@pytest.mark.parametrize(
    ("values", "primary", "message"),
    [
        ([20, -3, 8, 9], [1], "non-negative"),
        ([20, 3, 8], [1], "one entry per cell"),
    ],
)
def test_bad_cells_are_refused(values: list[float], primary: list[int], message: str) -> None:
    rel = Relations.from_lists(4, [(0, [1, 2, 3])])
    mask = np.isin(np.arange(len(values)), primary)
    with pytest.raises(ValueError, match=message):
        complementary(rel, np.array(values, dtype=float), mask)


def test_bad_relations_are_refused() -> None:
    with pytest.raises(ValueError, match="same cell twice"):
        Relations.from_lists(3, [(0, [1, 1])])
    with pytest.raises(ValueError, match="outside 0..2"):
        Relations.from_lists(3, [(0, [1, 3])])


SMALL = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20, 35])


def cross_tables(sides: int) -> st.SearchStrategy[list[list[int]]]:
    """Rectangular tables of SMALL counts, `sides` to 5 rows and columns (the width drawn first, so that no
    drawn table is thrown away)."""
    return st.integers(sides, 5).flatmap(
        lambda width: st.lists(st.lists(SMALL, min_size=width, max_size=width), min_size=sides, max_size=5)
    )


@st.composite
def hierarchy(draw: st.DrawFn) -> tuple[Relations, np.ndarray, np.ndarray]:
    """A random forest: a few roots (months), each with a-kasser, each with municipalities, optionally a
    grand total over the roots; as a share, numerator <= denominator, each row's two cells tied."""
    leaves: list[list[list[tuple[int, int]]]] = draw(
        st.lists(
            st.lists(
                st.lists(st.tuples(SMALL, SMALL).map(lambda p: (min(p), max(p))), min_size=1, max_size=4),
                min_size=1,
                max_size=4,
            ),
            min_size=1,
            max_size=3,
        )
    )
    grand_total = draw(st.booleans())
    rows: list[tuple[int, int]] = []
    relations: list[tuple[int, list[int]]] = []

    def add(value: tuple[int, int]) -> int:
        rows.append(value)
        return len(rows) - 1

    roots = []
    for month in leaves:
        children = []
        for akasse in month:
            parts = [add(leaf) for leaf in akasse]
            node = add(tuple(np.sum([rows[p] for p in parts], axis=0)))
            relations.append((node, parts))
            children.append(node)
        root = add(tuple(np.sum([rows[c] for c in children], axis=0)))
        relations.append((root, children))
        roots.append(root)
    if grand_total:
        relations.append((add(tuple(np.sum([rows[r] for r in roots], axis=0))), roots))
    n = len(rows)
    # Numerators are cells 0..n-1, denominators n..2n-1, with the same relations in each layer.
    both = relations + [(t + n, [p + n for p in parts]) for t, parts in relations]
    values = np.array([r[0] for r in rows] + [r[1] for r in rows], dtype=float)
    return Relations.from_lists(2 * n, both), values, np.tile(np.arange(n), 2)


@settings(max_examples=80, deadline=None)
@given(hierarchy())
def test_random_hierarchies_keep_every_hidden_cell_open(
    case: tuple[Relations, np.ndarray, np.ndarray],
) -> None:
    rel, values, groups = case
    primary = (values >= 1) & (values <= 4)
    hidden = complementary(rel, values, primary, groups=groups)
    assert (hidden >= primary).all()
    half = len(values) // 2
    assert (hidden[:half] == hidden[half:]).all()  # numerator and denominator of a row go together
    assert disclosed(rel, values, hidden) == []


@settings(max_examples=100, deadline=None)
@given(cross_tables(2))
def test_random_cross_tables_keep_every_hidden_cell_open(table: list[list[int]]) -> None:
    rel, values = grid(table)
    primary = (values >= 1) & (values <= 4)
    hidden = complementary(rel, values, primary)
    assert (hidden >= primary).all()
    assert disclosed(rel, values, hidden) == []


@settings(max_examples=40, deadline=None)
@given(cross_tables(3))
def test_large_component_path_agrees_with_the_attacker(table: list[list[int]]) -> None:
    # Components above DENSE_LIMIT cells are checked by random projections (LSMR) instead of QR; force that
    # path on small cross tables and let the LP judge the result.
    rel, values = grid(table)
    primary = (values >= 1) & (values <= 4)
    with patch.object(suppression, "DENSE_LIMIT", 0):
        hidden = complementary(rel, values, primary)
    assert disclosed(rel, values, hidden) == []


SPARSE_ROWS = st.integers(min_value=2, max_value=9).flatmap(
    lambda n: st.lists(
        st.dictionaries(st.integers(0, n - 1), st.sampled_from([-1.0, 1.0]), min_size=1, max_size=4),
        min_size=1,
        max_size=12,
    ).map(lambda rows: (n, rows))
)


def sparse_block(case: tuple[int, list[dict[int, float]]]) -> sparse.csr_matrix:
    n, rows = case
    dense = np.zeros((len(rows), n))
    for r, row in enumerate(rows):
        for c, coefficient in row.items():
            dense[r, c] = coefficient
    return sparse.csr_matrix(dense)


@settings(max_examples=300, deadline=None)
@given(SPARSE_ROWS, SPARSE_ROWS)
def test_merging_tied_cells_finds_the_same_fixed_cells(first: tuple, second: tuple) -> None:
    # Two components side by side: merging cells tied by two-cell relations (and dropping cells a one-cell
    # relation fixes) gives, component by component, the answer of the QR on the whole block.
    blocks = [sparse_block(first), sparse_block(second)]
    component = np.repeat([0, 1], [b.shape[1] for b in blocks])
    expected = np.concatenate([suppression._fixed_columns(b.toarray()) for b in blocks])
    together = sparse.csr_matrix(sparse.block_diag(blocks))
    assert (suppression._fixed_by_component(together, component) == expected).all()
