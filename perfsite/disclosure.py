"""Statistical disclosure control for everything a scrutiny member can see or download.

DfE practice: a count from 1 to 5 is published as ``c``. Hiding the small cell is not enough
when totals are published: a total minus the cells that are shown gives the hidden one back, so
more cells are hidden ("secondary suppression") until no hidden figure can be worked out.

How we decide that nothing can be worked out (docs/charts-and-disclosure.md has the long form):
write the table with its margins as an (m+1) x (n+1) array in which the row totals, column totals
and grand total enter with a minus sign; then every row and every column of that array sums to
zero. The figures a reader does not know (suppressed entries, and totals that are not published at
all) are the edges of a bipartite graph between its rows and columns. A hidden figure is fixed by
the published ones exactly when its edge is a *bridge* of that graph (lies on no cycle): moving +1
and -1 alternately round a cycle changes none of the line sums, and because every hidden figure is
at least 1, both directions stay non-negative, so at least three values are consistent with what
is published. Secondary suppression therefore adds, smallest figure first, the published entry that
closes a cycle through every bridge, until none is left. A line (row or column) holding exactly one
hidden figure is the simplest bridge, and then the next-smallest non-zero entry of that line is
hidden, as the DfE guidance describes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from perfsite.suppression import Entry, Search, protect

SUPPRESSED = "c"
DEFAULT_THRESHOLD = 5

Published = int | str  # a count, or SUPPRESSED


def is_small(n: int | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A count that identifies: 1 to ``threshold`` (zero is not confidential)."""
    return n is not None and 1 <= n <= threshold


def _check_count(n: object, where: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{where}: a count must be an int, not {n!r}")
    if n < 0:
        raise ValueError(f"{where}: a count cannot be negative ({n})")
    return n


def suppress_count(n: int | None, *, threshold: int = DEFAULT_THRESHOLD) -> int | str | None:
    """A single published count: 1..threshold becomes ``"c"``; 0, larger counts and None pass through."""
    if n is None:
        return None
    _check_count(n, "count")
    return SUPPRESSED if is_small(n, threshold) else n


# -- shares --------------------------------------------------------------------------------------


class Share(NamedTuple):
    numerator: int
    denominator: int
    percentage: Decimal | None  # None when the denominator is zero


def suppress_share(
    numerator: int | str | None,
    denominator: int | str | None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    decimals: int = 1,
    complement: bool = False,
) -> Share | str | None:
    """A percentage that is only shown when the counts behind it could be.

    ``"c"`` when the numerator or denominator is 1..threshold, or is itself suppressed (pass the
    published figure from a suppressed table). With ``complement=True`` it is also hidden when
    denominator - numerator is 1..threshold ("19 of 20 were good" tells the reader about the one
    that was not). None when either figure is unknown.
    """
    if numerator == SUPPRESSED or denominator == SUPPRESSED:
        return SUPPRESSED
    if numerator is None or denominator is None:
        return None
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} is larger than denominator {denominator}")
    if is_small(numerator, threshold) or is_small(denominator, threshold):
        return SUPPRESSED
    if complement and is_small(denominator - numerator, threshold):
        return SUPPRESSED
    if denominator == 0:
        return Share(numerator, denominator, None)
    percentage = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    return Share(numerator, denominator, percentage)


# -- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuppressedTable:
    """A table as a member may see it.

    ``cells`` hold ints or ``"c"``; ``row_totals`` / ``column_totals`` are lists of the same (or
    None when those totals are not published); ``grand_total`` is an int, ``"c"`` or None (only
    published with row or column totals). ``suppressed`` holds the (row, column) of every hidden
    cell; ``primary`` those hidden because they are small, the rest were hidden to protect them.
    """

    cells: list[list[Published]]
    row_totals: list[Published] | None
    column_totals: list[Published] | None
    grand_total: Published | None
    suppressed: set[tuple[int, int]] = field(default_factory=set)
    primary: set[tuple[int, int]] = field(default_factory=set)

    @property
    def secondary(self) -> set[tuple[int, int]]:
        return self.suppressed - self.primary

    def rows_with_totals(self) -> list[list[Published]]:
        """The cells with each row's total appended, then the column totals row, for display."""
        rows = [
            [*row, self.row_totals[i]] if self.row_totals is not None else list(row) for i, row in enumerate(self.cells)
        ]
        if self.column_totals is not None:
            last = list(self.column_totals)
            if self.row_totals is not None:
                last.append(self.grand_total)
            rows.append(last)
        return rows


