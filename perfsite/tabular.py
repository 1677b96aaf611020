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
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    TOO_BIG = "too_big"


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


@dataclass(frozen=True)
class Limits:
    """How much work a file may cause: rows after the header (empty ones count, so a sheet cannot
    reach far down), columns named in row 1, cells read (empty ones count), and an XLSX's unpacked size.

    None means no limit. Uploads are bounded by these, not only by their bytes: a small XLSX can
    declare a million rows or unpack to gigabytes, and a CSV of short rows can hold very many.
    """

    rows: int | None = None
    columns: int | None = None
    cells: int | None = None
    unpacked_bytes: int | None = None

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            rows=settings.PERFSITE_IMPORT_MAX_ROWS,
            columns=settings.PERFSITE_IMPORT_MAX_COLUMNS,
            cells=settings.PERFSITE_IMPORT_MAX_CELLS,
            unpacked_bytes=settings.PERFSITE_IMPORT_MAX_UNPACKED_BYTES,
        )


NO_LIMITS = Limits()


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
    limits: Limits = NO_LIMITS,
    on_row: Callable[[int], None] | None = None,
) -> Table:
    """Read ``source`` (a file's bytes, with its ``filename``, or a path) as a table.

    The format follows the name's suffix, as a user chose it when saving; the suffixes each
    format accepts are the caller's to choose. A file beyond ``limits`` is refused (TOO_BIG) as
    soon as the reading sees it, before the rest is read. ``on_row(number)`` is told, every
    ``PROGRESS_EVERY`` rows, how far the reading has got (a background check reports it).
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
        return _build(_csv_rows(data), format="csv", limits=limits, on_row=on_row)
    return _build(_xlsx_rows(data, limits), format="xlsx", limits=limits, on_row=on_row)


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


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise TableError(f"The CSV cannot be read: {exc}.", problem=Problem.BAD_CSV, detail=str(exc)) from None


def _check_unpacked_size(data: bytes, limits: Limits) -> None:
    """Refuse a compression bomb from the zip's directory, before anything is inflated.

    Python's zip reader never inflates a member past the size its directory declares, so the
    declared sizes bound the work that reading can do.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if limits.unpacked_bytes is not None and unpacked > limits.unpacked_bytes:
        raise TableError(
            f"The workbook unpacks to {_megabytes(unpacked)}, more than the {_megabytes(limits.unpacked_bytes)} "
            "an import reads; save only the sheet to import, or save it as CSV.",
            problem=Problem.TOO_BIG,
        )


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        _check_unpacked_size(data, limits)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise _bad_xlsx(exc) from None
    try:
        sheet = workbook.worksheets[0]
        # The sheet's declared dimension is not trusted: "A1:XFD1048576" would pad every row to
        # 16,384 cells and add a million empty rows. Without it each row is as long as its cells.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet inside a sound zip fails only as it is read
                raise _bad_xlsx(exc) from None
            yield row
    finally:
        workbook.close()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _bad_xlsx(exc: Exception) -> TableError:
    return TableError(
        f"The file is not a readable XLSX workbook ({type(exc).__name__}).", problem=Problem.BAD_XLSX, detail=str(exc)
    )


def _too_big(message: str) -> TableError:
    return TableError(message, problem=Problem.TOO_BIG)


def _cells_too_many(limit: int) -> TableError:
    return _too_big(f"The file has more than {limit:,} cells, more than an import reads; split it into smaller files.")


PROGRESS_EVERY = 500


def _build(
    raw_rows: Iterable, *, format: str, limits: Limits = NO_LIMITS, on_row: Callable[[int], None] | None = None
) -> Table:
    # One loop, no per-cell function call for CSV: the reading is most of a large import's cost,
    # so every row pays only for what it needs (issue 13). Cells are counted as they are read
    # (empty ones count) and the file is refused as soon as it holds more than the limit.
    raw_rows = iter(raw_rows)
    first = next(raw_rows, None)
    if first is None:
        raise TableError("The file is empty: row 1 must name the columns.", problem=Problem.EMPTY)
    max_cells, max_rows = limits.cells, limits.rows
    cells_read = len(first)
    if max_cells is not None and cells_read > max_cells:
        raise _cells_too_many(max_cells)
    # Spreadsheets often carry empty cells to the right of the last column; they name nothing.
    first = list(first)
    while first and (first[-1] is None or str(first[-1]).strip() == ""):
        first.pop()
    if limits.columns is not None and len(first) > limits.columns:
        raise _too_big(
            f"Row 1 names {len(first):,} columns, more than the {limits.columns:,} an import reads; "
            "remove the columns this import does not use."
        )
    headers = [normalise_header(cell) for cell in first]
    while headers and headers[-1] == "":
        headers.pop()
    _check_headers(headers)
    table = Table(headers=headers, format=format)
    rows = table.rows
    too_long: list[int] = []
    width = len(headers)
    padding = [""] * width
    is_csv = format == "csv"  # every CSV cell is already text: cell_text would only strip it
    for number, raw in zip(itertools.count(2), raw_rows, strict=False):
        cells_read += len(raw)
        if max_cells is not None and cells_read > max_cells:
            raise _cells_too_many(max_cells)
        # Empty rows count: a sheet whose one cell is in row 1,048,576 is refused at the limit,
        # not read down to it.
        if max_rows is not None and number > max_rows + 1:
            raise _too_big(
                f"The file has more than {max_rows:,} rows after row 1, more than an import reads; "
                "split it into smaller files."
            )
        if on_row is not None and number % PROGRESS_EVERY == 0:
            on_row(number)
        cells = [cell.strip() for cell in raw] if is_csv else [cell_text(cell) for cell in raw]
        if not any(cells):
            continue
        if len(cells) > width:
            if any(cells[width:]):
                too_long.append(number)
                continue
        elif len(cells) < width:
            cells += padding[len(cells) :]
        rows.append(Row(number, dict(zip(headers, cells, strict=False))))
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
