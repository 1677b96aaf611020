"""Reading CSV and XLSX files into numbered rows, refusing columns we do not know.

The reading itself is ``perfsite.tabular``'s; this module words its problems as the audit
imports always have and adds the audit rule: unknown columns are refused, not ignored, so that
names, dates of birth or addresses can never be imported by accident. Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from perfsite.tabular import HEADER_PROBLEMS, Problem, Row, TableError, read_table

__all__ = ["ImportRejected", "ImportReport", "Row", "parse_date", "read_rows"]

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)


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


def read_rows(path: str | Path, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The file's data rows; ImportRejected if the header is wrong or the file unreadable."""
    path = Path(path)
    try:
        table = read_table(path, csv_suffixes=CSV_SUFFIXES, xlsx_suffixes=XLSX_SUFFIXES)
    except TableError as exc:
        raise ImportRejected(_problems(exc, path, required, optional)) from None
    errors = _header_errors(table.headers, required, optional)
    if errors:
        raise ImportRejected(errors)
    return table.rows


def _header_errors(header: list[str], required: Sequence[str], optional: Sequence[str]) -> list[str]:
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
    return errors


def _problems(exc: TableError, path: Path, required: Sequence[str], optional: Sequence[str]) -> list[str]:
    if exc.problem in HEADER_PROBLEMS or exc.problem == Problem.EXTRA_CELLS:
        # The header is judged first: a row is often too long only because its column is missing.
        errors = _header_errors(exc.headers, required, optional)
        if exc.problem == Problem.UNNAMED_COLUMN:
            errors.append(f"Row 1: {exc}")
        if exc.problem == Problem.EXTRA_CELLS and not errors:
            errors = [f"Row {number}: more values than columns" for number in exc.rows]
        return errors
    messages = {
        Problem.NO_SUCH_FILE: f"{path}: no such file",
        Problem.NOT_A_TABLE: f"{path.name}: use a .csv or .xlsx file",
        Problem.EMPTY: f"{path.name} is empty: row 1 should be the header ({', '.join(required)})",
        Problem.NOT_TEXT: f"{path.name} is not UTF-8 text; save it as CSV UTF-8",
        Problem.BAD_XLSX: f"{path.name} could not be read as a spreadsheet ({exc.detail})",
    }
    return [messages.get(exc.problem, f"{path.name}: {exc}")]


def parse_date(value: object) -> datetime.date:
    """A date from a cell: an Excel date, ISO ``2017-03-31`` or UK ``31/03/2017``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    # An Excel date cell with a time of day reads as 2017-03-31T09:30:00; the day is what counts.
    day = text[:10] if len(text) > 10 and text[10] == "T" else text
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY")