def _validate(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    if isinstance(cells, (str, bytes)) or not isinstance(cells, Sequence):
        raise TypeError("cells must be a list of rows")
    rows = [list(row) for row in cells]
    if rows and len({len(row) for row in rows}) != 1:
        raise ValueError("every row of the table must have the same number of cells")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            _check_count(value, f"cell ({i}, {j})")
    return rows


class _Augmented:
    """The table with its margins, in which every line sums to zero (margins negated)."""

    def __init__(self, rows: list[list[int]], *, row_totals: bool, column_totals: bool):
        self.m = len(rows)
        self.n = len(rows[0]) if rows else 0
        m, n = self.m, self.n
        self.value: dict[Entry, int] = {}
        for i in range(m):
            for j in range(n):
                self.value[(i, j)] = rows[i][j]
            self.value[(i, n)] = sum(rows[i])
        for j in range(n):
            self.value[(m, j)] = sum(rows[i][j] for i in range(m))
        self.value[(m, n)] = sum(self.value[(i, n)] for i in range(m))
        grand_shown = row_totals or column_totals
        # Entries the reader never sees: they are unknowns whether or not we "suppress" them.
        self.unpublished: set[Entry] = set()
        if not row_totals:
            self.unpublished |= {(i, n) for i in range(m)}
        if not column_totals:
            self.unpublished |= {(m, j) for j in range(n)}
        if not grand_shown:
            self.unpublished.add((m, n))

    def entries(self) -> Iterable[Entry]:
        return self.value.keys()

    def published(self) -> set[Entry]:
        return set(self.value) - self.unpublished


# The look-ahead completes the table greedily for each of a few choices at each step, so its cost
# grows with the square of the figures to protect; past this many small figures (tables of many
# strata) each choice is the plain greedy one, near-linear in the size of the table.
LOOKAHEAD_LIMIT = 100


def suppress_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int = DEFAULT_THRESHOLD,
) -> SuppressedTable:
    """Hide small counts and, where totals would give them away, enough other figures to protect them."""
    return suppress_table_with(
        _protect_by_search, cells, row_totals=row_totals, column_totals=column_totals, threshold=threshold
    )


def _protect_by_search(table: _Augmented, small: set[Entry]) -> set[Entry]:
    search = Search(table)
    search.publish_nothing_of(table.unpublished)
    for entry in sorted(small):
        search.hide(entry)
    return protect(search, lookahead=len(small) <= LOOKAHEAD_LIMIT)


def suppress_table_with(
    protect_small: Callable[[_Augmented, set[Entry]], set[Entry]],
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int = DEFAULT_THRESHOLD,
) -> SuppressedTable:
    """The table with its small figures hidden and ``protect_small(table, small)``'s secondary choice.

    Everything but the choice of what else to hide is the same for every way of choosing it, so the
    tests' oracle (the exhaustive search this module replaced) shares it rather than repeating it.
    """
    rows = _validate(cells)
    if not rows or not rows[0]:
        return SuppressedTable(
            cells=[list(r) for r in rows],
            row_totals=[0] * len(rows) if row_totals else None,
            column_totals=[] if column_totals else None,
            grand_total=0 if (row_totals or column_totals) else None,
        )
    table = _Augmented(rows, row_totals=row_totals, column_totals=column_totals)
    small = {e for e in table.published() if is_small(table.value[e], threshold)}
    primary_cells = {e for e in small if e[0] < table.m and e[1] < table.n}
    hidden = protect_small(table, small)
    m, n = table.m, table.n

    def show(e: Entry) -> Published:
        return SUPPRESSED if e in hidden else table.value[e]

    return SuppressedTable(
        cells=[[show((i, j)) for j in range(n)] for i in range(m)],
        row_totals=[show((i, n)) for i in range(m)] if row_totals else None,
        column_totals=[show((m, j)) for j in range(n)] if column_totals else None,
        grand_total=show((m, n)) if (row_totals or column_totals) else None,
        suppressed={e for e in hidden if e[0] < m and e[1] < n},
        primary=primary_cells,
    )


def suppress_row(
    counts: Sequence[int], *, total: bool = True, threshold: int = DEFAULT_THRESHOLD
) -> tuple[list[Published], Published | None]:
    """One distribution (e.g. audits by grade) with its total: ``(cells, total)``."""
    table = suppress_table([list(counts)], row_totals=total, column_totals=False, threshold=threshold)
    return table.cells[0], (table.row_totals[0] if table.row_totals is not None else None)


# Indicator figures ----------------------------------------------------------------
# Units as the indicators app names them.
PERCENT = "percent"
COUNT = "count"


def is_small_count(value: Decimal | None, *, unit: str) -> bool:
    """A count of 1 to 5 (people, cases, referrals) identifies: members see ``c`` instead."""
    if value is None or unit != COUNT or value != value.to_integral_value():
        return False
    return is_small(int(value))


def is_small_share(numerator: Decimal | None, denominator: Decimal | None, *, unit: str) -> bool:
    """A figure built on a count of 1 to 5 is hidden too, whatever its unit: a percentage of 3
    children, or a rate per 100,000 on 3 cases (with the population published, it gives the 3 back)."""
    return any(
        part is not None and part == part.to_integral_value() and is_small(int(part))
        for part in (numerator, denominator)
    )


def disclosed(value: Decimal | None, *, unit: str, numerator=None, denominator=None) -> Decimal | str | None:
    """The figure a member may see: the value, or ``c`` when it (or the count it rests on) is small."""
    if value is None:
        return None
    if is_small_count(value, unit=unit) or is_small_share(numerator, denominator, unit=unit):
        return SUPPRESSED
    return value
