"""The audit imports' reading rules: their words for a file that cannot be read, their column rule, dates.

The reading and the running of an import are the shared framework's (``perfsite.imports``). The
audit rule added here: unknown columns are refused, not ignored, so that names, dates of birth or
addresses can never be imported by accident. Rows are numbered as a spreadsheet shows them: the
header is row 1, the first data row is row 2. Problems read ``Row 3, case_ref: ...``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from perfsite import tabular
from perfsite.imports import Importer, ImportRejected, ImportResult, Problem, TableWording, describe, read_upload
from perfsite.tabular import Row, TableError

__all__ = ["AuditImporter", "AuditWording", "ImportRejected", "Row", "parse_date", "problem_text", "read_rows"]

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx",)
COUNTS = ("created", "updated", "unchanged")


def problem_text(problem: Problem) -> str:
    return describe(problem, column_word="")


class AuditWording(TableWording):
    judges_header = True

    def __init__(self, required: Sequence[str], optional: Sequence[str] = ()):
        self.required = tuple(required)
        self.optional = tuple(optional)

    def header(self, headers: list[str]) -> list[Problem]:
        known = [*self.required, *self.optional]
        errors = []
        unknown = [name for name in headers if name and name not in known]
        if unknown:
            errors.append(
                Problem(
                    1,
                    "",
                    f"unknown column(s) {', '.join(unknown)}. Only these columns may be imported: {', '.join(known)}",
                )
            )
        missing = [name for name in self.required if name not in headers]
        if missing:
            errors.append(Problem(1, "", f"missing column(s) {', '.join(missing)}"))
        duplicated = sorted({name for name in headers if name and headers.count(name) > 1})
        if duplicated:
            errors.append(Problem(1, "", f"column(s) given twice: {', '.join(duplicated)}"))
        return errors

    def unnamed(self, exc: TableError) -> Problem:
        return Problem(1, "", str(exc))

    def too_long(self, row: int) -> Problem:
        return Problem(row, "", "more values than columns")

    def file_problem(self, exc: TableError, where: str, name: str) -> Problem:
        messages = {
            tabular.Problem.NO_SUCH_FILE: f"{where}: no such file",
            tabular.Problem.NOT_A_TABLE: f"{name}: use a .csv or .xlsx file",
            tabular.Problem.EMPTY: f"{name} is empty: row 1 should be the header ({', '.join(self.required)})",
            tabular.Problem.NOT_TEXT: f"{name} is not UTF-8 text; save it as CSV UTF-8",
            tabular.Problem.BAD_XLSX: f"{name} could not be read as a spreadsheet ({exc.detail})",
        }
        return Problem(0, "", messages.get(exc.problem, f"{name}: {exc}"))


class AuditImporter(Importer):
    """What the two audit imports share: their reading rules and their report, "N noun created, ..."."""

    csv_suffixes = CSV_SUFFIXES
    xlsx_suffixes = XLSX_SUFFIXES
    noun = ""

    def begin(self, result: ImportResult) -> None:
        result.counts = dict.fromkeys(COUNTS, 0)

    def summary(self, result: ImportResult) -> str:
        counts = result.counts
        return f"{counts['created']} {self.noun} created, {counts['updated']} updated, {counts['unchanged']} unchanged."

    def summary_counts(self, result: ImportResult) -> dict:
        return dict(result.counts)

    def has_changes(self, result: ImportResult) -> bool:
        return bool(result.counts.get("created") or result.counts.get("updated"))


def read_rows(path: str | Path, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[Row]:
    """The file's data rows; ImportRejected if the header is wrong or the file unreadable."""
    table = read_upload(
        path, wording=AuditWording(required, optional), csv_suffixes=CSV_SUFFIXES, xlsx_suffixes=XLSX_SUFFIXES
    )
    return table.rows


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
