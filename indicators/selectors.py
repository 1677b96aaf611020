"""Reads: a quarter's row for every indicator, in a constant number of queries.

``quarter_rows`` selects each row's figures in SQL (one query annotates every indicator with
the ids of its latest, previous, twelve-months-earlier, target and benchmark values; a second
fetches those values; a third the themes), so the number of queries does not grow with the
indicator count. On PostgreSQL the selection is set-based (LATERAL joins, ``ROW_IDS_SQL``);
elsewhere correlated subqueries. The rules are those of ``indicators.periods``.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import NotSupportedError, connection
from django.db.models import CharField, DateField, Func, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from indicators import provenance, row_sql, small_bases, staleness
from indicators.models import Indicator, IndicatorValue, Series, Unit, quantize
from indicators.picked_values import picked_values
from indicators.quarters import Quarter
from indicators.rag import Rag, rate

CELL_NAMES = ("latest", "previous", "twelve_months_earlier", "target", "national", "regional", "statistical_neighbours")
COMPARATORS = CELL_NAMES[1:]
# get_unit_display() rebuilds the choices' dict on every call: a row's worth of time at 100 rows.
UNIT_LABELS = dict(Unit.choices)


@dataclass(frozen=True)
class Cell:
    """One figure of a row, with its own period; ``rag`` compares the row's latest with it.

    Figures are Decimals; in a row made safe for a scrutiny member (``indicators.disclosure``) a
    hidden figure is the string ``"c"``.
    """

    value: Decimal | str | None = None
    period_label: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    rag: Rag = Rag.NA
    numerator: Decimal | str | None = None
    denominator: Decimal | str | None = None
    status: str = ""
    footnote: str = ""
    value_id: int | None = None
    # Why the cell is not rated although both figures exist (out of date, too few to rate); else "".
    note: str = ""
    # indicators.provenance: where the figure came from and when it was loaded (names no person).
    source: str = ""

    @property
    def is_empty(self) -> bool:
        return self.value is None

    @classmethod
    def from_value(
        cls, item: IndicatorValue | None, *, rag: Rag = Rag.NA, note: str = "", figure: Decimal | None = None
    ) -> Cell:
        """``figure``: ``item.figure`` when the caller has it already (a row quantizes each figure once)."""
        if item is None:
            return EMPTY
        return cls(
            value=item.figure if figure is None else figure,
            period_label=item.period_label,
            period_start=item.period_start,
            period_end=item.period_end,
            rag=rag,
            numerator=plain_number(item.numerator),
            denominator=plain_number(item.denominator),
            status=item.status,
            footnote=item.footnote,
            value_id=item.pk,
            note=note,
            source=provenance.of(item),
        )


EMPTY = Cell()


def plain_number(number: Decimal | None) -> Decimal | None:
    """Numerators are counts more often than not: drop the database's trailing zeros."""
    if number is None:
        return None
    return quantize(number, 0) if number == number.to_integral_value() else number.normalize()


@dataclass(frozen=True)
class IndicatorRow:
    indicator_id: int
    code: str
    description: str
    kind: str
    polarity: str
    unit: str
    decimals: int
    themes: list[str]
    framework_level: str
    latest: Cell
    previous: Cell
    twelve_months_earlier: Cell
    target: Cell
    national: Cell
    regional: Cell
    statistical_neighbours: Cell
    tolerance: Decimal = Decimal(2)
    framework_theme: str = ""
    ref: int | None = None
    is_computed: bool = False
    quarter_slug: str = ""
    owner: str = ""
    unit_label: str = ""
    also_in: list[str] = field(default_factory=list)
    # indicators.staleness: the latest figure ended too long before the quarter; and why.
    out_of_date: bool = False
    staleness_note: str = ""
    # indicators.small_bases: a computed rate on too few cases is not rated; and why.
    too_few_to_rate: bool = False
    small_base_note: str = ""

    @property
    def theme(self) -> str:
        return self.themes[0] if self.themes else ""

    @property
    def headline_name(self) -> str:
        """The comparison a committee reads first: the target for targets, the previous period for trackers."""
        return "target" if self.kind == "target" else "previous"

    @property
    def headline_cell(self) -> Cell:
        return self.cell(self.headline_name)

    @property
    def headline_rag(self) -> Rag:
        return self.headline_cell.rag

    @property
    def headline_label(self) -> str:
        cell = self.headline_cell
        if cell.is_empty:
            return ""
        name = "Target" if self.headline_name == "target" else "Previous"
        return f"{name} {cell.value} ({cell.period_label})"

    @property
    def ref_order(self) -> tuple:
        return (self.ref is None, self.ref or 0, self.code)

    @property
    def latest_sort(self) -> tuple:
        """No figure, then hidden figures (``c``, in no telling order), then figures by size."""
        value = self.latest.value
        if value is None:
            return (0, Decimal(0))
        if isinstance(value, str):
            return (1, Decimal(0))
        return (2, value)

    def cell(self, name: str) -> Cell:
        if name not in CELL_NAMES:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def footnotes(self) -> list[str]:
        """Every footnote of the row's cells, in column order, without repeats."""
        seen: list[str] = []
        for name in CELL_NAMES:
            note = getattr(self, name).footnote
            if note and note not in seen:
                seen.append(note)
        return seen


