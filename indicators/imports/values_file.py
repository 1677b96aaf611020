"""The values import: actuals, targets and benchmarks by indicator code, series and period, checked in memory.

A values file can hold 100,000 rows, so its rows are checked without a query or a model instance
each (issue 13): the indicators and the figures already stored for the file's periods are read once,
and a cell is parsed once however many rows repeat it (the same period, series or figure recurs
on many rows), remembering what it was or why it was refused. Every row is still checked in full,
and every problem reported by row and column, exactly as before. A planned figure writes its
words (``key``, ``before``, ``after``) only when they are read, since a preview shows only its first
rows; ``bulk.write_values`` writes the plan.
"""

from __future__ import annotations

from typing import NamedTuple

from indicators import provenance
from indicators.computed import refusal
from indicators.imports.bulk import BulkValuesApply, ValueWrite
from indicators.imports.cells import _choice, _date, _number, check_columns
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    ImportKind,
    Indicator,
    IndicatorValue,
    Series,
    Status,
    quantize,
    scale_of,
)
from indicators.periods import span_label
from indicators.provenance import Provenance
from indicators.values import ValueFields
from perfsite.imports import ImportResult, PlannedRow, RowPlanImporter
from perfsite.imports.result import ACTION_LABELS
from perfsite.tabular import Table
from perfsite.text_limits import FOOTNOTE_MAX

VALUE_COLUMNS = ("code", "series", "period_label", "period_start", "period_end", "value")
VALUE_OPTIONAL = ("numerator", "denominator", "status", "footnote")


class ValuesImporter(BulkValuesApply, RowPlanImporter):
    kind = ImportKind.VALUES
    csv_suffixes = (".csv",)
    xlsx_suffixes = (".xlsx", ".xlsm")

    def check(self, table: Table, result: ImportResult):
        return plan_values(table, result)


def describe_value(fields) -> str:
    """A figure as a preview shows it; ``fields`` is a ``ValueFields``, a stored value or a ``StoredValue``."""
    figure = quantize(fields.value, fields.scale)
    text = f"{figure} ({fields.period_label})"
    extras = []
    if fields.numerator is not None or fields.denominator is not None:
        extras.append(f"{_plain(fields.numerator)}/{_plain(fields.denominator)}")
    if fields.status:
        extras.append(fields.status)
    if fields.footnote:
        extras.append(f"note: {fields.footnote[:40]}")
    return text + (f" [{', '.join(extras)}]" if extras else "")


def _plain(number):
    # As written: a denominator of 500 is "500", never Decimal's "5E+2".
    return "" if number is None else f"{number.normalize():f}"


class StoredValue(NamedTuple):
    """A stored figure as the plan needs it: its key and its ``ValueFields``, in that order (no model instance)."""

    pk: int
    period_label: str
    value: object
    scale: int
    numerator: object
    denominator: object
    status: str
    footnote: str


class PlannedValue:
    """A ``PlannedRow`` of a figure whose words are written only when read (a preview reads its first rows)."""

    __slots__ = ("_code", "_current", "_fields", "_series", "action", "apply", "row")

    def __init__(self, row: int, action: str, apply, code: str, series: str, fields: ValueFields, current):
        self.row, self.action, self.apply = row, action, apply
        self._code, self._series, self._fields, self._current = code, series, fields, current

    @property
    def key(self) -> str:
        return f"{self._code} · {Series(self._series).label} · {self._fields.period_label}"

    @property
    def before(self) -> str:
        return describe_value(self._current) if self.action == "changed" else ""

    @property
    def after(self) -> str:
        return describe_value(self._fields)

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


_REFUSED = object()  # a cell a cache remembers as refused


