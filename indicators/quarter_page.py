"""Reads for the quarter page at any size: one page of Appendix 3's rows, and the quarter's RAG totals.

A council with 2,000 indicators cannot read them on one page, so the page shows ``PER_PAGE`` rows
at a time, in Appendix 3's order (Table 1 before Table 2, then by reporting theme, then by ref),
narrowed by table, framework level, theme and a search on the code or description. Only the
shown page's indicators go through the set-based row selection (``row_sql.cell_joins``): the
count, then on PostgreSQL one query for the page's rows with their figures and themes (on SQLite
three), whatever the register's size. The complete table of every indicator stays one click away as CSV, JSON or XLSX.

``rag_totals`` counts the whole quarter's headline RAGs (Table 1 against target, Table 2 against
the previous period) for the summary above the tables, in one aggregate on PostgreSQL (``TOTALS_SQL``),
kept in the cache until an indicator or a value changes (``figures_version``).
It applies the rules ``selectors.build_row`` and ``disclosure.member_safe_row`` apply to the
headline cell:

- ``rag.rate``: neutral polarity or a missing figure is NA; a shortfall of 0 or less GREEN;
  against a comparator of 0 RED; within the tolerance AMBER; else RED (exact numeric arithmetic);
- ``small_bases``: a computed rate on fewer cases than its source's smallest base is not rated;
- for a scrutiny member, ``perfsite.disclosure``: a hidden latest figure or a hidden comparator
  is not rated.

Staleness never holds back the headline: the target selected always covers the latest figure's
period, and the previous period is the figure's own history (``staleness.unrated_reason``). The
horizon never does either: every row of a quarter a member may open lies inside it
(``horizon``). The tests compare these totals with the rows' own headline RAGs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from indicators import computed, figures_version, row_sql
from indicators.models import Indicator, Kind, Theme
from indicators.picked_values import FIELDS, PickedValue
from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import CELL_NAMES, IndicatorRow, annotate_row_ids, build_row, rows_of
from perfsite.disclosure import COUNT, DEFAULT_THRESHOLD

PER_PAGE = 100

# Appendix 3's reading order, as ``appendix.build_appendix`` groups the rows: the targets' table,
# then the trackers'; in each, the themes in their reporting order; in each theme, by ref.
APPENDIX_ORDER = (
    Case(When(kind=Kind.TARGET, then=Value(0)), default=Value(1), output_field=IntegerField()),
    "theme__position",
    "theme__name",
    F("ref").asc(nulls_last=True),
    "code",
)


def shown_indicators(
    *, table: str = "", level: str = "", theme=None, search: str = "", indicators: QuerySet | None = None
) -> QuerySet:
    """The active indicators the page's filters keep, in Appendix 3's order (no rows selected yet)."""
    queryset = Indicator.objects.active() if indicators is None else indicators
    if table:
        queryset = queryset.filter(kind=table)
    if level:
        queryset = queryset.filter(framework_level=level)
    if theme is not None:
        # Reported under the theme or also in it; a subquery rather than a join, so no row repeats.
        also = Indicator.also_in.through.objects.filter(theme=theme).values("indicator_id")
        queryset = queryset.filter(Q(theme=theme) | Q(pk__in=also))
    for word in search.split():
        queryset = queryset.filter(Q(code__icontains=word) | Q(description__icontains=word))
    return queryset.order_by(*APPENDIX_ORDER)


def reporting_themes() -> list[tuple[int, str]]:
    """(id, name) of every theme in reporting order: the theme filter's choices and the tables' order."""
    return list(Theme.objects.values_list("pk", "name"))


def page_rows(quarter: Quarter, indicators: QuerySet, *, start: int, stop: int | None) -> list[IndicatorRow]:
    """The rows of ``indicators[start:stop]``, in Appendix 3's order (as ``shown_indicators`` gives them);
    ``stop=None``: to the last.

    The slice is taken in SQL, so the row selection runs for the page's indicators only. On
    PostgreSQL one query reads the page's indicators, their themes and every cell's figure
    (``PAGE_ROWS_SQL``); elsewhere three (``selectors.rows_of``). The rows are the same either way.
    """
    if stop is not None and stop <= start:
        return []
    if tuple(indicators.query.order_by) != APPENDIX_ORDER:
        raise ValueError("page_rows pages indicators in Appendix 3's order (shown_indicators).")
    if connection.vendor != "postgresql":
        annotated = annotate_row_ids(indicators.with_themes(), quarter_end=quarter.end)
        return rows_of(annotated[start:stop], quarter=quarter)
    # The page's ids with the keys of that order, so the outer query can keep it.
    positioned = indicators.annotate(appendix_table=APPENDIX_ORDER[0]).values_list(
        "pk", "appendix_table", "theme__position", "theme__name", "ref", "code"
    )[start:stop]
    page_sql, page_params = positioned.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(PAGE_ROWS_SQL.format(page=page_sql), [*page_params, *[quarter.end] * row_sql.QUARTER_END_PARAMS])
        return [_page_row(record, quarter_slug=quarter.slug) for record in cursor.fetchall()]


def every_row(quarter: Quarter, *, indicators: QuerySet | None = None) -> list[IndicatorRow]:
    """Every active indicator's row (or those of ``indicators``), in Appendix 3's order: the rows
    ``selectors.quarter_rows`` builds, read on PostgreSQL in ``PAGE_ROWS_SQL``'s one query, with no
    model instance and no prefetch of themes (at 500 indicators about a third of its time)."""
    return page_rows(quarter, shown_indicators(indicators=indicators), start=0, stop=None)


@dataclass(frozen=True, slots=True)
class PageIndicator:
    """The indicator's fields ``selectors.build_row`` reads, from ``PAGE_ROWS_SQL`` (no model instance)."""

    pk: int
    code: str
    description: str
    kind: str
    polarity: str
    unit: str
    decimals: int
    tolerance: Decimal
    framework_level: str
    framework_theme: str
    ref: int | None
    is_computed: bool
    owner: str
    theme_names: tuple[str, ...]


