"""Reading an upload into a table, with each app's words for a file that cannot be read.

The reading is ``perfsite.tabular``'s. What varies between apps is only the wording its users
already know, so an app gives a ``TableWording``: how to word the header's mistakes, a too-long
row and a file that is not a table at all. The order of judgement is the framework's: when the
header is at fault, or a row is longer than the header, the header is judged first, because a
row looks too long only because its column is missing from the header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from os import PathLike
from pathlib import Path

from perfsite import tabular
from perfsite.imports.problems import ImportRejected, Problem
from perfsite.tabular import HEADER_PROBLEMS, Table, TableError


class TableWording:
    """The default words: the reader's own message, at the row it names.

    Subclasses override ``header`` (the app's column rules, judged on every file), ``unnamed``,
    ``too_long`` and ``file_problem``.
    """

    #: Whether the app's column rules are judged before the reader's header and too-long-row messages.
    judges_header = False

    def header(self, headers: list[str]) -> list[Problem]:
        return []

    def unnamed(self, exc: TableError) -> Problem:
        return Problem(1, "", str(exc).rstrip("."))

    def too_long(self, row: int) -> Problem:
        return Problem(row, "", "this row has more cells than row 1 has column names")

    def file_problem(self, exc: TableError, where: str, name: str) -> Problem:
        return Problem(exc.row, "", str(exc))

    def problems(self, exc: TableError, where: str, name: str) -> list[Problem]:
        if self.judges_header and (exc.problem in HEADER_PROBLEMS or exc.problem == tabular.Problem.EXTRA_CELLS):
            errors = self.header(exc.headers)
            if exc.problem == tabular.Problem.UNNAMED_COLUMN:
                errors.append(self.unnamed(exc))
            if exc.problem == tabular.Problem.EXTRA_CELLS and not errors:
                errors = [self.too_long(number) for number in exc.rows]
            if errors:
                return errors
        return [self.file_problem(exc, where, name)]


def read_upload(
    source: bytes | str | PathLike,
    *,
    filename: str | None = None,
    wording: TableWording | None = None,
    csv_suffixes: Sequence[str] = tabular.CSV_SUFFIXES,
    xlsx_suffixes: Sequence[str] = tabular.XLSX_SUFFIXES,
    limits: tabular.Limits | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Table:
    """The file's table; ``ImportRejected`` with every problem worded for the app when it cannot be read.

    ``limits`` default to the settings (rows, columns, cells and the unpacked size of an XLSX),
    so an upload is bounded in the work it causes, not only in its bytes.
    """
    wording = wording or TableWording()
    where = filename if isinstance(source, bytes) else str(source)
    name = filename or Path(where).name
    try:
        table = tabular.read_table(
            source,
            filename=filename,
            csv_suffixes=csv_suffixes,
            xlsx_suffixes=xlsx_suffixes,
            limits=limits or tabular.Limits.from_settings(),
            on_row=on_row,
        )
    except TableError as exc:
        raise ImportRejected(wording.problems(exc, where, name)) from None
    errors = wording.header(table.headers)
    if errors:
        raise ImportRejected(errors)
    return table