class _Cells:
    """Each distinct cell parsed once: ``_number`` and ``_date`` on the first row that has it, remembered after."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.numbers: dict[str, object] = {}
        self.dates: dict[str, object] = {}

    def number(self, raw: str, *, row: int, column: str, required: bool = True):
        if not raw and not required:
            return None
        found = self.numbers.get(raw)
        if found is None:
            if not raw.strip():
                return _number(raw, row=row, column=column, result=self.result, required=required)
            before = len(self.result.errors)
            found = _number(raw, row=row, column=column, result=self.result)
            self.numbers[raw] = _REFUSED if len(self.result.errors) > before else found
            return found
        if found is _REFUSED:
            return _number(raw, row=row, column=column, result=self.result)
        return found

    def date(self, raw: str, *, row: int, column: str):
        found = self.dates.get(raw)
        if found is None:
            found = _date(raw, row=row, column=column, result=self.result)
            self.dates[raw] = _REFUSED if found is None else found
            return found
        if found is _REFUSED:
            return _date(raw, row=row, column=column, result=self.result)
        return found


def _stored_values(indicators, keys) -> dict[tuple, StoredValue]:
    """The stored figures of the file's indicators within the span of its periods, by natural key."""
    if not keys:
        return {}
    starts = [key[2] for key in keys]
    # No ordering: the model's default order joins the indicators and sorts every row, for nothing here.
    rows = (
        IndicatorValue.objects.filter(
            indicator__in=[i.pk for i in indicators], period_start__gte=min(starts), period_start__lte=max(starts)
        )
        .order_by()
        .values_list(
            "indicator_id",
            "series",
            "period_start",
            "period_end",
            "pk",
            "period_label",
            "value",
            "scale",
            "numerator",
            "denominator",
            "status",
            "footnote",
        )
    )
    return {row[:4]: StoredValue(*row[4:]) for row in rows}


