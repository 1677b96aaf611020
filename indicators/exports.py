"""The scorecard export: one row per indicator for a quarter, as CSV, JSON or XLSX.

Each row's footnotes are numbered by ``indicators.appendix``, as on the quarter page.

A scrutiny member's download goes through the same disclosure rule as the pages
(``indicators.disclosure``): a hidden figure is the text ``c`` and its ratings are NA. And it
reaches no further than the published horizon (``indicators.horizon``): the view refuses a
quarter after it, and ``scorecard_records`` gives no rows for one.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from indicators import conf
from indicators.appendix import build_appendix, footnotes_by_indicator
from indicators.disclosure import member_safe_rows
from indicators.horizon import Horizon
from indicators.quarters import Quarter
from indicators.selectors import IndicatorRow, quarter_rows, theme_names
from perfsite.disclosure import SUPPRESSED
from perfsite.spreadsheet import csv_record, csv_row, formula_safe

EXPORT_COLUMNS = (
    "code",
    "description",
    "kind",
    "polarity",
    "latest",
    "latest_period",
    "target",
    "target_rag",
    "previous",
    "previous_rag",
    "twelve_months_earlier",
    "twelve_months_rag",
    "national",
    "national_rag",
    "national_period",
    "regional",
    "regional_rag",
    "regional_period",
    "statistical_neighbours",
    "statistical_neighbours_rag",
    "statistical_neighbours_period",
    "footnotes",
    # indicators.staleness and indicators.small_bases: why a rating is held back.
    "latest_out_of_date",
    "rating_note",
    # indicators.provenance: where each figure came from and when it was loaded.
    "latest_source",
    "target_source",
    "previous_source",
    "twelve_months_source",
    "national_source",
    "regional_source",
    "statistical_neighbours_source",
)
FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NUMERIC = {"latest", "target", "previous", "twelve_months_earlier", "national", "regional", "statistical_neighbours"}


def _plain(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a disclosure marker, "c"
        return value
    return format(value, "f")


def record(row: IndicatorRow, *, footnotes: str = "") -> dict[str, str]:
    return {
        "code": row.code,
        "description": row.description,
        "kind": row.kind,
        "polarity": row.polarity,
        "latest": _plain(row.latest.value),
        "latest_period": row.latest.period_label,
        "target": _plain(row.target.value),
        "target_rag": row.target.rag.value,
        "previous": _plain(row.previous.value),
        "previous_rag": row.previous.rag.value,
        "twelve_months_earlier": _plain(row.twelve_months_earlier.value),
        "twelve_months_rag": row.twelve_months_earlier.rag.value,
        "national": _plain(row.national.value),
        "national_rag": row.national.rag.value,
        "national_period": row.national.period_label,
        "regional": _plain(row.regional.value),
        "regional_rag": row.regional.rag.value,
        "regional_period": row.regional.period_label,
        "statistical_neighbours": _plain(row.statistical_neighbours.value),
        "statistical_neighbours_rag": row.statistical_neighbours.rag.value,
        "statistical_neighbours_period": row.statistical_neighbours.period_label,
        "footnotes": footnotes,
        "latest_out_of_date": "yes" if row.out_of_date else "",
        "rating_note": row.small_base_note or row.staleness_note,
        "latest_source": row.latest.source,
        "target_source": row.target.source,
        "previous_source": row.previous.source,
        "twelve_months_source": row.twelve_months_earlier.source,
        "national_source": row.national.source,
        "regional_source": row.regional.source,
        "statistical_neighbours_source": row.statistical_neighbours.source,
    }


def scorecard_records(
    quarter: Quarter, *, indicators=None, member_only: bool = False, horizon: Horizon | None = None
) -> list[dict[str, str]]:
    """The export's rows; ``member_only`` for a scrutiny member (small figures as ``c``).

    ``horizon`` (``indicators.horizon``) is the reader's: a quarter outside it has no rows.
    """
    horizon = horizon or Horizon()
    if not horizon.allows_quarter(quarter):
        return []
    rows = horizon.rows(quarter_rows(quarter, indicators=indicators))
    if member_only:
        rows = member_safe_rows(rows)
    # Numbered as Appendix 3 numbers them, so the export's [3] is the page's [3].
    tables = build_appendix(rows, theme_order=theme_names(), region_name=conf.home_region_name())
    footnotes = footnotes_by_indicator(tables)
    return [record(row, footnotes=footnotes.get(row.indicator_id, "")) for row in rows]


def render(records: list[dict[str, str]], fmt: str, *, quarter: Quarter) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(csv_record(item) for item in records)
        return buffer.getvalue().encode("utf-8")
    if fmt == "json":
        return (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(records, quarter=quarter)
    raise ValueError(f"The format must be one of {', '.join(FORMATS)}, not {fmt!r}.")


def _is_number(column: str, text: str) -> bool:
    """A figure to write as a number: not empty, and not a hidden figure (written as the text ``c``)."""
    return column in _NUMERIC and text not in ("", SUPPRESSED)


def _xlsx(records, *, quarter: Quarter) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = quarter.slug
    sheet.append(csv_row(EXPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, item in enumerate(records, start=2):
        sheet.append([Decimal(item[c]) if _is_number(c, item[c]) else formula_safe(item[c]) for c in EXPORT_COLUMNS])
        # Show each figure with the decimal places it was given with (69.0, not 69).
        for index, column in enumerate(EXPORT_COLUMNS, start=1):
            text = item[column]
            if _is_number(column, text):
                places = len(text.split(".")[1]) if "." in text else 0
                sheet.cell(row=row_number, column=index).number_format = "0." + "0" * places if places else "0"
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename_for(quarter: Quarter, fmt: str) -> str:
    return f"scorecard-{quarter.slug}.{fmt}"
