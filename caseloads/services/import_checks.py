"""Reading and checking an ``import_caseloads`` file (CSV or XLSX) before anything is written.

Every bad row is named by its spreadsheet row number (header = row 1) and column; any error
rejects the whole file. Formats: docs/data-formats.md.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils import timezone

from caseloads.models import (
    CASE_TYPE_FIELDS,
    Employment,
    ServiceArea,
    WorkerRole,
)
from caseloads.months import MonthError, first_of_month, month_slug, parse_month
from perfsite import tabular

REQUIRED_COLUMNS = ("month", "team", "staff_number", "worker_name", "role", "employment", "wte", "cases")
SPLIT_COLUMNS = tuple(CASE_TYPE_FIELDS.values())
OPTIONAL_COLUMNS = ("service_area", *SPLIT_COLUMNS)

# How a new team's service area is guessed from its name when the file has no service_area column.
SERVICE_AREA_WORDS = (
    ("early help", ServiceArea.EARLY_HELP),
    ("assessment", ServiceArea.ASSESSMENT),
    ("safeguarding", ServiceArea.SAFEGUARDING),
    ("child protection", ServiceArea.SAFEGUARDING),
    ("looked after", ServiceArea.LOOKED_AFTER),
    ("care leaver", ServiceArea.CARE_LEAVERS),
    ("leaving care", ServiceArea.CARE_LEAVERS),
    ("disab", ServiceArea.DISABILITY),
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: (e.row, e.column or ""))
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class ImportRow:
    row: int
    month: datetime.date
    team: str
    staff_number: str
    worker_name: str
    role: str
    employment: str
    wte: Decimal
    cases: int
    service_area: str | None
    split: dict[str, int | None]


@dataclass
class ImportReport:
    rows: int = 0
    teams_created: list[str] = field(default_factory=list)
    workers_created: int = 0
    workers_updated: int = 0
    returns_created: int = 0
    returns_changed: int = 0
    returns_unchanged: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "Would write" if self.dry_run else "Wrote"
        teams = f" ({', '.join(self.teams_created)})" if self.teams_created else ""
        return (
            f"{verb} {self.rows} rows: {len(self.teams_created)} new teams{teams}, "
            f"{self.workers_created} new workers, {self.workers_updated} workers updated, "
            f"{self.returns_created} new returns, {self.returns_changed} changed, "
            f"{self.returns_unchanged} unchanged."
        )


# Reading ------------------------------------------------------------------------------------

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)
# An XLSX date cell arrives as an ISO date (with a time if it has one); the month is its YYYY-MM.
_XLSX_DATE = re.compile(r"^(\d{4}-\d{2})-\d{2}(T[\d:.]+)?$")


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV or XLSX file, each row with its spreadsheet row number."""
    path = Path(path)
    try:
        table = tabular.read_table(path, csv_suffixes=CSV_SUFFIXES, xlsx_suffixes=XLSX_SUFFIXES)
    except tabular.TableError as exc:
        raise ImportRejected(_problems(exc, path)) from None
    if table.format == "xlsx":
        for _, cells in table.rows:
            match = _XLSX_DATE.match(cells.get("month", ""))
            if match:
                cells["month"] = match[1]
    return table.headers, table.rows


def _problems(exc: tabular.TableError, path: Path) -> list[RowError]:
    if exc.problem in tabular.HEADER_PROBLEMS or exc.problem == tabular.Problem.EXTRA_CELLS:
        # The header is judged first: a row is often too long only because its column is missing.
        errors = header_errors(exc.headers)
        if exc.problem == tabular.Problem.UNNAMED_COLUMN:
            errors.append(RowError(1, None, str(exc).rstrip(".")))
        if exc.problem == tabular.Problem.EXTRA_CELLS and not errors:
            errors = [RowError(n, None, "this row has more cells than row 1 has column names") for n in exc.rows]
        return errors
    messages = {
        tabular.Problem.NO_SUCH_FILE: f"there is no file {path}",
        tabular.Problem.NOT_A_TABLE: f"{path.name} is not a .csv or .xlsx file",
        tabular.Problem.EMPTY: "the file is empty; the first row must be the header",
        tabular.Problem.NOT_TEXT: "the file is not UTF-8 text; save it as CSV UTF-8",
        tabular.Problem.BAD_XLSX: f"cannot read {path.name} as a spreadsheet ({exc.detail})",
    }
    return [RowError(exc.row, None, messages.get(exc.problem, str(exc).rstrip(".")))]


