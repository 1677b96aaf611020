"""The two register imports: indicators (definitions) and values (actuals, targets, benchmarks: ``values_file``).

Each reads every row, reports every problem (row, column, why), and plans each good row as new,
changed or unchanged against the database. ``apply_plan`` writes a clean plan in one transaction.
"""

from __future__ import annotations

from indicators.conf import default_tolerance
from indicators.imports.cells import _choice, _number, check_columns
from indicators.imports.values_file import (
    VALUE_COLUMNS,
    VALUE_OPTIONAL,
    ValuesImporter,
    describe_value,
    plan_value,
    plan_values,
)
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    FrameworkLevel,
    FrameworkTheme,
    ImportKind,
    Indicator,
    Kind,
    Polarity,
    Theme,
    Unit,
)
from indicators.services import save_indicator
from perfsite.imports import ImportResult, PlannedRow, RowPlanImporter
from perfsite.tabular import Table

__all__ = [
    "VALUE_COLUMNS",
    "VALUE_OPTIONAL",
    "IndicatorsImporter",
    "ValuesImporter",
    "check_columns",
    "describe_value",
    "plan_indicators",
    "plan_value",
    "plan_values",
]

INDICATOR_COLUMNS = ("code", "description", "kind", "polarity", "unit", "decimals", "tolerance", "themes")
INDICATOR_OPTIONAL = ("ref", "framework_level", "framework_theme", "owner", "active")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class IndicatorsImporter(RowPlanImporter):
    kind = ImportKind.INDICATORS
    csv_suffixes = (".csv",)
    xlsx_suffixes = (".xlsx", ".xlsm")

    def check(self, table: Table, result: ImportResult):
        return plan_indicators(table, result)


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