class YearBack(Func):
    """A date moved back one calendar year and then by ``days`` (SQLite and PostgreSQL)."""

    output_field = DateField()

    def __init__(self, expression, *, days: int = 0):
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '-1 years', '{self.days:+d} days')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date - interval '1 year' + interval '{self.days} days')::date", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Row selection supports SQLite and PostgreSQL.")


def _latest_first(queryset: QuerySet) -> QuerySet:
    return queryset.order_by("-period_end", "period_start", "pk")


# PostgreSQL: every cell's value id in one set-based expression, the LATERAL joins of
# ``row_sql.cell_joins`` from a one-row base, carried by the indicators' own query.
ROW_IDS_SQL = f"""(
SELECT array_to_string(ARRAY[{", ".join(f"{alias}.id" for alias in row_sql.ALIASES)}], ',', '')
FROM (SELECT 1) AS one
{row_sql.cell_joins(indicator_id='"indicators_indicator"."id"', columns="v.id, v.period_start, v.period_end")}
)"""  # noqa: S608  # nosec B608 - built from constants; the quarter end is a parameter


def annotate_row_ids(indicators: QuerySet, *, quarter_end: datetime.date) -> QuerySet:
    """Annotate each indicator with the ids of the values its quarter row shows.

    On PostgreSQL one ``row_ids`` text ("id,id,,id,...", in ``CELL_NAMES`` order) from
    ``ROW_IDS_SQL``; elsewhere one correlated subquery per cell, ``<cell>_id``. ``row_value_ids``
    reads either.
    """
    if connection.vendor == "postgresql":
        sql = RawSQL(ROW_IDS_SQL, [quarter_end] * row_sql.QUARTER_END_PARAMS, output_field=CharField())  # noqa: S611  # nosec B611 - constant SQL
        return indicators.annotate(row_ids=sql)
    of_indicator = IndicatorValue.objects.filter(indicator=OuterRef("pk"))
    actuals = of_indicator.filter(series=Series.ACTUAL, period_end__lte=quarter_end)
    latest = _latest_first(actuals)
    indicators = indicators.annotate(
        latest_id=Subquery(latest.values("pk")[:1]),
        latest_start=Subquery(latest.values("period_start")[:1]),
        latest_end=Subquery(latest.values("period_end")[:1]),
    )
    slack = 3
    year_earlier = actuals.filter(
        period_start__gte=YearBack(OuterRef("latest_start"), days=-slack),
        period_start__lte=YearBack(OuterRef("latest_start"), days=slack),
        period_end__gte=YearBack(OuterRef("latest_end"), days=-slack),
        period_end__lte=YearBack(OuterRef("latest_end"), days=slack),
        period_end__lt=OuterRef("latest_end"),
    )
    targets = of_indicator.filter(
        series=Series.TARGET,
        period_start__lte=OuterRef("latest_end"),
        period_end__gte=OuterRef("latest_end"),
    )
    # The target for latest's own period, else the most specific period containing its end.
    same_period = targets.filter(period_start=OuterRef("latest_start"), period_end=OuterRef("latest_end"))
    containing = targets.order_by("-period_start", "period_end", "pk")
    benchmarks = {
        f"{series.value}_id": Subquery(
            _latest_first(of_indicator.filter(series=series, period_end__lte=quarter_end)).values("pk")[:1]
        )
        for series in (Series.NATIONAL, Series.REGIONAL, Series.STATISTICAL_NEIGHBOURS)
    }
    return indicators.annotate(
        previous_id=Subquery(_latest_first(actuals.filter(period_end__lt=OuterRef("latest_end"))).values("pk")[:1]),
        twelve_months_earlier_id=Subquery(_latest_first(year_earlier).values("pk")[:1]),
        target_id=Coalesce(
            Subquery(same_period.order_by("pk").values("pk")[:1]),
            Subquery(containing.values("pk")[:1]),
        ),
        **benchmarks,
    )


