"""Reading an uploaded table (CSV or XLSX) into rows of text, keyed by header name.

Row numbers are as a spreadsheet shows them: the header is row 1, the first data row is 2.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


class TableError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, bad encoding, a ragged row)."""

    def __init__(self, message: str, *, row: int = 1):
        super().__init__(message)
        self.row = row


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.headers


def normalise_header(header: str) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).lower()


def read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data)
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    raise TableError(f"{filename} is not a CSV or XLSX file (the name must end .csv or .xlsx).")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8.")


def _build(raw_rows) -> Table:
    iterator = iter(raw_rows)
    for header_row in iterator:
        headers = [normalise_header(h) for h in header_row]
        break
    else:
        raise TableError("The file is empty: row 1 must name the columns.")
    while headers and headers[-1] == "":
        headers.pop()
    if not any(headers):
        raise TableError("row 1 must name the columns.")
    if "" in headers:
        raise TableError(f"column {headers.index('') + 1} has no name.")
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if duplicates:
        raise TableError(f"column {duplicates[0]!r} appears more than once.")
    table = Table(headers=headers)
    for number, raw in enumerate(iterator, start=2):
        cells = [_text(c) for c in raw]
        if not any(cells):
            continue
        extra = [c for c in cells[len(headers) :] if c]
        if extra:
            raise TableError("this row has more cells than row 1 has column names.", row=number)
        cells += [""] * (len(headers) - len(cells))
        table.rows.append((number, dict(zip(headers, cells, strict=False))))
    return table


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time(0) else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        # repr gives the shortest text that reads back as the same float: 45.9, not 45.899999...
        return str(Decimal(repr(cell))) if cell != int(cell) else str(int(cell))
    return str(cell).strip()


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    try:
        return _build(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise TableError(f"The CSV cannot be read: {exc}.") from None


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(f"The file is not a readable XLSX workbook ({type(exc).__name__}).") from None
    try:
        sheet = workbook.worksheets[0]
        return _build(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
