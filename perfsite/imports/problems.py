"""A problem found in an import, named by its spreadsheet row and column, and the rejection that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """``row`` as a spreadsheet numbers it (the header is row 1); 0 means the file or import as a whole."""

    row: int
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        return describe(self)


def describe(problem: Problem, *, column_word: str = "column ") -> str:
    """``Row 3, column code: is empty``; an app whose users know ``Row 3, code: ...`` passes ``column_word=""``."""
    if not problem.row:
        return problem.message
    where = f"Row {problem.row}" + (f", {column_word}{problem.column}" if problem.column else "")
    return f"{where}: {problem.message}"


class ImportRejected(Exception):
    """Nothing was written; ``errors`` says why, row by row. Raised by row rules that check as they write."""

    def __init__(self, errors: Iterable[Problem]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