_INDICATOR_COLUMNS = tuple(name for name in PageIndicator.__slots__ if name != "theme_names")
_FIGURE_COLUMNS = ", ".join(f"v.{'id' if name == 'pk' else name}" for name in FIELDS)

# One page of rows: the page's indicators (``{page}``: their ids and the keys of their order, from the filters' query),
# each with its reporting theme, its other themes (``Indicator.themes`` sorts them, as ``_page_row``
# does) and the figure of each cell, chosen by ``row_sql.cell_joins``.
PAGE_ROWS_SQL = (  # noqa: S608
    "WITH page (id, appendix_table, theme_position, theme_name, ref, code) AS ({{page}})\n"  # nosec B608
    "SELECT {indicator}, reporting.name, also.positions, also.names, {cells}\n"
    "FROM page JOIN indicators_indicator ON indicators_indicator.id = page.id\n"
    "JOIN indicators_theme reporting ON reporting.id = indicators_indicator.theme_id\n"
    "LEFT JOIN LATERAL (SELECT array_agg(t.position ORDER BY t.id) AS positions,"
    " array_agg(t.name ORDER BY t.id) AS names\n"
    "  FROM indicators_indicator_also_in a JOIN indicators_theme t ON t.id = a.theme_id\n"
    "  WHERE a.indicator_id = indicators_indicator.id AND a.theme_id <> indicators_indicator.theme_id) also ON true"
    "{joins}\n"
    # APPENDIX_ORDER, over the keys the page carries.
    "ORDER BY page.appendix_table, page.theme_position, page.theme_name, page.ref NULLS LAST, page.code"
).format(
    indicator=", ".join(f"indicators_indicator.{'id' if name == 'pk' else name}" for name in _INDICATOR_COLUMNS),
    cells=", ".join(f"{alias}.*" for alias in row_sql.ALIASES),
    joins=row_sql.cell_joins(indicator_id="indicators_indicator.id", columns=_FIGURE_COLUMNS),
)  # nosec B608 - built from constants; the filters' query and the quarter end are parameters


