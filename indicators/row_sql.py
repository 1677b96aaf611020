"""A quarter row's figures chosen on PostgreSQL: one LATERAL join per cell, for any set of indicators.

The rules are those of ``indicators.periods`` (and of the SQLite path in ``selectors.annotate_row_ids``):
latest-first is (period_end DESC, period_start, id); the target for latest's own period sorts first
(there is at most one, by the unique key), then the most specific period containing latest's end.

``cell_joins`` writes the seven joins once, for two readers that must never disagree: the row ids
``selectors.ROW_IDS_SQL`` carries (every indicator, values read afterwards), and the quarter page's
one query (``quarter_page.page_rows``), which reads each cell's figure in the same join.
"""

from __future__ import annotations

# The cells in selectors.CELL_NAMES order, by the alias of their join.
ALIASES = ("latest", "previous", "earlier", "target", "national", "regional", "neighbours")
# How many times the quarter end is a parameter of the joins, in order (latest and the three benchmarks).
QUARTER_END_PARAMS = 4

_LATEST_FIRST = "ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1"
_YEAR_BACK = "(({}) - interval '1 year' + interval '{} days')::date"


def cell_joins(*, indicator_id: str, columns: str) -> str:
    """The seven ``LEFT JOIN LATERAL`` clauses of one indicator's row, each selecting ``columns`` of ``v``.

    ``indicator_id`` is the outer query's indicator id column. ``columns`` must include
    ``v.period_start`` and ``v.period_end``: the other cells are chosen relative to latest's period.
    Parameters: the quarter end, ``QUARTER_END_PARAMS`` times.
    """
    of = f"SELECT {columns} FROM indicators_indicatorvalue v WHERE v.indicator_id = {indicator_id}"  # noqa: S608  # nosec B608
    year_back = _YEAR_BACK.format
    return f"""
LEFT JOIN LATERAL ({of} AND v.series = 'actual' AND v.period_end <= %s {_LATEST_FIRST}) latest ON true
LEFT JOIN LATERAL ({of} AND v.series = 'actual' AND v.period_end < latest.period_end {_LATEST_FIRST}) previous ON true
LEFT JOIN LATERAL ({of} AND v.series = 'actual' AND v.period_end < latest.period_end
                   AND v.period_start BETWEEN {year_back("latest.period_start", -3)}
                                          AND {year_back("latest.period_start", 3)}
                   AND v.period_end BETWEEN {year_back("latest.period_end", -3)}
                                        AND {year_back("latest.period_end", 3)}
                   {_LATEST_FIRST}) earlier ON true
LEFT JOIN LATERAL ({of} AND v.series = 'target'
                   AND v.period_start <= latest.period_end AND v.period_end >= latest.period_end
                   ORDER BY (v.period_start = latest.period_start AND v.period_end = latest.period_end) DESC,
                            v.period_start DESC, v.period_end, v.id LIMIT 1) target ON true
LEFT JOIN LATERAL ({of} AND v.series = 'national' AND v.period_end <= %s {_LATEST_FIRST}) national ON true
LEFT JOIN LATERAL ({of} AND v.series = 'regional' AND v.period_end <= %s {_LATEST_FIRST}) regional ON true
LEFT JOIN LATERAL ({of} AND v.series = 'statistical_neighbours' AND v.period_end <= %s {_LATEST_FIRST})
    neighbours ON true"""  # nosec B608 - built from this module's constants and the caller's column names
