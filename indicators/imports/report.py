"""What an import found: rows new, changed and unchanged, and every problem by row and column."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class PlannedRow:
    """One row of the file and what applying it does: new, changed or unchanged."""

    row: int
    key: str
    action: str  # "new", "changed", "unchanged"
    before: str = ""
    after: str = ""
    apply: object = None  # a callable that writes the row; None when unchanged

    @property
    def label(self) -> str:
        return {"new": "New", "changed": "Changed", "unchanged": "Unchanged"}[self.action]


@dataclass
class ImportResult:
    kind: str
    filename: str
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rows_rejected(self) -> int:
        return len({e.row for e in self.errors if e.row > 1})

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def summary(self) -> dict:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}

    def summary_line(self) -> str:
        return f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged"
