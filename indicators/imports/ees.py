"""import_ees: benchmarks from DfE's tidy CSVs on Explore Education Statistics.

For each year in the file it writes the ``national`` figure, the ``regional`` figure for the home
authority's region and ``statistical_neighbours`` as the mean of the configured neighbours (and,
with ``include_home``, the home authority's own figure as the ``actual``). Columns are found by
header name, since layouts differ between releases. Suppressed cells count as missing and are
reported; a mean over fewer neighbours than configured says so in its footnote.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from indicators import conf
from indicators.computed import refusal
from indicators.imports.bulk import BulkValuesApply
from indicators.imports.files import IndicatorsImporter, plan_value
from indicators.models import VALUE_DECIMAL_PLACES, ImportKind, Indicator, IndicatorValue, Series, scale_of
from indicators.periods import as_at_label, one_year_back, span_label
from indicators.services import clean_value_fields
from perfsite.imports import ImportResult
from perfsite.tabular import Table, normalise_header

SUPPRESSED = {"x", "c", "z", "low", ":", "u"}
SUPPRESSION_MEANING = {
    "x": "not available",
    "c": "confidential",
    "z": "not applicable",
    "low": "rounds to zero",
    ":": "not available",
    "u": "low reliability",
}
LA_CODE_COLUMNS = ("new_la_code", "la_code")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class OptionError(ValueError):
    pass


def parse_month_day(text: str) -> tuple[int, int]:
    match = _MONTH_DAY.match((text or "").strip())
    if not match:
        raise OptionError(f"{text!r} is not a month and day as MM-DD, e.g. 03-31.")
    month, day = int(match[1]), int(match[2])
    try:
        datetime.date(2000, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        raise OptionError(f"{text!r} is not a day of the year.") from None
    return month, day


def parse_filter(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise OptionError(f"{text!r} is not a filter; write COLUMN=VALUE, e.g. population_type=Children looked after.")
    column, value = text.split("=", 1)
    if not column.strip():
        raise OptionError(f"{text!r} names no column.")
    return normalise_header(column), value.strip()


@dataclass
class EesOptions:
    indicator: str
    column: str
    as_at: tuple[int, int] | None = None
    year_to: tuple[int, int] | None = None
    filters: list[tuple[str, str]] = field(default_factory=list)
    include_home: bool = False

    def __post_init__(self):
        if (self.as_at is None) == (self.year_to is None):
            raise OptionError("Give exactly one of --as-at MM-DD (a snapshot) or --year-to MM-DD (a 12-month period).")
        self.column = normalise_header(self.column)

    @classmethod
    def from_strings(cls, *, indicator, column, as_at="", year_to="", filters=(), include_home=False) -> EesOptions:
        return cls(
            indicator=" ".join((indicator or "").split()),
            column=column or "",
            as_at=parse_month_day(as_at) if as_at else None,
            year_to=parse_month_day(year_to) if year_to else None,
            filters=[parse_filter(f) for f in filters if f.strip()],
            include_home=include_home,
        )

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "column": self.column,
            "as_at": _md(self.as_at),
            "year_to": _md(self.year_to),
            "filters": [f"{c}={v}" for c, v in self.filters],
            "include_home": self.include_home,
        }

    def period_for(self, end_year: int) -> tuple[datetime.date, datetime.date, str]:
        if self.as_at:
            day = _safe_date(end_year, *self.as_at)
            return day, day, as_at_label(day)
        end = _safe_date(end_year, *self.year_to)
        start = one_year_back(end) + datetime.timedelta(days=1)
        return start, end, span_label(start, end)


def _md(pair: tuple[int, int] | None) -> str:
    return f"{pair[0]:02d}-{pair[1]:02d}" if pair else ""


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, month, 28)


def end_year_of(time_period: str) -> int | None:
    """The calendar year a DfE ``time_period`` ends in: 2016 -> 2016, 201617 -> 2017."""
    text = time_period.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{6}", text):
        first, second = int(text[:4]), int(text[4:])
        if (first + 1) % 100 == second:
            return first + 1
    return None


@dataclass
class Figure:
    row: int
    value: Decimal | None
    raw: str
    area: str


@dataclass
class Year:
    national: Figure | None = None
    regional: dict[str, Figure] = field(default_factory=dict)  # by region code or name
    authorities: dict[str, Figure] = field(default_factory=dict)  # by LA code
    home_region: str = ""


def _code_aliases(table: Table, la_column: str, wanted: set[str]) -> dict[str, str]:
    """Other ONS codes the same authorities have in the file, found through DfE's stable LA number.

    ONS codes change with boundary changes (Barnsley is E08000016 until 2024, E08000038 in 2025);
    DfE's three-digit ``old_la_code`` does not, so it links a configured code to its successor.
    """
    if not table.has("old_la_code"):
        return {}
    number_of: dict[str, str] = {}
    for _, cells in table.rows:
        code, number = cells[la_column].strip(), cells["old_la_code"].strip()
        if code in wanted and number:
            number_of.setdefault(number, code)
    aliases: dict[str, str] = {}
    for _, cells in table.rows:
        code, number = cells[la_column].strip(), cells["old_la_code"].strip()
        if code and code not in wanted and number in number_of:
            aliases[code] = number_of[number]
    return aliases


def _figure(raw: str, *, row: int, column: str, area: str, result: ImportResult) -> Figure | None:
    text = raw.strip()
    if text.lower() in SUPPRESSED:
        return Figure(row=row, value=None, raw=text, area=area)
    if not text:
        return Figure(row=row, value=None, raw="", area=area)
    try:
        value = Decimal(text.replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        known = ", ".join(sorted(SUPPRESSED))
        result.error(row, column, f"{text!r} is neither a number nor a suppression code ({known}).")
        return None
    return Figure(row=row, value=value, raw=text, area=area)


def _missing_reason(figure: Figure | None) -> str:
    if figure is None:
        return "not in the file"
    if figure.raw:
        return f"suppressed ({figure.raw}: {SUPPRESSION_MEANING.get(figure.raw.lower(), 'suppressed')})"
    return "empty"


def neighbour_mean(values: list[Decimal]) -> Decimal:
    """The mean, rounded half up to one more decimal place than the most precise figure (at least 1)."""
    places = min(max(max(scale_of(v) for v in values) + 1, 1), VALUE_DECIMAL_PLACES)
    mean = sum(values, Decimal(0)) / Decimal(len(values))
    return mean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class EesImporter(BulkValuesApply, IndicatorsImporter):
    """One column of a DfE file as benchmarks for one indicator, with the options of the command or page."""

    kind = ImportKind.EES

    def __init__(self, options: EesOptions):
        self.options = options

    def check(self, table: Table, result: ImportResult):
        return plan_ees(table, self.options, result)


def plan_ees(table: Table, options: EesOptions, result: ImportResult) -> ImportResult:
    indicator = Indicator.objects.filter(code=options.indicator).first()
    if indicator is None:
        which = "The indicator" if result.on_web else "--indicator"
        result.error(0, "", f"{which} {options.indicator!r} is not an indicator.")
    elif options.include_home and (computed := refusal(indicator, Series.ACTUAL)):
        result.error(0, "", f"the home authority's figure cannot be written as the actual: {computed}")
    la_column = next((c for c in LA_CODE_COLUMNS if table.has(c)), None)
    needed = ["time_period", "geographic_level", options.column, *(c for c, _ in options.filters)]
    for column in needed:
        if not table.has(column):
            result.error(1, column, f"the file has no column {column!r}.")
    if la_column is None:
        result.error(1, "new_la_code", "the file has no local authority code column (new_la_code or la_code).")
    if not table.has("region_code") and not table.has("region_name"):
        result.error(1, "region_code", "the file has neither region_code nor region_name.")
    if result.errors:
        return result

    home, neighbours = conf.home_authority_code(), conf.statistical_neighbours()
    aliases = _code_aliases(table, la_column, {home, *neighbours})
    years: dict[int, Year] = {}
    matched = 0
    renamed: set[str] = set()
    for row, cells in table.rows:
        if any(cells[c].strip().lower() != v.lower() for c, v in options.filters):
            continue
        matched += 1
        end_year = end_year_of(cells["time_period"])
        if end_year is None:
            result.error(row, "time_period", f"{cells['time_period']!r} is not a year such as 2016 or 201617.")
            continue
        year = years.setdefault(end_year, Year())
        level = cells["geographic_level"].strip().lower()
        region = cells.get("region_code", "").strip() or cells.get("region_name", "").strip()
        if level == "national":
            figure = _figure(cells[options.column], row=row, column=options.column, area="England", result=result)
            if figure and year.national:
                _duplicate(result, row, year.national.row, f"National {end_year}", options)
            elif figure:
                year.national = figure
        elif level == "regional":
            name = cells.get("region_name", "").strip() or region
            figure = _figure(cells[options.column], row=row, column=options.column, area=name, result=result)
            for key in {region.lower(), name.lower()} - {""}:
                if figure and key in year.regional and year.regional[key].row != row:
                    _duplicate(result, row, year.regional[key].row, f"{name} {end_year}", options)
                elif figure:
                    year.regional[key] = figure
        elif level == "local authority":
            code = cells[la_column].strip()
            if code != home and code not in neighbours:
                if code not in aliases:
                    continue
                area = cells.get("la_name", "").strip() or code
                renamed.add(f"{area} appears as {code} (configured {aliases[code]})")
                code = aliases[code]
            name = cells.get("la_name", "").strip() or code
            figure = _figure(cells[options.column], row=row, column=options.column, area=name, result=result)
            if figure and code in year.authorities:
                _duplicate(result, row, year.authorities[code].row, f"{name} {end_year}", options)
            elif figure:
                year.authorities[code] = figure
                if code == home:
                    year.home_region = region.lower()
    if not matched:
        which = "the Filters" if result.on_web else "--filter COLUMN=VALUE"
        result.error(0, "", f"no rows match the filters; check {which} against the file.")
    if result.errors:
        return result

    existing = {
        (v.series, v.period_start, v.period_end): v
        for v in IndicatorValue.objects.filter(indicator=indicator, series__in=[*Series.values])
    }
    region_fallback = conf.home_region_name().lower()
    reason = f"Imported from {result.filename} ({options.column})"
    for end_year in sorted(years):
        year = years[end_year]
        start, end, label = options.period_for(end_year)
        region_figure = year.regional.get(year.home_region) or year.regional.get(region_fallback)
        picks: list[tuple[str, Figure | None, str]] = [
            (Series.NATIONAL, year.national, "the national figure"),
            (Series.REGIONAL, region_figure, f"the {conf.home_region_name()} figure"),
        ]
        if options.include_home:
            picks.append((Series.ACTUAL, year.authorities.get(home), f"the {conf.home_authority_name()} figure"))
        for series, figure, what in picks:
            if figure is None or figure.value is None:
                result.warnings.append(f"{label}: {what} is {_missing_reason(figure)}; nothing written for it.")
                continue
            _plan(result, indicator, series, start, end, label, figure.value, "", figure.row, existing, reason)
        _plan_neighbours(result, indicator, year, neighbours, start, end, label, existing, reason)
    for note in sorted(renamed):
        result.notes.append(f"{note}: matched by DfE's local authority number (old_la_code).")
    result.notes.append(
        f"{len(years)} year(s) read from {matched} matching row(s): "
        + ", ".join(options.period_for(y)[2] for y in sorted(years))
    )
    return result


def _plan_neighbours(result, indicator, year: Year, neighbours, start, end, label, existing, reason) -> None:
    if not neighbours:
        return
    present = [(code, year.authorities[code]) for code in neighbours if year.authorities.get(code)]
    values = [(code, fig) for code, fig in present if fig.value is not None]
    missing = [code for code in neighbours if not year.authorities.get(code) or year.authorities[code].value is None]
    if not values:
        result.warnings.append(f"{label}: no statistical neighbour has a figure; no mean written.")
        return
    mean = neighbour_mean([fig.value for _, fig in values])
    footnote = ""
    if missing:
        details = "; ".join(
            f"{(year.authorities.get(code) or Figure(0, None, '', code)).area} ({code}) "
            f"{_missing_reason(year.authorities.get(code))}"
            for code in missing
        )
        footnote = f"Mean of {len(values)} of the {len(neighbours)} statistical neighbours; missing: {details}."
        result.warnings.append(f"{label}: statistical neighbours: {footnote}")
    _plan(result, indicator, Series.STATISTICAL_NEIGHBOURS, start, end, label, mean, footnote, values[0][1].row,
          existing, reason)  # fmt: skip


def _plan(result, indicator, series, start, end, label, value, footnote, row, existing, reason) -> None:
    fields = clean_value_fields(
        series=series, period_label=label, period_start=start, period_end=end, value=value, footnote=footnote
    )
    result.planned.append(
        plan_value(
            row=row,
            indicator=indicator,
            series=series,
            start=start,
            end=end,
            fields=fields,
            current=existing.get((series, start, end)),
            reason=reason,
        )
    )


def _duplicate(result: ImportResult, row: int, first_row: int, what: str, options: EesOptions) -> None:
    result.error(
        row,
        options.column,
        f"a second figure for {what} (the first is on row {first_row}); add {_filter_words(result)} to choose one.",
    )


def _filter_words(result: ImportResult) -> str:
    """The page has a Filters box; the command has --filter."""
    return "a COLUMN=VALUE line to Filters" if result.on_web else "--filter COLUMN=VALUE"
