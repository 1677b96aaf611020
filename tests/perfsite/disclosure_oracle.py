"""The table suppression as it was before issue 13, kept as the test oracle for the faster one.

It recomputed every bridge with a search per hidden figure and looked ahead with full greedy
completions, so it slowed past use on tables of many strata; the rules (which figure to hide next,
and the look-ahead among the few best) are the same as ``perfsite.disclosure.suppress_table``'s,
whose output the property tests compare with this one's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from perfsite.disclosure import (
    DEFAULT_THRESHOLD,
    SuppressedTable,
    _Augmented,
    suppress_table_with,
)
from perfsite.suppression import Entry, Node


def _adjacency(edges: Iterable[Entry]) -> dict[Node, set[Entry]]:
    adj: dict[Node, set[Entry]] = {}
    for r, c in edges:
        adj.setdefault(("r", r), set()).add((r, c))
        adj.setdefault(("c", c), set()).add((r, c))
    return adj


def _reachable(start: Node, adj: dict[Node, set[Entry]], without: Entry) -> set[Node]:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for r, c in adj.get(node, ()):
            if (r, c) == without:
                continue
            other = ("c", c) if node[0] == "r" else ("r", r)
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def recoverable_entries(hidden: set[Entry], unknown: set[Entry]) -> list[Entry]:
    """The hidden entries the published figures pin down: the bridges among the unknowns."""
    adj = _adjacency(unknown)
    return [e for e in sorted(hidden) if ("c", e[1]) not in _reachable(("r", e[0]), adj, e)]


def _candidates(table: _Augmented, bridge: Entry, unknown: set[Entry]) -> list[Entry]:
    """Published entries whose hiding moves ``bridge`` towards lying on a cycle, best first."""
    adj = _adjacency(unknown)
    row, col = bridge
    # Zero is not confidential, and a hidden zero can be pinned by non-negativity (a row whose
    # published total is 0), so only figures of at least 1 are hidden. Every hidden figure being
    # at least 1 is what lets a cycle move both ways: the guarantee in the module docstring.
    free = {e for e in table.entries() if e not in unknown and table.value[e] > 0}
    if len(adj[("r", row)]) == 1:
        # The only hidden figure in its row: hide another figure of that row (DfE rule). One
        # exists: the row sums to zero in the augmented table and this figure is at least 1.
        candidates = [(row, c) for c in range(table.n + 1) if (row, c) in free]
    elif len(adj[("c", col)]) == 1:
        candidates = [(r, col) for r in range(table.m + 1) if (r, col) in free]
    else:
        # Each end already has another hidden figure, yet only this figure links the two groups
        # of hidden figures: a published entry from a row of one group to a column of the other
        # closes a cycle through it.
        row_side = _reachable(("r", row), adj, bridge)
        col_side = _reachable(("c", col), adj, bridge)

        def joins(e: Entry) -> bool:
            r, c = ("r", e[0]), ("c", e[1])
            return (r in row_side and c in col_side) or (r in col_side and c in row_side)

        candidates = [e for e in free if joins(e)]
        if not candidates:
            # Every direct link is zero: reach out to a figure beyond both groups and go round.
            sides = row_side | col_side
            candidates = [e for e in free if (("r", e[0]) in sides) != (("c", e[1]) in sides)]
    if not candidates:  # pragma: no cover - hiding every non-zero entry leaves no bridge
        raise RuntimeError(f"no entry can protect {bridge}")

    def cost(e: Entry) -> tuple:
        value = table.value[e]
        # The smallest figure first (the DfE "next smallest"), a cell rather than a total.
        is_margin = e[0] == table.m or e[1] == table.n
        return (value, is_margin, e)

    return sorted(candidates, key=cost)


_LOOKAHEAD = 4


def _protect(table: _Augmented, hidden: set[Entry], *, lookahead: bool) -> set[Entry]:
    """Add secondary suppressions until no hidden entry is a bridge (iterate until stable).

    With ``lookahead`` each choice among the few smallest candidates (and the few that join a
    line already holding a hidden figure) is the one whose plain greedy completion hides the
    fewest figures, then the least in total: members keep as much of the table as is safe.
    """
    hidden = set(hidden)
    while True:
        unknown = hidden | table.unpublished
        bridges = recoverable_entries(hidden, unknown)
        if not bridges:
            return hidden
        candidates = _candidates(table, bridges[0], unknown)
        choice = candidates[0]
        if lookahead and len(candidates) > 1:
            adj = _adjacency(unknown)
            joining = [e for e in candidates if ("r", e[0]) in adj and ("c", e[1]) in adj]
            shortlist = list(dict.fromkeys(candidates[:_LOOKAHEAD] + joining[:_LOOKAHEAD]))

            rank = {e: i for i, e in enumerate(shortlist)}

            def outcome(e: Entry, rank=rank, hidden=hidden) -> tuple:
                done = _protect(table, hidden | {e}, lookahead=False)
                return (len(done), sum(table.value[x] for x in done), rank[e])

            choice = min(shortlist, key=outcome)
        hidden.add(choice)


def old_suppress_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int = DEFAULT_THRESHOLD,
    lookahead: bool = True,
) -> SuppressedTable:
    """Hide small counts and, where totals would give them away, enough other figures to protect them
    (``lookahead=False``: the plain greedy choice at every step, as the look-ahead's completions make)."""
    return suppress_table_with(
        lambda table, small: _protect(table, small, lookahead=lookahead),
        cells,
        row_totals=row_totals,
        column_totals=column_totals,
        threshold=threshold,
    )
