"""The two register imports: indicators (definitions) and values (actuals, targets, benchmarks).

Each reads every row, reports every problem (row, column, why), and plans each good row as new,
changed or unchanged against the database. ``apply_plan`` writes a clean plan in one transaction.
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from indicators import provenance
from indicators.computed import refusal
from indicators.conf import default_tolerance
from indicators.imports.bulk import BulkValuesApply, ValueWrite
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    FrameworkLevel,
    FrameworkTheme,
    ImportKind,
    Indicator,
    IndicatorValue,
    Kind,
    Polarity,
    Series,
    Status,
    Theme,
    Unit,
    quantize,
)
from indicators.periods import span_label
from indicators.provenance import Provenance
from indicators.services import save_indicator, to_decimal
from indicators.values import ValueFields, clean_value_fields
from perfsite.imports import ImportResult, PlannedRow, RowPlanImporter
from perfsite.tabular import Table

INDICATOR_COLUMNS = ("code", "description", "kind", "polarity", "unit", "decimals", "tolerance", "themes")
INDICATOR_OPTIONAL = ("ref", "framework_level", "framework_theme", "owner", "active")
VALUE_COLUMNS = ("code", "series", "period_label", "period_start", "period_end", "value")
VALUE_OPTIONAL = ("numerator", "denominator", "status", "footnote")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class IndicatorsImporter(RowPlanImporter):
    kind = ImportKind.INDICATORS
    csv_suffixes = (".csv",)
    xlsx_suffixes = (".xlsx", ".xlsm")

    def check(self, table: Table, result: ImportResult):
        return plan_indicators(table, result)


class ValuesImporter(BulkValuesApply, IndicatorsImporter):
    kind = ImportKind.VALUES

    def check(self, table: Table, result: ImportResult):
        return plan_values(table, result)


def check_columns(table: Table, result: ImportResult, required, optional=()) -> bool:
    missing = [c for c in required if not table.has(c)]
    unknown = [c for c in table.headers if c not in required and c not in optional]
    for column in missing:
        result.error(1, column, f"the column {column!r} is missing; row 1 must name {', '.join(required)}.")
    for column in unknown:
        allowed = ", ".join((*required, *optional))
        result.error(1, column, f"{column!r} is not a column this import knows; the columns are {allowed}.")
    return not missing and not unknown


def _choice(raw: str, choices, *, blank: bool = False) -> str | None:
    """A choice by its value or its label, ignoring case; None when it is neither."""
    text = " ".join(raw.split()).lower()
    if blank and not text:
        return ""
    return _spellings(choices).get(text)


@functools.cache
def _spellings(choices) -> dict[str, str]:
    """Every way a file may write each choice, read once per choice class (imports check it on every row)."""
    found: dict[str, str] = {}
    for value, label in reversed(choices.choices):  # the first choice wins a shared spelling, as before
        label = str(label).lower()
        # Framework levels are labelled "2. Early help": the number is optional in a file.
        for spelling in (value.lower(), label, re.sub(r"^\d+\.\s*", "", label)):
            found[spelling] = value
    return found


def _number(raw: str, *, row: int, column: str, result: ImportResult, required: bool = True) -> Decimal | None:
    if not raw.strip():
        if required:
            result.error(row, column, "is empty; give a number.")
        return None
    try:
        return to_decimal(raw, name=column)
    except ValidationError:
        result.error(row, column, f"{raw!r} is not a number.")
        return None


def _date(raw: str, *, row: int, column: str, result: ImportResult) -> datetime.date | None:
    text = raw.strip()
    if not text:
        result.error(row, column, "is empty; give a date as YYYY-MM-DD.")
        return None
    try:
        return datetime.date.fromisoformat(text[:10] if len(text) > 10 and text[10] == "T" else text)
    except ValueError:
        result.error(row, column, f"{text!r} is not a date as YYYY-MM-DD (e.g. 2017-03-31).")
        return None


# Indicators --------------------------------------------------------------------------------


def plan_indicators(table: Table, result: ImportResult) -> ImportResult:
    if not check_columns(table, result, INDICATOR_COLUMNS, INDICATOR_OPTIONAL):
        return result
    themes_by_name = {}
    for theme in Theme.objects.all():
        themes_by_name[theme.name.lower()] = theme
        themes_by_name[theme.slug.lower()] = theme
    existing = {i.code: i for i in Indicator.objects.with_themes()}
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        errors_before = len(result.errors)
        code = " ".join(cells["code"].split())
        if not code:
            result.error(row, "code", "is empty; give the PI ref, e.g. CASCYP 15.")
        elif len(code) > 30:
            result.error(row, "code", "must be 30 characters or fewer.")
        elif code in seen:
            result.error(row, "code", f"{code!r} is also on row {seen[code]}; give each indicator once.")
        else:
            seen[code] = row
        description = " ".join(cells["description"].split())
        if not description:
            result.error(row, "description", "is empty; say what the indicator measures.")
        kind = _choice(cells["kind"], Kind)
        if kind is None:
            result.error(row, "kind", f"{cells['kind']!r} is not a kind; write target or tracker.")
        polarity = _choice(cells["polarity"], Polarity)
        if polarity is None:
            result.error(row, "polarity", f"{cells['polarity']!r} is not a polarity; write higher, lower or neutral.")
        unit = _choice(cells["unit"], Unit)
        if unit is None:
            result.error(row, "unit", f"{cells['unit']!r} is not a unit; write one of {', '.join(Unit.values)}.")
        decimals = None
        if not cells["decimals"].strip().isdigit() or int(cells["decimals"]) > VALUE_DECIMAL_PLACES:
            result.error(row, "decimals", f"{cells['decimals']!r} is not a whole number from 0 to 4.")
        else:
            decimals = int(cells["decimals"])
        tolerance = default_tolerance()
        if cells["tolerance"].strip():
            tolerance = _number(cells["tolerance"], row=row, column="tolerance", result=result)
            if tolerance is not None and not (0 <= tolerance <= 100):
                result.error(row, "tolerance", "must be a percentage from 0 to 100 (0 means no amber band).")
        themes = []
        names = [n.strip() for n in cells["themes"].split(";") if n.strip()]
        if not names:
            result.error(row, "themes", "is empty; name at least one theme (separate several with ;).")
        for name in names:
            theme = themes_by_name.get(name.lower())
            if theme is None:
                result.error(row, "themes", f"{name!r} is not a theme; the themes are {_theme_list()}.")
            elif theme not in themes:
                themes.append(theme)
        extra = _indicator_optional(cells, row, result)
        if len(result.errors) > errors_before:
            continue
        fields = {
            "description": description,
            "kind": kind,
            "polarity": polarity,
            "unit": unit,
            "decimals": decimals,
            "tolerance": tolerance,
            **extra,
        }
        result.planned.append(_plan_indicator(row, code, fields, themes, existing.get(code), result.filename))
    return result


def _theme_list() -> str:
    return "; ".join(Theme.objects.values_list("name", flat=True))


def _indicator_optional(cells: dict, row: int, result: ImportResult) -> dict:
    extra: dict = {}
    if "ref" in cells:
        raw = cells["ref"].strip()
        if raw and not raw.isdigit():
            result.error(row, "ref", f"{raw!r} is not a whole number.")
        extra["ref"] = int(raw) if raw.isdigit() else None
    for column, choices in (("framework_level", FrameworkLevel), ("framework_theme", FrameworkTheme)):
        if column in cells:
            value = _choice(cells[column], choices, blank=True)
            if value is None:
                result.error(row, column, f"{cells[column]!r} is not one of {', '.join(choices.values)}.")
            extra[column] = value or ""
    if "owner" in cells:
        extra["owner"] = " ".join(cells["owner"].split())[:120]
    if "active" in cells:
        raw = cells["active"].strip().lower()
        if raw and raw not in _YES | _NO:
            result.error(row, "active", f"{cells['active']!r} is not yes or no.")
        extra["active"] = raw not in _NO
    return extra


def _describe_indicator(fields: dict, themes) -> str:
    return "; ".join(
        [
            fields["description"][:60],
            fields["kind"],
            fields["polarity"],
            fields["unit"],
            f"{fields['decimals']} dp",
            f"tolerance {fields['tolerance']}%",
            " / ".join(t.name for t in themes),
        ]
    )


def _plan_indicator(row, code, fields, themes, current: Indicator | None, filename: str) -> PlannedRow:
    after = _describe_indicator(fields, themes)

    def write(user):
        save_indicator(code=code, themes=themes, user=user, reason=f"Imported from {filename}", **fields)

    if current is None:
        return PlannedRow(row=row, key=code, action="new", after=after, apply=write)
    differs = [name for name, value in fields.items() if getattr(current, name) != value]
    current_themes = current.themes
    if current_themes[0] != themes[0] or {t.pk for t in current_themes[1:]} != {t.pk for t in themes[1:]}:
        differs.append("themes")
    if not differs:
        return PlannedRow(row=row, key=code, action="unchanged", after=after)
    before_fields = {name: getattr(current, name) for name in fields}
    before = _describe_indicator(before_fields, current_themes)
    return PlannedRow(row=row, key=code, action="changed", before=before, after=after, apply=write)


# Values ------------------------------------------------------------------------------------


def describe_value(fields: ValueFields | IndicatorValue) -> str:
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


def plan_values(table: Table, result: ImportResult) -> ImportResult:
    if not check_columns(table, result, VALUE_COLUMNS, VALUE_OPTIONAL):
        return result
    codes = {" ".join(c["code"].split()) for _, c in table.rows}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    existing = {
        (v.indicator_id, v.series, v.period_start, v.period_end): v
        for v in IndicatorValue.objects.filter(indicator__in=indicators.values())
    }
    seen: dict[tuple, int] = {}
    for row, cells in table.rows:
        errors_before = len(result.errors)
        code = " ".join(cells["code"].split())
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
        series = _choice(cells["series"], Series)
        if series is None:
            result.error(
                row, "series", f"{cells['series']!r} is not a series; write one of {', '.join(Series.values)}."
            )
        elif indicator is not None and (computed := refusal(indicator, series)):
            result.error(row, "series", computed)
        start = _date(cells["period_start"], row=row, column="period_start", result=result)
        end = _date(cells["period_end"], row=row, column="period_end", result=result)
        if start and end and start > end:
            result.error(row, "period_end", f"{end} is before the period starts ({start}).")
        value = _number(cells["value"], row=row, column="value", result=result)
        numerator = _number(cells.get("numerator", ""), row=row, column="numerator", result=result, required=False)
        denominator = _number(
            cells.get("denominator", ""), row=row, column="denominator", result=result, required=False
        )
        if denominator is not None and denominator == 0:
            result.error(row, "denominator", "cannot be zero.")
        status = _choice(cells.get("status", ""), Status, blank=True)
        if status is None:
            result.error(row, "status", f"{cells['status']!r} is not a status; write provisional, final or nothing.")
        label = " ".join(cells["period_label"].split())
        if len(label) > 80:
            result.error(row, "period_label", "must be 80 characters or fewer.")
        if len(result.errors) > errors_before:
            continue
        if not label:
            label = span_label(start, end)
        key = (indicator.pk, series, start, end)
        if key in seen:
            result.error(row, "period_start", f"row {seen[key]} already gives {code} {series} for this period.")
            continue
        seen[key] = row
        fields = clean_value_fields(
            series=series,
            period_label=label,
            period_start=start,
            period_end=end,
            value=value,
            numerator=numerator,
            denominator=denominator,
            status=status,
            footnote=cells.get("footnote", ""),
        )
        result.planned.append(
            plan_value(
                row=row,
                indicator=indicator,
                series=series,
                start=start,
                end=end,
                fields=fields,
                current=existing.get(key),
                reason=f"Imported from {result.filename}",
                source=provenance.from_file(result.filename, row=row),
            )
        )
    return result


def plan_value(
    *, row, indicator, series, start, end, fields: ValueFields, current, reason: str, source: Provenance
) -> PlannedRow:
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
