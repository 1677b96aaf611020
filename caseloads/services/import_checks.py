"""The caseload import's row rules: reading words, columns and each row's checks, before anything is written.

Every bad row is named by its spreadsheet row number (header = row 1) and column; any error
rejects the whole file. The running of the import is ``perfsite.imports``'s. Formats:
docs/data-formats.md.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from caseloads.models import (
    CASE_TYPE_FIELDS,
    Employment,
    ServiceArea,
    WorkerRole,
)
from caseloads.months import MonthError, first_of_month, month_slug, parse_month
from perfsite import tabular
from perfsite.imports import ImportRejected, Problem, TableWording, read_upload

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


def rejected(errors: list[Problem]) -> ImportRejected:
    """This import's users read its problems in row order, then column order."""
    return ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))


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


# Reading ------------------------------------------------------------------------------------

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)
# An XLSX date cell arrives as an ISO date (with a time if it has one); the month is its YYYY-MM.
_XLSX_DATE = re.compile(r"^(\d{4}-\d{2})-\d{2}(T[\d:.]+)?$")


class CaseloadWording(TableWording):
    judges_header = True

    def header(self, headers: list[str]) -> list[Problem]:
        return header_errors(headers)

    def file_problem(self, exc: tabular.TableError, where: str, name: str) -> Problem:
        messages = {
            tabular.Problem.NO_SUCH_FILE: f"there is no file {where}",
            tabular.Problem.NOT_A_TABLE: f"{name} is not a .csv or .xlsx file",
            tabular.Problem.EMPTY: "the file is empty; the first row must be the header",
            tabular.Problem.NOT_TEXT: "the file is not UTF-8 text; save it as CSV UTF-8",
            tabular.Problem.BAD_XLSX: f"cannot read {name} as a spreadsheet ({exc.detail})",
        }
        return Problem(exc.row, "", messages.get(exc.problem, str(exc).rstrip(".")))


WORDING = CaseloadWording()


def months_from_date_cells(table: tabular.Table) -> None:
    """An XLSX date cell in the month column counts as its month; a CSV month must be written YYYY-MM."""
    if table.format == "xlsx":
        for _, cells in table.rows:
            match = _XLSX_DATE.match(cells.get("month", ""))
            if match:
                cells["month"] = match[1]


def read_table(source, *, filename: str | None = None) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows of a CSV or XLSX file, each row with its spreadsheet row number."""
    try:
        table = read_upload(
            source, filename=filename, wording=WORDING, csv_suffixes=CSV_SUFFIXES, xlsx_suffixes=XLSX_SUFFIXES
        )
    except ImportRejected as exc:
        raise rejected(exc.errors) from None
    months_from_date_cells(table)
    return table.headers, table.rows


# Checking -----------------------------------------------------------------------------------


@functools.cache
def _words(choices) -> dict[str, str]:
    """Each choice's value, by its value and by its label in lower case: read once, not once a row."""
    words = {label.lower(): value for value, label in choices.choices}
    words.update((value, value) for value in choices.values)
    return words


def _choice(value: str, choices, column: str, row: int, errors: list[Problem]) -> str | None:
    found = _words(choices).get(value.strip().lower())
    if found is not None:
        return found
    allowed = ", ".join(choices.values)
    shown = f"{value!r} is not known" if value else "is empty"
    errors.append(Problem(row, column, f"{shown}; use one of {allowed}"))
    return None


def _whole_number(value: str, column: str, row: int, errors: list[Problem], *, required: bool) -> int | None:
    if value == "":
        if required:
            errors.append(Problem(row, column, "is empty; enter a whole number, 0 or more"))
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(Problem(row, column, f"{value!r} is not a number"))
        return None
    if number != number.to_integral_value():
        errors.append(Problem(row, column, f"{value} is not a whole number"))
        return None
    if number < 0:
        errors.append(Problem(row, column, f"{value} is negative; enter 0 or more"))
        return None
    return int(number)


def header_errors(header: list[str]) -> list[Problem]:
    errors: list[Problem] = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column and column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    duplicated = sorted({column for column in header if column and header.count(column) > 1})
    if missing:
        errors.append(Problem(1, "", f"missing columns: {', '.join(missing)}"))
    errors.extend(Problem(1, column, "is not a column this import knows") for column in unknown)
    errors.extend(Problem(1, column, "appears more than once") for column in duplicated)
    return errors


def check_rows(header: list[str], raw_rows, *, today: datetime.date | None = None) -> list[ImportRow]:
    errors = header_errors(header)
    if errors:
        raise rejected(errors)
    if not raw_rows:
        raise rejected([Problem(2, "", "the file has a header but no rows")])

    this_month = first_of_month(today or timezone.localdate())
    rows: list[ImportRow] = []
    seen: dict[tuple[datetime.date, str], int] = {}
    for number, cells in raw_rows:
        row_errors: list[Problem] = []
        month = None
        try:
            month = parse_month(cells["month"])
            if month > this_month:
                row_errors.append(Problem(number, "month", f"{cells['month']} is in the future"))
        except MonthError as exc:
            row_errors.append(Problem(number, "month", str(exc)))
        texts = {}
        for column, limit in (("team", 120), ("staff_number", 30), ("worker_name", 120)):
            texts[column] = cells[column].strip()
            if not texts[column]:
                row_errors.append(Problem(number, column, "is empty"))
            elif len(texts[column]) > limit:
                row_errors.append(Problem(number, column, f"is longer than {limit} characters"))
        role = _choice(cells["role"], WorkerRole, "role", number, row_errors)
        employment = _choice(cells["employment"], Employment, "employment", number, row_errors)
        wte = None
        try:
            wte = Decimal(cells["wte"])
            if not wte.is_finite() or not Decimal("0.01") <= wte <= Decimal("1.00"):
                row_errors.append(Problem(number, "wte", f"{cells['wte']} is outside 0.01 to 1.00"))
            elif wte != wte.quantize(Decimal("0.01")):
                row_errors.append(Problem(number, "wte", f"{cells['wte']} has more than two decimal places"))
        except InvalidOperation:
            shown = f"{cells['wte']!r} is not a number" if cells["wte"] else "is empty"
            row_errors.append(Problem(number, "wte", f"{shown}; enter a WTE from 0.01 to 1.00"))
        cases = _whole_number(cells["cases"], "cases", number, row_errors, required=True)
        split = {
            column: _whole_number(cells.get(column, ""), column, number, row_errors, required=False)
            for column in SPLIT_COLUMNS
        }
        if cases is not None and sum(v or 0 for v in split.values()) > cases:
            row_errors.append(Problem(number, "", f"the cases by case type add up to more than cases ({cases})"))
        service_area = None
        if cells.get("service_area"):
            service_area = _choice(cells["service_area"], ServiceArea, "service_area", number, row_errors)
        if month is not None and texts["staff_number"]:
            key = (month, texts["staff_number"])
            if key in seen:
                row_errors.append(
                    Problem(
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
        raise rejected(errors)
    return rows
