"""The indicator register's rows a page at a time: sorted and filtered by RAG in SQL on PostgreSQL.

The register (``views.register.IndicatorListView``) sorts by any column, the latest figure and the
headline RAG included, and filters by that RAG. Both are properties of the built row, so every
active indicator's row used to be built in Python for each page. On PostgreSQL the keys come from
``quarter_page.headline_sql`` instead (the same rules as the quarter page's RAG totals: ``rag.rate``,
small bases, a member's hidden figures), the page's ids are sorted, filtered and sliced in one
query, and only the page's rows are built. Its sort orders are the Python ones: text compared by
code point (``COLLATE "C"``), a missing latest figure before a hidden one (``c``) before figures by
size (``IndicatorRow.latest_sort``), and ties in the register's own order (ref, then code).

On SQLite every row is built and sorted in Python, as before (``django_tables2``'s list data).
The tests compare the two on the same data, for officers and for members.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django_tables2.data import TableData
from django_tables2.utils import OrderBy

from indicators.quarter_page import headline_params, headline_sql
from indicators.quarters import Quarter

# Each sortable column of ``tables.IndicatorTable`` as the SQL keys of its Python sort.
SORT_KEYS = {
    "code": ("r.ref IS NULL", "coalesce(r.ref, 0)", 'r.code COLLATE "C"'),
    "description": ('r.description COLLATE "C"',),
    "kind": ('r.kind COLLATE "C"',),
    "latest": (
        "CASE WHEN r.latest IS NULL THEN 0 WHEN r.latest_hidden THEN 1 ELSE 2 END",
        "CASE WHEN r.latest_hidden THEN 0 ELSE coalesce(r.latest, 0) END",
    ),
    "latest_period": ("coalesce(r.latest_label, '') COLLATE \"C\"",),
    "rag": ('r.rag COLLATE "C"',),
}
# Python's sort is stable over rows in the register's order; SQL needs it said.
TIES = "r.ref ASC NULLS LAST, r.code"


def _named(sql: str, params, *, prefix: str) -> tuple[str, dict]:
    """Django's positional ``%s`` parameters as named ones, to sit beside the headline's named parameters."""
    named: dict = {}

    def swap(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%%"
        position = len(named)
        named[f"{prefix}{position}"] = params[position]
        return f"%({prefix}{position})s"

    return re.sub(r"%[%s]", swap, sql), named


class RegisterData(TableData):
    """The register's rows for ``django_tables2``: counted, sorted, filtered and sliced in SQL.

    ``build(ids)`` returns the rows of those indicators as the reader sees them, in that order.
    """

    def __init__(self, *, quarter: Quarter, indicators: QuerySet, member_only: bool, rag: str, build):
        super().__init__([])
        self.quarter = quarter
        self.member_only = member_only
        self.rag = rag
        self.build = build
        self.order = ()
        # Unordered: a DISTINCT (the theme filter) would otherwise select the ordering columns too.
        chosen, chosen_params = indicators.order_by().values("pk").query.sql_with_params()
        where, self.params = _named(f"i.id IN ({chosen})", chosen_params, prefix="chosen_")
        self.params.update(headline_params(quarter, member_only=member_only), rag=rag)
        self.base = headline_sql(where) + "SELECT r.id FROM rated r WHERE (%(rag)s = '' OR r.rag = %(rag)s)"  # noqa: S608  # nosec B608
        self._count = None

    def order_by(self, aliases) -> None:
        keys = []
        for alias in aliases:
            order = OrderBy(alias)
            direction = " DESC" if order.is_descending else ""
            keys += [f"{key}{direction}" for key in SORT_KEYS[order.bare]]
        self.order = tuple(keys)

    def _ids(self, limit: int | None = None, offset: int = 0) -> list[int]:
        sql = f"{self.base} ORDER BY {', '.join((*self.order, TIES))}"
        params = dict(self.params)
        if limit is not None:
            sql += " LIMIT %(limit)s OFFSET %(offset)s"
            params.update(limit=limit, offset=offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    def __len__(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({self.base}) counted", self.params)  # noqa: S608  # nosec B608
                (self._count,) = cursor.fetchone()
        return self._count

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                raise ValueError("The register is read a page at a time.")
            return self.build(self._ids(limit=max(stop - start, 0), offset=start)) if stop > start else []
        if key < 0:
            key += len(self)
        return self[key : key + 1][0]

    def __iter__(self):
        """Every row in order (the CSV and XLSX downloads)."""
        return iter(self.build(self._ids()))