def row_value_ids(indicator: Indicator) -> dict[str, int | None]:
    """The value id of each cell of an indicator annotated by ``annotate_row_ids``."""
    packed = getattr(indicator, "row_ids", None)
    if packed is not None:
        return {name: int(part) if part else None for name, part in zip(CELL_NAMES, packed.split(","), strict=True)}
    return {name: getattr(indicator, f"{name}_id") for name in CELL_NAMES}


@functools.lru_cache(maxsize=64)
def _quarter_end_and_label(slug: str) -> tuple[datetime.date, str]:
    """A row's quarter's end and label, worked out once for all the rows of a page rather than once a row."""
    quarter = Quarter.parse(slug)
    return quarter.end, quarter.label


def _theme_names(indicator) -> list[str]:
    """The reporting theme's name, then the others' (``Indicator.themes``; a page's records carry them)."""
    names = getattr(indicator, "theme_names", None)
    return list(names) if names is not None else [theme.name for theme in indicator.themes]


def build_row(
    indicator: Indicator, picked: dict[str, IndicatorValue | None], *, quarter_slug: str = ""
) -> IndicatorRow:
    """A row from the values picked for each cell; the RAGs compare latest with each.

    Two rules hold a rating back: an out-of-date latest is rated only against comparators for its
    own period (``indicators.staleness``), and a computed rate on too few cases is not rated at
    all (``indicators.small_bases``). A cell held back says why in its ``note``.
    """
    latest = picked.get("latest")
    latest_value = latest.figure if latest is not None else None
    stale = (
        staleness.staleness(
            latest,
            quarter_end=_quarter_end_and_label(quarter_slug)[0],
            quarter_label=_quarter_end_and_label(quarter_slug)[1],
            previous=picked.get("previous"),
            latest_label=latest.period_label,
        )
        if quarter_slug and latest is not None
        else staleness.FRESH
    )
    small = (
        small_bases.small_base(code=indicator.code, numerator=latest.numerator, denominator=latest.denominator)
        if latest is not None
        else None
    )
    cells: dict[str, Cell] = {
        "latest": Cell.from_value(latest, note=small.text if small else stale.reason, figure=latest_value)
    }
    polarity, tolerance = indicator.polarity, indicator.tolerance
    for name in COMPARATORS:
        item = picked.get(name)
        if item is None:
            cells[name] = EMPTY
            continue
        note = ""
        if small is not None:
            note = small.text
        elif stale.out_of_date:
            note = staleness.unrated_reason(name, latest, item, comparator_label=item.period_label)
        # Each figure is quantized once: for its rating and for its cell.
        figure = item.figure
        rag = Rag.NA if note else rate(value=latest_value, comparator=figure, polarity=polarity, tolerance=tolerance)
        cells[name] = Cell.from_value(item, rag=rag, note=note, figure=figure)
    themes = _theme_names(indicator)
    return IndicatorRow(
        indicator_id=indicator.pk,
        code=indicator.code,
        description=indicator.description,
        kind=indicator.kind,
        polarity=indicator.polarity,
        unit=indicator.unit,
        decimals=indicator.decimals,
        themes=themes,
        framework_level=indicator.framework_level,
        tolerance=indicator.tolerance,
        framework_theme=indicator.framework_theme,
        ref=indicator.ref,
        is_computed=indicator.is_computed,
        quarter_slug=quarter_slug,
        owner=indicator.owner,
        unit_label=UNIT_LABELS.get(indicator.unit, indicator.unit),
        also_in=themes[1:],
        out_of_date=stale.out_of_date,
        staleness_note=stale.reason,
        too_few_to_rate=small is not None,
        small_base_note=small.text if small else "",
        **cells,
    )