# Checking -----------------------------------------------------------------------------------


def _choice(value: str, choices, column: str, row: int, errors: list[RowError]) -> str | None:
    wanted = value.strip().lower()
    for choice_value, label in choices.choices:
        if wanted in (choice_value, label.lower()):
            return choice_value
    allowed = ", ".join(choices.values)
    shown = f"{value!r} is not known" if value else "is empty"
    errors.append(RowError(row, column, f"{shown}; use one of {allowed}"))
    return None


def _whole_number(value: str, column: str, row: int, errors: list[RowError], *, required: bool) -> int | None:
    if value == "":
        if required:
            errors.append(RowError(row, column, "is empty; enter a whole number, 0 or more"))
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(RowError(row, column, f"{value!r} is not a number"))
        return None
    if number != number.to_integral_value():
        errors.append(RowError(row, column, f"{value} is not a whole number"))
        return None
    if number < 0:
        errors.append(RowError(row, column, f"{value} is negative; enter 0 or more"))
        return None
    return int(number)


def header_errors(header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column and column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    duplicated = sorted({column for column in header if column and header.count(column) > 1})
    if missing:
        errors.append(RowError(1, None, f"missing columns: {', '.join(missing)}"))
    errors.extend(RowError(1, column, "is not a column this import knows") for column in unknown)
    errors.extend(RowError(1, column, "appears more than once") for column in duplicated)
    return errors


def check_rows(header: list[str], raw_rows, *, today: datetime.date | None = None) -> list[ImportRow]:
    errors = header_errors(header)
    if errors:
        raise ImportRejected(errors)
    if not raw_rows:
        raise ImportRejected([RowError(2, None, "the file has a header but no rows")])

    this_month = first_of_month(today or timezone.localdate())
    rows: list[ImportRow] = []
    seen: dict[tuple[datetime.date, str], int] = {}
    for number, cells in raw_rows:
        row_errors: list[RowError] = []
        month = None
        try:
            month = parse_month(cells["month"])
            if month > this_month:
                row_errors.append(RowError(number, "month", f"{cells['month']} is in the future"))
        except MonthError as exc:
            row_errors.append(RowError(number, "month", str(exc)))
        texts = {}
        for column, limit in (("team", 120), ("staff_number", 30), ("worker_name", 120)):
            texts[column] = cells[column].strip()
            if not texts[column]:
                row_errors.append(RowError(number, column, "is empty"))
            elif len(texts[column]) > limit:
                row_errors.append(RowError(number, column, f"is longer than {limit} characters"))
        role = _choice(cells["role"], WorkerRole, "role", number, row_errors)
        employment = _choice(cells["employment"], Employment, "employment", number, row_errors)
        wte = None
        try:
            wte = Decimal(cells["wte"])
            if not wte.is_finite() or not Decimal("0.01") <= wte <= Decimal("1.00"):
                row_errors.append(RowError(number, "wte", f"{cells['wte']} is outside 0.01 to 1.00"))
            elif wte != wte.quantize(Decimal("0.01")):
                row_errors.append(RowError(number, "wte", f"{cells['wte']} has more than two decimal places"))
        except InvalidOperation:
            shown = f"{cells['wte']!r} is not a number" if cells["wte"] else "is empty"
            row_errors.append(RowError(number, "wte", f"{shown}; enter a WTE from 0.01 to 1.00"))
        cases = _whole_number(cells["cases"], "cases", number, row_errors, required=True)
        split = {
            column: _whole_number(cells.get(column, ""), column, number, row_errors, required=False)
            for column in SPLIT_COLUMNS
        }
        if cases is not None and sum(v or 0 for v in split.values()) > cases:
            row_errors.append(RowError(number, None, f"the cases by case type add up to more than cases ({cases})"))
        service_area = None
        if cells.get("service_area"):
            service_area = _choice(cells["service_area"], ServiceArea, "service_area", number, row_errors)
        if month is not None and texts["staff_number"]:
            key = (month, texts["staff_number"])
            if key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "staff_number",
                        f"{texts['staff_number']} appears twice for {month_slug(month)} (first at row {seen[key]})",
                    )
                )
            else:
                seen[key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            ImportRow(
                number,
                month,
                texts["team"],
                texts["staff_number"],
                texts["worker_name"],
                role,
                employment,
                wte.quantize(Decimal("0.01")),
                cases,
                service_area,
                split,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return rows
