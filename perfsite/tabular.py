"""One reader for every import: a CSV or XLSX file into a header and rows of text.

Row numbers are as a spreadsheet shows them: the header is row 1, the first data row is row 2,
and a skipped empty row still counts. Headers are normalised (spaces collapsed, case ignored) so
columns are found by name. Cells become text the same way whichever format they came in, so an
app's checks never see a float or a datetime: ``69.0`` typed into Excel arrives as ``69``, a date
cell as ``2017-03-31``.

Anything that stops the file being read as a table raises ``TableError``; its ``problem`` says
which kind, so an app can word the message its users already know. What each column must hold,
and which columns are allowed, stays with each app.
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import NamedTuple

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ENCODINGS = ("utf-8-sig", "cp1252")


class Problem(enum.StrEnum):
    NO_SUCH_FILE = "no_such_file"
    UNREADABLE = "unreadable"
    NOT_A_TABLE = "not_a_table"
    NOT_TEXT = "not_text"
    BAD_CSV = "bad_csv"
    BAD_XLSX = "bad_xlsx"
    EMPTY = "empty"
    NO_HEADER = "no_header"
    UNNAMED_COLUMN = "unnamed_column"
    DUPLICATE_COLUMN = "duplicate_column"
    EXTRA_CELLS = "extra_cells"


HEADER_PROBLEMS = frozenset({Problem.NO_HEADER, Problem.UNNAMED_COLUMN, Problem.DUPLICATE_COLUMN})


class TableError(ValueError):
    """The file as a whole cannot be read as a table.

    ``row`` is the first spreadsheet row at fault (1 for the file or its header); ``rows`` every
    row at fault (for EXTRA_CELLS); ``headers`` the normalised header, for header problems and
    EXTRA_CELLS, so an app can list every header mistake at once (a row looks too long when a
    column is missing from the header); ``detail`` the underlying library's own words.
    """

    def __init__(
        self,
        message: str,
        *,
        problem: Problem,
        row: int = 1,
        rows: Sequence[int] = (),
        headers: Sequence[str] = (),
        detail: str = "",
    ):
        super().__init__(message)
        self.problem = problem
        self.row = row
        self.rows = list(rows) or [row]
        self.headers = list(headers)
        self.detail = detail


class Row(NamedTuple):
    number: int
    values: dict[str, str]

    def text(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    format: str = "csv"  # or "xlsx": where a cell's text came from, for the rare check that cares

    def has(self, column: str) -> bool:
        return column in self.headers


def normalise_header(header: object) -> str:
    """``" Staff  Number\\ufeff"`` -> ``"staff number"``: columns are matched by name, ignoring case."""
    return " ".join(cell_text(header).replace("\ufeff", "").split()).lower()


def cell_text(value: object) -> str:
    """A cell as text: None is empty, a whole float has no ``.0``, a date is ISO, text is stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr is the shortest text that reads back as the same float: 45.9, not 45.899999...
        return str(Decimal(repr(value)))
    return str(value).strip()


def read_table(
    source: bytes | str | PathLike,
    *,
    filename: str | None = None,
    csv_suffixes: Sequence[str] = CSV_SUFFIXES,
    xlsx_suffixes: Sequence[str] = XLSX_SUFFIXES,
) -> Table:
    """Read ``source`` (a file's bytes, with its ``filename``, or a path) as a table.

    The format follows the name's suffix, as a user chose it when saving; the suffixes each
    format accepts are the caller's to choose.
    """
    if isinstance(source, bytes):
        if filename is None:
            raise TypeError("read_table needs the filename of the bytes it is given.")
        data = source
    else:
        path = Path(source)
        filename = filename or path.name
        if not path.exists():
            raise TableError(f"There is no file {path}.", problem=Problem.NO_SUCH_FILE)
        data = None
    suffix = Path(filename).suffix.lower()
    is_csv, is_xlsx = suffix in csv_suffixes, suffix in xlsx_suffixes
    if not (is_csv or is_xlsx):
        raise TableError(
            f"{filename} is not a CSV or XLSX file (the name must end .csv or .xlsx).", problem=Problem.NOT_A_TABLE
        )
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(
                f"{filename} cannot be read ({exc.strerror or exc}).", problem=Problem.UNREADABLE, detail=str(exc)
            ) from None
    if is_csv:
        return _build(_csv_rows(data), format="csv")
    return _build(_xlsx_rows(data), format="xlsx")


def decode(data: bytes) -> str:
    """CSV text: UTF-8 (a byte-order mark is dropped), else Windows-1252, as Excel saves "CSV"."""
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Windows-1252 decodes almost any bytes; NULs mean a binary file (an old .xls renamed .csv).
        if "\x00" not in text:
            return text
        break
    raise TableError("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8.", problem=Problem.NOT_TEXT)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(decode(data), newline="")))
    except csv.Error as exc:
        raise TableError(f"The CSV cannot be read: {exc}.", problem=Problem.BAD_CSV, detail=str(exc)) from None


def _xlsx_rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise _bad_xlsx(exc) from None
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # a damaged sheet inside a sound zip fails only as it is read
        raise _bad_xlsx(exc) from None
    finally:
        workbook.close()


def _bad_xlsx(exc: Exception) -> TableError:
    return TableError(
        f"The file is not a readable XLSX workbook ({type(exc).__name__}).", problem=Problem.BAD_XLSX, detail=str(exc)
    )


def _build(raw_rows: list, *, format: str) -> Table:
    if not raw_rows:
        raise TableError("The file is empty: row 1 must name the columns.", problem=Problem.EMPTY)
    headers = [normalise_header(cell) for cell in raw_rows[0]]
    # Spreadsheets often carry empty cells to the right of the last column; they name nothing.
    while headers and headers[-1] == "":
        headers.pop()
    _check_headers(headers)
    table = Table(headers=headers, format=format)
    too_long: list[int] = []
    width = len(headers)
    for number, raw in enumerate(raw_rows[1:], start=2):
        cells = [cell_text(cell) for cell in raw]
        if not any(cells):
            continue
        if any(cells[width:]):
            too_long.append(number)
            continue
        cells += [""] * (width - len(cells))
        table.rows.append(Row(number, dict(zip(headers, cells, strict=False))))
    if too_long:
        others = too_long[1:]
        also = f" (and so do rows {', '.join(map(str, others))})" if others else ""
        raise TableError(
            f"this row has more cells than row 1 has column names{also}.",
            problem=Problem.EXTRA_CELLS,
            row=too_long[0],
            rows=too_long,
            headers=headers,
        )
    return table


def _check_headers(headers: list[str]) -> None:
    if not any(headers):
        raise TableError("row 1 must name the columns.", problem=Problem.NO_HEADER, headers=headers)
    if "" in headers:
        raise TableError(
            f"column {headers.index('') + 1} has no name.", problem=Problem.UNNAMED_COLUMN, headers=headers
        )
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if len(duplicates) == 1:
        raise TableError(
            f"column {duplicates[0]!r} appears more than once.", problem=Problem.DUPLICATE_COLUMN, headers=headers
        )
    if duplicates:
        names = ", ".join(repr(name) for name in duplicates)
        raise TableError(
            f"columns {names} each appear more than once.", problem=Problem.DUPLICATE_COLUMN, headers=headers
        )