def _page_row(record: tuple, *, quarter_slug: str) -> IndicatorRow:
    """A row from one record of ``PAGE_ROWS_SQL``: the indicator, its themes, then the cells' figures."""
    width = len(_INDICATOR_COLUMNS)
    reporting, positions, names = record[width : width + 3]
    others = sorted(zip(positions or (), names or (), strict=True))  # (position, name), as Indicator.themes
    indicator = PageIndicator(*record[:width], theme_names=(reporting, *(name for _, name in others)))
    figures = record[width + 3 :]
    size = len(FIELDS)
    picked = {}
    for n, name in enumerate(CELL_NAMES):
        values = figures[n * size : (n + 1) * size]
        picked[name] = PickedValue(*values) if values[0] is not None else None
    return build_row(indicator, picked, quarter_slug=quarter_slug)


@dataclass(frozen=True)
class TableTotals:
    """How many of one table's indicators are GREEN, AMBER, RED and NA on their headline comparison."""

    kind: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def in_order(self) -> list[tuple[str, int]]:
        return [(rag.value, self.counts.get(rag.value, 0)) for rag in Rag]


def totals_from(counted: Counter) -> list[TableTotals]:
    """``Counter`` of ``(kind, rag)`` to one ``TableTotals`` per table, targets first."""
    return [
        TableTotals(kind, {rag.value: counted.get((kind, rag.value), 0) for rag in Rag})
        for kind in (Kind.TARGET.value, Kind.TRACKER.value)
    ]


def headline_counts(rows) -> Counter:
    """The plain-Python count over built rows (made member-safe first where they must be)."""
    return Counter((row.kind, row.headline_rag.value) for row in rows)


def _smallest_bases() -> list[tuple[str, int]]:
    """(code, fewest cases) of every computed indicator whose source sets a smallest base."""
    found = []
    for code in computed.registered_codes():
        source = computed.source_of(code)
        if source is not None and source.smallest_base is not None:
            found.append((code, int(source.smallest_base())))
    return found


# One aggregate: each active indicator's latest actual and its headline comparator (the target for
# a target indicator, the previous actual for a tracker), chosen by the rules of ROW_IDS_SQL, rated,
# and counted by table and RAG. Figures are the values at the scale they were given (``figure``).
def _small(column: str) -> str:
    """``perfsite.disclosure.is_small``: a whole number from 1 to the threshold."""
    return f"({column} IS NOT NULL AND {column} = trunc({column}) AND {column} BETWEEN 1 AND %(threshold)s)"


def _hidden(prefix: str) -> str:
    """``disclosure.disclosed_figure`` hides the figure: a small count, or a share of one."""
    figure = f"h.{prefix}"
    return (
        f"((h.unit = %(count_unit)s AND {_small(figure)}) OR {_small(figure + '_numerator')} "
        f"OR {_small(figure + '_denominator')})"
    )


HEADLINE_TEMPLATE = """
WITH headline AS (
  SELECT i.id, i.ref, i.code, i.description, i.kind, i.polarity, i.tolerance, i.unit, l.period_label AS latest_label,
         round(l.value, l.scale) AS latest, l.numerator AS latest_numerator, l.denominator AS latest_denominator,
         CASE WHEN i.kind = 'target' THEN round(t.value, t.scale) ELSE round(p.value, p.scale) END AS other,
         CASE WHEN i.kind = 'target' THEN t.numerator ELSE p.numerator END AS other_numerator,
         CASE WHEN i.kind = 'target' THEN t.denominator ELSE p.denominator END AS other_denominator
  FROM indicators_indicator i
  LEFT JOIN LATERAL (SELECT v.value, v.scale, v.numerator, v.denominator, v.period_start, v.period_end,
                            v.period_label
                     FROM indicators_indicatorvalue v
                     WHERE v.indicator_id = i.id AND v.series = 'actual' AND v.period_end <= %(quarter_end)s
                     ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) l ON true
  LEFT JOIN LATERAL (SELECT v.value, v.scale, v.numerator, v.denominator FROM indicators_indicatorvalue v
                     WHERE i.kind <> 'target' AND v.indicator_id = i.id AND v.series = 'actual'
                       AND v.period_end < l.period_end
                     ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) p ON true
  LEFT JOIN LATERAL (SELECT v.value, v.scale, v.numerator, v.denominator FROM indicators_indicatorvalue v
                     WHERE i.kind = 'target' AND v.indicator_id = i.id AND v.series = 'target'
                       AND v.period_start <= l.period_end AND v.period_end >= l.period_end
                     ORDER BY (v.period_start = l.period_start AND v.period_end = l.period_end) DESC,
                              v.period_start DESC, v.period_end, v.id LIMIT 1) t ON true
  WHERE {where}
), rated AS (
  SELECT h.*,
         CASE
           WHEN h.polarity NOT IN ('higher', 'lower') OR h.latest IS NULL OR h.other IS NULL THEN 'NA'
           WHEN EXISTS (SELECT 1 FROM unnest(%(base_codes)s::text[], %(base_sizes)s::int[]) AS b(code, fewest)
                        WHERE b.code = h.code AND h.latest_denominator < b.fewest) THEN 'NA'
           WHEN %(member_only)s AND ({latest_hidden} OR {other_hidden}) THEN 'NA'
           WHEN (CASE WHEN h.polarity = 'higher' THEN h.other - h.latest ELSE h.latest - h.other END) <= 0
             THEN 'GREEN'
           WHEN h.other = 0 THEN 'RED'
           WHEN (CASE WHEN h.polarity = 'higher' THEN h.other - h.latest ELSE h.latest - h.other END) * 100
                <= h.tolerance * abs(h.other) THEN 'AMBER'
           ELSE 'RED'
         END AS rag,
         (%(member_only)s AND {latest_hidden}) AS latest_hidden
  FROM headline h
)
"""


