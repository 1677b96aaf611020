"""Disclosure control: small counts hidden, and no hidden count recoverable from what is published."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from perfsite.disclosure import (
    SUPPRESSED,
    Share,
    SuppressedTable,
    disclosed,
    suppress_count,
    suppress_row,
    suppress_share,
    suppress_table,
)

# -- single counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [(None, None), (0, 0), (1, "c"), (3, "c"), (5, "c"), (6, 6), (158, 158)],
)
def test_suppress_count(n, expected):
    assert suppress_count(n) == expected


def test_suppress_count_threshold_is_configurable():
    assert suppress_count(9, threshold=9) == "c"
    assert suppress_count(10, threshold=9) == 10


@pytest.mark.parametrize("bad", [-1, 2.0, "3", True])
def test_suppress_count_refuses_what_is_not_a_count(bad):
    with pytest.raises((TypeError, ValueError)):
        suppress_count(bad)


# -- shares ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (8, 20, Share(8, 20, Decimal("40.0"))),
        (76, 158, Share(76, 158, Decimal("48.1"))),
        (0, 20, Share(0, 20, Decimal("0.0"))),
        (3, 20, "c"),  # the count behind the percentage is small
        (0, 4, "c"),  # so is the base
        (5, 5, "c"),
        (0, 0, Share(0, 0, None)),
        ("c", 20, "c"),  # built on a suppressed count: hidden too
        (12, "c", "c"),
        (None, 20, None),
    ],
)
def test_suppress_share(numerator, denominator, expected):
    assert suppress_share(numerator, denominator) == expected


def test_share_complement_can_be_protected():
    assert suppress_share(18, 20) == Share(18, 20, Decimal("90.0"))
    assert suppress_share(18, 20, complement=True) == "c"
    assert suppress_share(14, 20, complement=True) == Share(14, 20, Decimal("70.0"))


def test_share_rounds_half_up():
    assert suppress_share(1, 8, threshold=0, decimals=1).percentage == Decimal("12.5")
    assert suppress_share(1, 8, threshold=0, decimals=0).percentage == Decimal("13")


def test_share_numerator_cannot_exceed_denominator():
    with pytest.raises(ValueError, match="larger"):
        suppress_share(21, 20)


# -- tables: worked examples ----------------------------------------------------------------------


def test_table_without_small_counts_is_unchanged():
    t = suppress_table([[10, 12], [30, 0]])
    assert t.cells == [[10, 12], [30, 0]]
    assert t.row_totals == [22, 30] and t.column_totals == [40, 12] and t.grand_total == 52
    assert t.suppressed == set()


def test_single_small_cell_gets_a_partner_in_its_row_and_column():
    # 3 is hidden; with totals shown, 25 - 10 - 12 would give it back, so more is hidden: here
    # the cheapest protection is the 2x2 block of 3, 10, 11 and 2 (both small ones included).
    t = suppress_table([[3, 10, 12], [8, 9, 14], [11, 2, 20]])
    assert t.rows_with_totals() == [
        ["c", "c", 12, 25],
        [8, 9, 14, 31],
        ["c", "c", 20, 33],
        [22, 21, 46, 89],
    ]
    assert t.primary == {(0, 0), (2, 1)}
    assert t.secondary == {(0, 1), (2, 0)}


def test_next_smallest_cell_in_the_line_is_hidden():
    cells, total = suppress_row([2, 10, 7, 0, 30])
    assert cells == ["c", 10, "c", 0, 30]  # 7 is the next smallest; zero is not confidential
    assert total == 49


def test_two_small_cells_in_a_row_protect_each_other():
    cells, total = suppress_row([2, 10, 7, 1])
    assert cells == ["c", 10, 7, "c"] and total == 20


def test_row_without_totals_needs_no_secondary_suppression():
    t = suppress_table([[2, 10, 7]], row_totals=False, column_totals=False)
    assert t.cells == [["c", 10, 7]]
    assert t.row_totals is None and t.column_totals is None and t.grand_total is None


def test_small_totals_are_hidden_and_protected():
    # Row total 3 and column total 3 are small themselves. The hidden 3 would then come back as
    # the grand total minus 40, so the grand total is hidden too.
    t = suppress_table([[3, 0], [0, 40]])
    assert t.rows_with_totals() == [["c", 0, "c"], [0, 40, 40], ["c", 40, "c"]]


def test_a_row_whose_only_count_is_small():
    # The row total is the hidden count itself; hiding it makes the column the only way in.
    t = suppress_table([[4, 0, 0], [9, 12, 20], [10, 15, 30]])
    assert t.cells[0] == ["c", 0, 0]
    assert t.row_totals[0] == "c"
    assert_nothing_recoverable(t, [[4, 0, 0], [9, 12, 20], [10, 15, 30]])


def test_whole_small_table_is_hidden():
    t = suppress_table([[4]])
    assert t.cells == [["c"]] and t.row_totals == ["c"] and t.column_totals == ["c"] and t.grand_total == "c"


def test_hidden_groups_joined_by_one_cell_are_reconnected():
    # Two blocks of hidden cells linked by a single hidden cell: each line holds two hidden cells,
    # yet summing the first block's rows and subtracting its columns would reveal the link.
    cells = [
        [1, 2, 30, 40, 50],
        [3, 4, 1, 60, 70],
        [30, 40, 50, 2, 3],
        [60, 70, 80, 4, 5],
    ]
    t = suppress_table(cells)
    assert_nothing_recoverable(t, cells)


def test_only_column_totals():
    cells = [[3, 10], [12, 14]]
    t = suppress_table(cells, row_totals=False)
    assert t.row_totals is None
    assert t.column_totals[0] == "c" or t.cells[1][0] == "c"
    assert_nothing_recoverable(t, cells)


def test_empty_table():
    t = suppress_table([])
    assert t.cells == [] and t.suppressed == set()


def test_ragged_table_is_refused():
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])


def test_negative_count_is_refused_with_its_position():
    with pytest.raises(ValueError, match=r"cell \(1, 0\)"):
        suppress_table([[1, 2], [-3, 4]])


# -- the independent check ------------------------------------------------------------------------
# Written without the graph reasoning of the module: the unknowns are the hidden cells, the
# equations are the published totals, and a hidden cell is recoverable exactly when its unit
# vector lies in the row space of those equations (rank test over the rationals). For each hidden
# cell we then build a second table, differing in that cell, that publishes the same figures.


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, cols = 0, len(rows[0]) if rows else 0
    for col in range(cols):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _null_space(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    if not rows:
        return [[Fraction(int(i == j)) for j in range(width)] for i in range(width)]
    m = [list(r) for r in rows]
    pivots, rank = [], 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        m[rank] = [a / m[rank][col] for a in m[rank]]
        for r in range(len(m)):
            if r != rank and m[r][col] != 0:
                factor = m[r][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank], strict=True)]
        pivots.append(col)
        rank += 1
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        v = [Fraction(0)] * width
        v[free] = Fraction(1)
        for r, p in enumerate(pivots):
            v[p] = -m[r][free]
        basis.append(v)
    return basis


def _published_equations(t: SuppressedTable, hidden: list[tuple[int, int]]):
    index = {cell: k for k, cell in enumerate(hidden)}
    equations = []
    m, n = len(t.cells), len(t.cells[0]) if t.cells else 0
    lines = []
    if t.row_totals is not None:
        lines += [([(i, j) for j in range(n)], t.row_totals[i]) for i in range(m)]
    if t.column_totals is not None:
        lines += [([(i, j) for i in range(m)], t.column_totals[j]) for j in range(n)]
    if t.grand_total is not None:
        lines.append(([(i, j) for i in range(m) for j in range(n)], t.grand_total))
    for members, total in lines:
        if total == SUPPRESSED:
            continue  # a hidden total tells the reader nothing
        coefficients = [Fraction(0)] * len(hidden)
        for cell in members:
            if cell in index:
                coefficients[index[cell]] = Fraction(1)
        equations.append(coefficients)
    return equations


def _publishes_the_same(t: SuppressedTable, alternative: list[list[int]]) -> bool:
    other = [list(row) for row in alternative]
    if any(v < 0 for row in other for v in row):
        return False
    for i, row in enumerate(t.cells):
        for j, shown in enumerate(row):
            if shown != SUPPRESSED and shown != other[i][j]:
                return False
    if t.row_totals is not None:
        for i, shown in enumerate(t.row_totals):
            if shown != SUPPRESSED and shown != sum(other[i]):
                return False
    if t.column_totals is not None:
        for j, shown in enumerate(t.column_totals):
            if shown != SUPPRESSED and shown != sum(row[j] for row in other):
                return False
    return t.grand_total in (None, SUPPRESSED) or t.grand_total == sum(map(sum, other))


def assert_nothing_recoverable(t: SuppressedTable, cells: list[list[int]]) -> None:
    hidden = sorted(t.suppressed)
    assert hidden == sorted((i, j) for i, row in enumerate(t.cells) for j, v in enumerate(row) if v == SUPPRESSED)
    if not hidden:
        return
    equations = _published_equations(t, hidden)
    base_rank = _rank(equations) if equations else 0
    basis = _null_space(equations, len(hidden))
    for k, cell in enumerate(hidden):
        unit = [Fraction(int(i == k)) for i in range(len(hidden))]
        assert _rank([*equations, unit]) > base_rank, f"hidden cell {cell} is fixed by the published totals"
        # A concrete second table, consistent with everything published, with another value here.
        witnesses = []
        for v in basis:
            if v[k] == 0:
                continue
            for step in (1, -1):
                alt = [list(row) for row in cells]
                for (i, j), dv in zip(hidden, v, strict=True):
                    alt[i][j] += step * dv
                if all(x.denominator == 1 for row in alt for x in map(Fraction, row)) and _publishes_the_same(
                    t, [[int(x) for x in row] for row in alt]
                ):
                    witnesses.append(alt[cell[0]][cell[1]])
        assert any(w != cells[cell[0]][cell[1]] for w in witnesses), f"no second value found for {cell}"


def assert_published_faithfully(t: SuppressedTable, cells: list[list[int]], threshold: int = 5) -> None:
    m = len(cells)
    n = len(cells[0])
    for i in range(m):
        for j in range(n):
            shown = t.cells[i][j]
            assert shown == SUPPRESSED or shown == cells[i][j]
            if 1 <= cells[i][j] <= threshold:
                assert shown == SUPPRESSED and (i, j) in t.primary
    totals = []
    if t.row_totals is not None:
        totals += list(zip(t.row_totals, (sum(r) for r in cells), strict=True))
    if t.column_totals is not None:
        totals += list(zip(t.column_totals, (sum(r[j] for r in cells) for j in range(n)), strict=True))
    if t.grand_total is not None:
        totals.append((t.grand_total, sum(map(sum, cells))))
    for shown, true in totals:
        assert shown in (SUPPRESSED, true)
        if 1 <= true <= threshold:
            assert shown == SUPPRESSED


tables = st.integers(1, 6).flatmap(
    lambda m: st.integers(1, 6).flatmap(
        lambda n: st.lists(st.lists(st.integers(0, 40), min_size=n, max_size=n), min_size=m, max_size=m)
    )
)
# Small counts are what matter, so weight the draws towards them too.
small_heavy = st.integers(1, 6).flatmap(
    lambda m: st.integers(1, 6).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=n, max_size=n),
            min_size=m,
            max_size=m,
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.one_of(tables, small_heavy))
@example(cells=[[3]])
@example(cells=[[3, 0], [0, 40]])
@example(cells=[[1, 1], [1, 1]])
@example(cells=[[0, 0, 4], [0, 0, 0]])
def test_no_suppressed_cell_is_recoverable_with_totals_shown(cells):
    t = suppress_table(cells)
    assert_published_faithfully(t, cells)
    assert_nothing_recoverable(t, cells)


@settings(max_examples=150, deadline=None)
@given(cells=small_heavy, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_suppressed_cell_is_recoverable_whichever_totals_are_shown(cells, row_totals, column_totals):
    t = suppress_table(cells, row_totals=row_totals, column_totals=column_totals)
    assert_published_faithfully(t, cells)
    assert_nothing_recoverable(t, cells)


@settings(max_examples=100, deadline=None)
@given(cells=small_heavy)
def test_no_line_with_a_published_total_holds_exactly_one_hidden_cell(cells):
    # The simple form of the rule from the DfE guidance, checked directly.
    t = suppress_table(cells)
    for i, row in enumerate(t.cells):
        if t.row_totals[i] != SUPPRESSED:
            assert sum(v == SUPPRESSED for v in row) != 1
    for j in range(len(t.cells[0])):
        if t.column_totals[j] != SUPPRESSED:
            assert sum(row[j] == SUPPRESSED for row in t.cells) != 1


@settings(max_examples=100, deadline=None)
@given(cells=tables)
def test_suppression_is_deterministic(cells):
    assume(any(1 <= v <= 5 for row in cells for v in row))
    assert suppress_table(cells) == suppress_table([list(r) for r in cells])


def test_the_checker_catches_a_recoverable_cell():
    # Guard against a checker that cannot fail: primary suppression alone leaves 3 recoverable.
    naive = SuppressedTable(
        cells=[["c", 10], [12, 14]],
        row_totals=[13, 26],
        column_totals=[15, 24],
        grand_total=39,
        suppressed={(0, 0)},
        primary={(0, 0)},
    )
    with pytest.raises(AssertionError, match="fixed by the published totals"):
        assert_nothing_recoverable(naive, [[3, 10], [12, 14]])


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "denominator", "shown"),
    [
        (Decimal("48.1"), "percent", Decimal(76), Decimal(158), Decimal("48.1")),
        (Decimal("60.0"), "percent", Decimal(3), Decimal(5), SUPPRESSED),
        (Decimal("2.5"), "percent", Decimal(5), Decimal(200), SUPPRESSED),
        (Decimal("6.7"), "rate_per_100000", Decimal(3), Decimal(45000), SUPPRESSED),
        (Decimal("73.4"), "rate_per_10000", Decimal(330), Decimal(45000), Decimal("73.4")),
        (Decimal("3"), "count", None, None, SUPPRESSED),
        (Decimal("0"), "count", None, None, Decimal("0")),
        (Decimal("6"), "count", None, None, Decimal("6")),
        (Decimal("2.5"), "score", None, None, Decimal("2.5")),
        (Decimal("19.4"), "number", Decimal("310"), Decimal("16.0"), Decimal("19.4")),
        (None, "percent", Decimal(3), Decimal(5), None),
    ],
)
def test_indicator_figures_a_member_may_see(value, unit, numerator, denominator, shown):
    assert disclosed(value, unit=unit, numerator=numerator, denominator=denominator) == shown
