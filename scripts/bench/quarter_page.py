"""The quarter page (issue 13 part 3) beside the raw SQL of exactly what it shows."""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants, never input
from __future__ import annotations

import statistics

from bench.common import QUARTER, QUARTER_END, clients, median_seconds, page, query_count, raw_sql, report

# The quarter page's floor: the raw SQL of exactly what it shows (issue 13 part 3). One page of
# QUARTER_PAGE_SIZE indicators in Appendix 3's order, each with the seven figures of its row (the
# rules of indicators.selectors.ROW_IDS_SQL) and its other themes; how many indicators there are;
# the whole quarter's RAG totals (indicators.quarter_page.TOTALS_SQL, the page's own aggregate);
# and the quarter picker's and the filters' range (first and last actual, the themes).
QUARTER_PAGE_SIZE = 100
_FIGURE = (
    "v.id, v.value, v.scale, v.numerator, v.denominator, v.period_label, v.period_start, v.period_end, "
    "v.status, v.footnote, v.source_kind, v.source_detail, v.loaded_at"
)
_OF = "FROM indicators_indicatorvalue v WHERE v.indicator_id = i.id"
_FIRST = "ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1"
_BACK = "((latest.{0})::date - interval '1 year' + interval '{1} days')::date"
QUARTER_PAGE_ROWS_SQL = f"""
SELECT i.id, i.code, i.description, i.ref, i.kind, i.polarity, i.tolerance, i.unit, i.theme_name, i.framework_level,
       latest.*, previous.*, earlier.*, target.*, national.*, regional.*, neighbours.*
FROM (SELECT i.*, t.name AS theme_name, t.position AS theme_position
      FROM indicators_indicator i JOIN indicators_theme t ON t.id = i.theme_id
      WHERE i.active ORDER BY i.kind <> 'target', t.position, t.name, i.ref NULLS LAST, i.code LIMIT %s) i
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end <= %s {_FIRST}) latest ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end < latest.period_end {_FIRST})
    previous ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'actual' AND v.period_end < latest.period_end
                   AND v.period_start BETWEEN {_BACK.format("period_start", -3)} AND {_BACK.format("period_start", 3)}
                   AND v.period_end BETWEEN {_BACK.format("period_end", -3)} AND {_BACK.format("period_end", 3)}
                   {_FIRST}) earlier ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'target'
                   AND v.period_start <= latest.period_end AND v.period_end >= latest.period_end
                   ORDER BY (v.period_start = latest.period_start AND v.period_end = latest.period_end) DESC,
                            v.period_start DESC, v.period_end, v.id LIMIT 1) target ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'national' AND v.period_end <= %s {_FIRST}) national ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'regional' AND v.period_end <= %s {_FIRST}) regional ON true
LEFT JOIN LATERAL (SELECT {_FIGURE} {_OF} AND v.series = 'statistical_neighbours' AND v.period_end <= %s {_FIRST})
    neighbours ON true
ORDER BY i.kind <> 'target', i.theme_position, i.theme_name, i.ref NULLS LAST, i.code"""


def quarter_page_floor():
    """The raw SQL of the quarter page's figures (above), run as the page's own queries would be."""
    from indicators.quarter_page import TOTALS_SQL, _smallest_bases

    bases = _smallest_bases()
    totals = {
        "quarter_end": QUARTER_END,
        "base_codes": [code for code, _ in bases],
        "base_sizes": [size for _, size in bases],
        "member_only": False,
        "threshold": 5,
        "count_unit": "count",
    }
    return raw_sql(
        ("SELECT count(*) FROM indicators_indicator WHERE active", []),
        (QUARTER_PAGE_ROWS_SQL, [QUARTER_PAGE_SIZE, QUARTER_END, QUARTER_END, QUARTER_END, QUARTER_END]),
        (
            """SELECT a.indicator_id, t.name FROM indicators_indicator_also_in a JOIN indicators_theme t
               ON t.id = a.theme_id WHERE a.indicator_id IN (SELECT id FROM indicators_indicator WHERE active
               ORDER BY kind <> 'target', ref NULLS LAST, code LIMIT %s)""",
            [QUARTER_PAGE_SIZE],
        ),
        (TOTALS_SQL, totals),
        ("SELECT min(period_end), max(period_end) FROM indicators_indicatorvalue WHERE series = 'actual'", []),
        ("SELECT name FROM indicators_theme ORDER BY position, name", []),
    )


def figures_written() -> None:
    """A statement on the indicators that changes no row, committed: the figures' version moves as
    after any write (``indicators.figures_version``), so the next page counts its RAG totals again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE indicators_indicator SET active = active WHERE false")


def measure_quarter_page(repeat: int) -> None:
    """The quarter page (first page, as an officer) beside the raw SQL of what it shows: as it is
    read most (its RAG totals from the cache), and first after a write (the totals counted)."""
    made, _ = clients()
    fetch = page(made["officer"], f"/indicators/quarters/{QUARTER}/")
    floor = quarter_page_floor()
    size = len(fetch().content)
    floor()
    # Page and floor take turns, so a busy machine slows both alike and the ratio holds.
    pairs = [(median_seconds(fetch, 1), median_seconds(floor, 1)) for _ in range(repeat)]
    seconds, floor_seconds = statistics.median(p for p, _ in pairs), statistics.median(f for _, f in pairs)
    report(
        "quarter page (first page)",
        seconds,
        floor_seconds,
        "raw SQL shown",
        query_count(fetch),
        f"{size / 1024:8.0f} KiB",
    )

    def after_a_write():
        figures_written()  # not timed
        return median_seconds(fetch, 1)

    def counted():
        figures_written()
        return fetch()

    pairs = [(after_a_write(), median_seconds(floor, 1)) for _ in range(repeat)]
    seconds, floor_seconds = statistics.median(p for p, _ in pairs), statistics.median(f for _, f in pairs)
    report(
        "quarter page, first after a write",
        seconds,
        floor_seconds,
        "raw SQL shown",
        query_count(counted) - 1,  # less the write itself
        f"{size / 1024:8.0f} KiB",
    )