def plan_values(table: Table, result: ImportResult) -> ImportResult:
    """Every row checked against the indicators and the figures stored for the file's periods, then planned.

    A row whose every cell was seen right on an earlier row (the usual row of a large file: its
    code, series, dates, figures and status recur) is checked by look-ups alone; the first row to
    carry a cell, and any row with a problem, goes through ``check_row``, which parses the cells,
    remembers them and words each problem by row and column as always.
    """
    if not check_columns(table, result, VALUE_COLUMNS, VALUE_OPTIONAL):
        return result
    code_of = {raw: " ".join(raw.split()) for raw in {cells["code"] for _, cells in table.rows}}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=set(code_of.values()))}
    indicator_of = {raw: indicators.get(code) for raw, code in code_of.items()}
    cells_once = _Cells(result)
    numbers, dates = cells_once.numbers, cells_once.dates
    series_of: dict[str, str | None] = {}
    status_of: dict[str, str | None] = {}
    refused: dict[tuple, str | None] = {}
    label_of: dict[str, str] = {}  # a period_label cell as written, spaces collapsed, when short enough
    labels: dict[tuple, str] = {}
    quantized: dict = {}
    shared: dict[tuple, ValueFields] = {}  # equal fields, one (frozen) instance
    errors = result.errors
    seen: dict[tuple, int] = {}
    good = []

    def check_row(row: int, cells: dict):
        """The row's cells parsed and checked one by one: its problems recorded, or its checked values."""
        errors_before = len(errors)
        code = code_of[cells["code"]]
        indicator = indicators.get(code)
        if not code:
            result.error(row, "code", "is empty; give the indicator's PI ref.")
        elif indicator is None:
            first = (
                "import it on the Import indicators page first"
                if result.on_web
                else "import it with import_indicators first"
            )
            result.error(row, "code", f"{code!r} is not an indicator; {first}.")
        raw = cells["series"]
        series = series_of[raw] if raw in series_of else series_of.setdefault(raw, _choice(raw, Series))
        if series is None:
            result.error(row, "series", f"{raw!r} is not a series; write one of {', '.join(Series.values)}.")
        elif indicator is not None:
            pair = (indicator.pk, series)
            computed = refused[pair] if pair in refused else refused.setdefault(pair, refusal(indicator, series))
            if computed:
                result.error(row, "series", computed)
        start = cells_once.date(cells["period_start"], row=row, column="period_start")
        end = cells_once.date(cells["period_end"], row=row, column="period_end")
        if start and end and start > end:
            result.error(row, "period_end", f"{end} is before the period starts ({start}).")
        value = cells_once.number(cells["value"], row=row, column="value")
        numerator = cells_once.number(cells.get("numerator", ""), row=row, column="numerator", required=False)
        denominator = cells_once.number(cells.get("denominator", ""), row=row, column="denominator", required=False)
        if denominator is not None and denominator == 0:
            result.error(row, "denominator", "cannot be zero.")
        raw = cells.get("status", "")
        status = status_of[raw] if raw in status_of else status_of.setdefault(raw, _choice(raw, Status, blank=True))
        if status is None:
            result.error(row, "status", f"{cells['status']!r} is not a status; write provisional, final or nothing.")
        raw = cells["period_label"]
        label = " ".join(raw.split())
        if len(label) > 80:
            result.error(row, "period_label", "must be 80 characters or fewer.")
        else:
            label_of[raw] = label
        footnote = cells.get("footnote", "").strip()
        if len(footnote) > FOOTNOTE_MAX:
            result.error(row, "footnote", f"must be {FOOTNOTE_MAX:,} characters or fewer.")
        if len(errors) > errors_before:
            return None
        return indicator, series, start, end, value, numerator, denominator, status, label, footnote

    for row, cells in table.rows:
        get = cells.get
        indicator = indicator_of[cells["code"]]
        series = series_of.get(cells["series"])
        start = dates.get(cells["period_start"], _REFUSED)
        end = dates.get(cells["period_end"], _REFUSED)
        value = numbers.get(cells["value"], _REFUSED)
        raw = get("numerator", "")
        numerator = numbers.get(raw, _REFUSED) if raw else None
        raw = get("denominator", "")
        denominator = numbers.get(raw, _REFUSED) if raw else None
        status = status_of.get(get("status", ""))
        label = label_of.get(cells["period_label"])
        footnote = get("footnote", "")
        if footnote:
            footnote = footnote.strip()
        if (
            indicator is None
            or series is None
            or refused.get((indicator.id, series), True)  # not yet asked counts as refused: ask below
            or start is _REFUSED
            or end is _REFUSED
            or start > end
            or value is _REFUSED
            or numerator is _REFUSED
            or denominator is _REFUSED
            or (denominator is not None and denominator == 0)
            or status is None
            or label is None
            or len(footnote) > FOOTNOTE_MAX
        ):
            checked = check_row(row, cells)
            if checked is None:
                continue
            indicator, series, start, end, value, numerator, denominator, status, label, footnote = checked
        if not label:
            period = (start, end)
            label = labels.get(period) or labels.setdefault(period, " ".join(span_label(start, end).split()))
        key = (indicator.id, series, start, end)  # ``id``, not the ``pk`` property: once a row
        if key in seen:
            result.error(
                row, "period_start", f"row {seen[key]} already gives {indicator.code} {series} for this period."
            )
            continue
        seen[key] = row
        figure = quantized.get(value)
        if figure is None:
            # As values.clean_value_fields leaves it: four places kept, the places written remembered.
            figure = quantized.setdefault(value, (quantize(value, VALUE_DECIMAL_PLACES), scale_of(value)))
        as_tuple = (
            label,
            figure[0],
            figure[1],
            None if numerator is None else quantize(numerator, VALUE_DECIMAL_PLACES),
            None if denominator is None else quantize(denominator, VALUE_DECIMAL_PLACES),
            status,
            footnote,
        )
        fields = shared.get(as_tuple)
        if fields is None:
            fields = shared.setdefault(as_tuple, ValueFields(*as_tuple))
        good.append((row, key, indicator, fields, as_tuple))
    stored = _stored_values(indicators.values(), [item[1] for item in good])
    reason, filename, planned = f"Imported from {result.filename}", result.filename, result.planned
    file_kind = provenance.from_file(filename).kind
    for row, key, indicator, fields, as_tuple in good:
        current = stored.get(key)
        if current is not None and current[1:] == as_tuple:
            planned.append(PlannedValue(row, "unchanged", None, indicator.code, key[1], fields, current))
            continue
        # In ValueWrite's order (indicator, series, start, end, fields, current, reason, provenance),
        # by position: this runs once a row. The provenance as provenance.from_file words it.
        write = ValueWrite(
            indicator, key[1], key[2], key[3], fields, current, reason, Provenance(file_kind, f"{filename}, row {row}")
        )
        action = "new" if current is None else "changed"
        planned.append(PlannedValue(row, action, write, indicator.code, key[1], fields, current))
    return result


def plan_value(
    *, row, indicator, series, start, end, fields: ValueFields, current, reason: str, source: Provenance
) -> PlannedRow:
    """One figure planned against what is stored (``current``, or None): the EES import's step, row by row."""
    key = f"{indicator.code} · {Series(series).label} · {fields.period_label}"
    after = describe_value(fields)
    write = ValueWrite(
        indicator=indicator,
        series=series,
        start=start,
        end=end,
        fields=fields,
        current=current,
        reason=reason,
        provenance=source,
    )
    if current is None:
        return PlannedRow(row=row, key=key, action="new", after=after, apply=write)
    if ValueFields.of(current) == fields:
        return PlannedRow(row=row, key=key, action="unchanged", after=after)
    return PlannedRow(row=row, key=key, action="changed", before=describe_value(current), after=after, apply=write)
