"""The search behind ``perfsite.disclosure.suppress_table``: which published figures to hide so that no
hidden one can be worked back from the totals (the rules are in that module's docstring).

The unknowns of the augmented table form a bipartite graph, rows against columns; a hidden figure is
pinned down exactly when its edge is a bridge. ``Search`` keeps the bridges as figures are hidden
instead of searching the graph again for each one, so a table of many strata costs near-linear time.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

Node = tuple[str, int]  # ("r", i) or ("c", j) in the augmented table
Entry = tuple[int, int]  # (row, column) in the augmented table; index m / n is the margin


class Search:
    """The unknowns of an augmented table as a graph, kept up to date as figures are hidden.

    Rows are nodes 0..m, columns m+1..m+n+1, and each unknown entry an edge. Hiding a figure only
    adds an edge, and an added edge can only put others on a cycle, never take one off, so the
    graph's two-edge-connected components are kept with union-find as edges arrive (the online
    bridge algorithm: a spanning forest over the components, and a new edge inside a tree merges
    the components on its path). An edge is a bridge exactly when its ends lie in different
    components, and the hidden figures wait in a heap in entry order, so the smallest hidden bridge
    is found in near-constant time where searching the graph again for each figure was quadratic.
    """

    def __init__(self, table):  # perfsite.disclosure's augmented table (m, n, value, unpublished)
        self.table = table
        size = table.m + table.n + 2
        self.two = list(range(size))  # two-edge-connected components
        self.tree = list(range(size))  # connected components, over the two-edge-connected ones
        self.size = [1] * size
        self.parent = [-1] * size  # the spanning forest, over the two-edge-connected components
        self.degree = [0] * size
        self.unknown: set[Entry] = set()
        self.hidden: set[Entry] = set()
        self.waiting: list[Entry] = []  # hidden entries, smallest first; a non-bridge never becomes one again

    def copy(self) -> Search:
        other = object.__new__(Search)
        other.table = self.table
        for name in ("two", "tree", "size", "parent", "degree", "waiting"):
            setattr(other, name, list(getattr(self, name)))
        other.unknown, other.hidden = set(self.unknown), set(self.hidden)
        return other

    def _column(self, j: int) -> int:
        return self.table.m + 1 + j

    def _find_two(self, v: int) -> int:
        root = v
        while self.two[root] != root:
            root = self.two[root]
        while self.two[v] != root:
            self.two[v], v = root, self.two[v]
        return root

    def _find_tree(self, v: int) -> int:
        v = root = self._find_two(v)
        while self.tree[root] != root:
            root = self.tree[root]
        while self.tree[v] != root:
            self.tree[v], v = root, self.tree[v]
        return root

    def _make_root(self, v: int) -> None:
        root, child = v, -1
        while v != -1:
            above = self._find_two(self.parent[v]) if self.parent[v] != -1 else -1
            self.parent[v] = child
            self.tree[v] = root
            child, v = v, above
        self.size[root] = self.size[child]

    def _merge_path(self, a: int, b: int) -> None:
        seen: set[int] = set()
        path_a: list[int] = []
        path_b: list[int] = []
        meet = -1
        while meet == -1:
            for path in (path_a, path_b):
                v = a if path is path_a else b
                if v == -1:
                    continue
                v = self._find_two(v)
                path.append(v)
                if v in seen:
                    meet = v
                    break
                seen.add(v)
                if path is path_a:
                    a = self.parent[v]
                else:
                    b = self.parent[v]
        for path in (path_a, path_b):
            for v in path:
                self.two[v] = meet
                if v == meet:
                    break

    def _link(self, entry: Entry) -> None:
        self.unknown.add(entry)
        a, b = entry[0], self._column(entry[1])
        self.degree[a] += 1
        self.degree[b] += 1
        a, b = self._find_two(a), self._find_two(b)
        if a == b:
            return
        tree_a, tree_b = self._find_tree(a), self._find_tree(b)
        if tree_a != tree_b:
            if self.size[tree_a] > self.size[tree_b]:
                a, b, tree_a, tree_b = b, a, tree_b, tree_a
            self._make_root(a)
            self.parent[a] = self.tree[a] = b
            self.size[tree_b] += self.size[a]
        else:
            self._merge_path(a, b)

    def publish_nothing_of(self, entries: Iterable[Entry]) -> None:
        for entry in sorted(entries):
            self._link(entry)

    def hide(self, entry: Entry) -> None:
        self.hidden.add(entry)
        heapq.heappush(self.waiting, entry)
        self._link(entry)

    def is_bridge(self, entry: Entry) -> bool:
        return self._find_two(entry[0]) != self._find_two(self._column(entry[1]))

    def first_bridge(self) -> Entry | None:
        """The smallest hidden entry the published figures pin down."""
        while self.waiting:
            if self.is_bridge(self.waiting[0]):
                return self.waiting[0]
            heapq.heappop(self.waiting)
        return None

    def _free(self, e: Entry) -> bool:
        # Zero is not confidential, and a hidden zero can be pinned by non-negativity (a row whose
        # published total is 0), so only figures of at least 1 are hidden. Every hidden figure being
        # at least 1 is what lets a cycle move both ways: the guarantee in the module docstring.
        return e not in self.unknown and self.table.value[e] > 0

    def _sides(self, bridge: Entry) -> tuple[set[Node], set[Node]]:
        """The nodes each end of ``bridge`` still reaches without it."""
        adj: dict[Node, list[Entry]] = {}
        for r, c in self.unknown:
            adj.setdefault(("r", r), []).append((r, c))
            adj.setdefault(("c", c), []).append((r, c))

        def reach(start: Node) -> set[Node]:
            seen, stack = {start}, [start]
            while stack:
                node = stack.pop()
                for r, c in adj.get(node, ()):
                    if (r, c) == bridge:
                        continue
                    other = ("c", c) if node[0] == "r" else ("r", r)
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
            return seen

        return reach(("r", bridge[0])), reach(("c", bridge[1]))

    def candidates(self, bridge: Entry) -> list[Entry]:
        """Published entries whose hiding moves ``bridge`` towards lying on a cycle, best first."""
        table = self.table
        row, col = bridge
        if self.degree[row] == 1:
            # The only hidden figure in its row: hide another figure of that row (DfE rule). One
            # exists: the row sums to zero in the augmented table and this figure is at least 1.
            candidates = [(row, c) for c in range(table.n + 1) if self._free((row, c))]
        elif self.degree[self._column(col)] == 1:
            candidates = [(r, col) for r in range(table.m + 1) if self._free((r, col))]
        else:
            # Each end already has another hidden figure, yet only this figure links the two groups
            # of hidden figures: a published entry from a row of one group to a column of the other
            # closes a cycle through it.
            row_side, col_side = self._sides(bridge)
            candidates = [
                (r, c)
                for one, other in ((row_side, col_side), (col_side, row_side))
                for kind_r, r in one
                if kind_r == "r"
                for kind_c, c in other
                if kind_c == "c" and self._free((r, c))
            ]
            if not candidates:
                # Every direct link is zero: reach out to a figure beyond both groups and go round.
                sides = row_side | col_side
                candidates = [
                    (r, c)
                    for r in range(table.m + 1)
                    for c in range(table.n + 1)
                    if (("r", r) in sides) != (("c", c) in sides) and self._free((r, c))
                ]
        if not candidates:  # pragma: no cover - hiding every non-zero entry leaves no bridge
            raise RuntimeError(f"no entry can protect {bridge}")

        def cost(e: Entry) -> tuple:
            # The smallest figure first (the DfE "next smallest"), a cell rather than a total.
            return (table.value[e], e[0] == table.m or e[1] == table.n, e)

        return sorted(candidates, key=cost)

    def joins_hidden(self, e: Entry) -> bool:
        """Both of ``e``'s lines already hold an unknown figure."""
        return self.degree[e[0]] > 0 and self.degree[self._column(e[1])] > 0


_LOOKAHEAD = 4


def protect(search: Search, *, lookahead: bool) -> set[Entry]:
    """Add secondary suppressions until no hidden entry is a bridge (iterate until stable).

    With ``lookahead`` each choice among the few smallest candidates (and the few that join a
    line already holding a hidden figure) is the one whose plain greedy completion hides the
    fewest figures, then the least in total: members keep as much of the table as is safe.
    """
    table = search.table
    while (bridge := search.first_bridge()) is not None:
        candidates = search.candidates(bridge)
        choice = candidates[0]
        if lookahead and len(candidates) > 1:
            joining = [e for e in candidates if search.joins_hidden(e)]
            shortlist = list(dict.fromkeys(candidates[:_LOOKAHEAD] + joining[:_LOOKAHEAD]))
            rank = {e: i for i, e in enumerate(shortlist)}

            def outcome(e: Entry, rank=rank) -> tuple:
                branch = search.copy()
                branch.hide(e)
                done = protect(branch, lookahead=False)
                return (len(done), sum(table.value[x] for x in done), rank[e])

            choice = min(shortlist, key=outcome)
        search.hide(choice)
    return search.hidden