def quarter_rows(quarter: Quarter, *, indicators=None) -> list[IndicatorRow]:
    """Every active indicator's row for ``quarter`` (or those of ``indicators``, active or not).

    ``indicators`` may be a queryset or an iterable of indicators or ids. Three queries in all.
    """
    if indicators is None:
        queryset = Indicator.objects.active()
    elif isinstance(indicators, QuerySet):
        queryset = indicators
    else:
        ids = [getattr(item, "pk", item) for item in indicators]
        queryset = Indicator.objects.filter(pk__in=ids)
    queryset = annotate_row_ids(queryset.with_themes(), quarter_end=quarter.end).order_by(*Indicator._meta.ordering)
    return rows_of(queryset, quarter=quarter)


def rows_of(annotated: QuerySet, *, quarter: Quarter) -> list[IndicatorRow]:
    """The rows of indicators already annotated by ``annotate_row_ids`` (ordered, perhaps one page of
    them): the indicators with their row ids, then the values, then the themes. Three queries."""
    picked_ids = [(indicator, row_value_ids(indicator)) for indicator in annotated]
    values = picked_values(pk for _, ids in picked_ids for pk in ids.values())
    rows = []
    for indicator, ids in picked_ids:
        picked = {name: values.get(pk) for name, pk in ids.items()}
        rows.append(build_row(indicator, picked, quarter_slug=quarter.slug))
    return rows


def pick_row_values(indicator: Indicator, values: list[IndicatorValue], *, quarter_end: datetime.date) -> dict:
    """The plain-Python twin of ``annotate_row_ids``, over one indicator's loaded values."""
    from indicators import periods

    by_series: dict[str, list[IndicatorValue]] = {s: [] for s in Series.values}
    for item in values:
        by_series[item.series].append(item)
    actuals = [a for a in by_series[Series.ACTUAL] if a.period_end <= quarter_end]
    latest = periods.pick_latest(actuals, on_or_before=quarter_end)
    picked = {
        "latest": latest,
        "previous": periods.pick_previous(actuals, latest=latest),
        "twelve_months_earlier": periods.pick_twelve_months_earlier(actuals, latest=latest),
        "target": periods.pick_target(by_series[Series.TARGET], latest=latest),
    }
    for series in (Series.NATIONAL, Series.REGIONAL, Series.STATISTICAL_NEIGHBOURS):
        picked[series.value] = periods.pick_benchmark(by_series[series], on_or_before=quarter_end)
    return picked


def row_from_values(indicator: Indicator, values: list[IndicatorValue], *, quarter: Quarter) -> IndicatorRow:
    return build_row(indicator, pick_row_values(indicator, values, quarter_end=quarter.end), quarter_slug=quarter.slug)


def quarters_holding_data() -> list[Quarter]:
    """The quarters in which at least one actual figure ends, newest first: unlike ``quarters_with_data``,
    never the empty quarters between two figures years apart. Financial quarters start in April, so each
    is one calendar quarter, found in the database."""
    from django.db.models.functions import TruncQuarter

    starts = (
        IndicatorValue.objects.filter(series=Series.ACTUAL)
        .annotate(quarter_start=TruncQuarter("period_end"))
        .values_list("quarter_start", flat=True)
        .distinct()
    )
    return sorted({Quarter.containing(start) for start in starts}, reverse=True)


def quarters_with_data() -> list[Quarter]:
    """Quarters from the earliest actual to the latest, newest first (for the quarter picker)."""
    from django.db.models import Max, Min

    bounds = IndicatorValue.objects.filter(series=Series.ACTUAL).aggregate(
        first=Min("period_end"), last=Max("period_end")
    )
    if bounds["first"] is None:
        return []
    quarter, last = Quarter.containing(bounds["first"]), Quarter.containing(bounds["last"])
    found = []
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    return list(reversed(found))


def theme_names() -> list[str]:
    """The reporting themes' names in their reporting order (Appendix 3 groups its tables by them)."""
    from indicators.models import Theme

    return list(Theme.objects.values_list("name", flat=True))