def headline_sql(where: str) -> str:
    """The CTEs ``headline`` and ``rated`` (each indicator's headline ``rag`` and whether a member sees its
    latest figure as ``c``, ``latest_hidden``) over the indicators ``i`` that ``where`` keeps.
    Parameters: ``headline_params``."""
    return HEADLINE_TEMPLATE.format(where=where, latest_hidden=_hidden("latest"), other_hidden=_hidden("other"))


def headline_params(quarter: Quarter, *, member_only: bool) -> dict:
    bases = _smallest_bases()
    return {
        "quarter_end": quarter.end,
        "base_codes": [code for code, _ in bases],
        "base_sizes": [size for _, size in bases],
        "member_only": member_only,
        "threshold": DEFAULT_THRESHOLD,
        "count_unit": COUNT,
    }


TOTALS_SQL = headline_sql("i.active") + "SELECT kind, rag, count(*) FROM rated GROUP BY kind, rag"  # noqa: S608  # nosec B608


def rag_totals(quarter: Quarter, *, member_only: bool, rows_for_python=None) -> list[TableTotals]:
    """The whole quarter's headline RAG counts, per table (see the module docstring).

    PostgreSQL counts in one query, kept in the cache until an indicator or a value changes
    (``figures_version``: one query, the version, while it holds). The SQLite development database
    has no LATERAL and keeps decimals as floats, so there the counts come from the rows themselves:
    ``rows_for_python()`` must return every active indicator's row as the reader sees it.
    """
    if connection.vendor != "postgresql":
        return totals_from(headline_counts(rows_for_python()))
    # They change only when an indicator or a value does: cached until then (figures_version).
    rows = figures_version.cached_rows("rag-totals", TOTALS_SQL, headline_params(quarter, member_only=member_only))
    return totals_from(Counter({(kind, rag): n for kind, rag, n in rows}))


RATINGS_SQL = headline_sql("i.active") + "SELECT id, rag FROM rated"  # noqa: S608  # nosec B608


def headline_ratings(quarter: Quarter, *, member_only: bool, rows_for_python) -> dict[int, Rag]:
    """Each active indicator's headline RAG by id: what the scorecard's headline compares with the
    quarter before, without building that quarter's rows (one query on PostgreSQL).

    As ``rag_totals``: on SQLite the ratings come from ``rows_for_python()``, every active row as the
    reader sees it."""
    if connection.vendor != "postgresql":
        return {row.indicator_id: row.headline_rag for row in rows_for_python()}
    with connection.cursor() as cursor:
        cursor.execute(RATINGS_SQL, headline_params(quarter, member_only=member_only))
        return {pk: Rag(rag) for pk, rag in cursor.fetchall()}
