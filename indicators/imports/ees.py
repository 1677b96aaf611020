"""import_ees: benchmarks from DfE's tidy CSVs on Explore Education Statistics.

For each year in the file it writes the ``national`` figure, the ``regional`` figure for the home
authority's region and ``statistical_neighbours`` as the mean of the configured neighbours (and,
with ``include_home``, the home authority's own figure as the ``actual``). Columns are found by
header name, since layouts differ between releases. Suppressed cells count as missing and are
reported; a mean over fewer neighbours than configured says so in its footnote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from indicators import conf, provenance
from indicators.computed import refusal
from indicators.imports.bulk import BulkValuesApply
from indicators.imports.ees_options import EesOptions, end_year_of
from indicators.imports.files import IndicatorsImporter, plan_value
from indicators.models import ImportKind, Indicator, IndicatorValue, Series
from indicators.neighbours import summarise
from indicators.values import clean_value_fields
from perfsite.imports import ImportResult
from perfsite.tabular import Table

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
            if series == Series.ACTUAL and _keeps_home_figure(result, existing, start, end, label, figure, options):
                continue
            _plan(result, indicator, series, start, end, label, figure.value, "", figure.row, existing, reason, options)
        _plan_neighbours(result, indicator, year, neighbours, start, end, label, existing, reason, options)
    for note in sorted(renamed):
        result.notes.append(f"{note}: matched by DfE's local authority number (old_la_code).")
    result.notes.append(
        f"{len(years)} year(s) read from {matched} matching row(s): "
        + ", ".join(options.period_for(y)[2] for y in sorted(years))
    )
    return result


def _plan_neighbours(result, indicator, year: Year, neighbours, start, end, label, existing, reason, options) -> None:
    if not neighbours:
        return
    present = [(code, year.authorities[code]) for code in neighbours if year.authorities.get(code)]
    values = [(code, fig) for code, fig in present if fig.value is not None]
    missing = [code for code in neighbours if not year.authorities.get(code) or year.authorities[code].value is None]
    if not values:
        result.warnings.append(f"{label}: no statistical neighbour has a figure; no mean written.")
        return
    found = summarise([(fig.area, fig.value) for _, fig in values], configured=len(neighbours))
    mean = found.mean
    notes = []
    if missing:
        details = "; ".join(
            f"{(year.authorities.get(code) or Figure(0, None, '', code)).area} ({code}) "
            f"{_missing_reason(year.authorities.get(code))}"
            for code in missing
        )
        notes.append(f"{found.summary}; missing: {details}.")
    if found.flagged:
        notes.append(found.outlier_text)
    footnote = " ".join(notes)
    result.notes.append(f"{label}: {found.summary}.")
    if footnote:
        result.warnings.append(f"{label}: statistical neighbours: {footnote}")
    rows = f"mean of rows {', '.join(str(fig.row) for _, fig in values)}"
    _plan(result, indicator, Series.STATISTICAL_NEIGHBOURS, start, end, label, mean, footnote, values[0][1].row,
          existing, reason, options, rows=rows)  # fmt: skip


def _keeps_home_figure(result, existing, start, end, label, figure: Figure, options: EesOptions) -> bool:
    """True when the council's own stored figure stays: DfE's goes only into an empty cell, or with replace_home."""
    current = existing.get((Series.ACTUAL, start, end))
    if current is None or options.replace_home or current.value == figure.value:
        return False
    which = "tick Replace the council's own figures" if result.on_web else "use --replace-home"
    result.warnings.append(
        f"{label}: kept the council's own figure ({current.figure}); DfE publishes {figure.raw} "
        f"(row {figure.row}). To replace it, {which}."
    )
    return True


def _plan(
    result, indicator, series, start, end, label, value, footnote, row, existing, reason, options, rows=""
) -> None:
    current = existing.get((series, start, end))
    # A home figure DfE agrees with keeps the council's status and notes; a replaced one keeps its status.
    status = current.status if current is not None and series == Series.ACTUAL else ""
    if current is not None and series == Series.ACTUAL and current.value == value:
        footnote = current.footnote
    fields = clean_value_fields(
        series=series,
        period_label=label,
        period_start=start,
        period_end=end,
        value=value,
        footnote=footnote,
        status=status,
    )
    if current is not None and current.value != fields.value:
        # A revision: the history keeps the old figure; this reason names it and the source.
        reason = f"Revised by DfE from {current.figure} to {value}: {reason[0].lower()}{reason[1:]}"
    result.planned.append(
        plan_value(
            row=row,
            indicator=indicator,
            series=series,
            start=start,
            end=end,
            fields=fields,
            current=current,
            reason=reason,
            source=provenance.from_ees(
                result.filename,
                column=options.column,
                filters=options.filters,
                row=row,
                rows=rows,
                publication=options.publication,
            ),
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
