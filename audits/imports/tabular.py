"""Reading CSV and XLSX files into numbered rows, refusing columns we do not know.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
Unknown columns are refused, not ignored, so that names, dates of birth or addresses can never be
imported by accident.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class ImportRejected(Exception):
    """Nothing was written; ``errors`` says why, row by row."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self, noun: str) -> str:
        return f"{self.created} {noun} created, {self.updated} updated, {self.unchanged} unchanged."


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, object]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def read_rows(path: str | Path, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The file's data rows; ImportRejected if the header is wrong or the file unreadable."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected([f"{path}: no such file"])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        table = _read_csv(path)
    else:
        raise ImportRejected([f"{path.name}: use a .csv or .xlsx file"])
    if not table:
        raise ImportRejected([f"{path.name} is empty: row 1 should be the header ({', '.join(required)})"])
    header = [str(cell or "").strip().lower() for cell in table[0]]
    known = list(required) + list(optional)
    errors = []
    unknown = [name for name in header if name and name not in known]
    if unknown:
        errors.append(
            f"Row 1: unknown column(s) {', '.join(unknown)}. Only these columns may be imported: {', '.join(known)}"
        )
    missing = [name for name in required if name not in header]
    if missing:
        errors.append(f"Row 1: missing column(s) {', '.join(missing)}")
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        errors.append(f"Row 1: column(s) given twice: {', '.join(duplicated)}")
    if errors:
        raise ImportRejected(errors)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if len(cells) > len(header) and any(str(c or "").strip() for c in cells[len(header) :]):
            errors.append(f"Row {number}: more values than columns")
            continue
        values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}
        rows.append(Row(number, values))
    if errors:
        raise ImportRejected(errors)
    return rows


def _read_csv(path: Path) -> list[list]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([f"{path.name} is not UTF-8 text; save it as CSV UTF-8"]) from None
    return list(csv.reader(io.StringIO(text)))


def _read_xlsx(path: Path) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ImportRejected([f"{path.name} could not be read as a spreadsheet ({exc})"]) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def parse_date(value: object) -> datetime.date:
    """A date from a cell: an Excel date, ISO ``2017-03-31`` or UK ``31/03/2017``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY")
