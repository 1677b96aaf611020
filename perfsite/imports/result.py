"""What an import found and did: rows planned new, changed or unchanged, counts, and every problem."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfsite.imports.problems import Problem

ACTION_LABELS = {"new": "New", "changed": "Changed", "unchanged": "Unchanged"}


@dataclass
class PlannedRow:
    """One row of the file and what applying it does: new, changed or unchanged."""

    row: int
    key: str
    action: str  # "new", "changed", "unchanged"
    before: str = ""
    after: str = ""
    apply: object = None  # a callable taking the user that writes the row; None when unchanged

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportResult:
    """One import's outcome. ``via`` is ``"command"`` or ``"page"``, so a message can name the right place."""

    kind: str
    filename: str
    via: str = "command"
    dry_run: bool = False
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # what was created, by kind, for the report
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def on_web(self) -> bool:
        return self.via == "page"

    def error(self, row: int, column: str | None, message: str) -> None:
        self.errors.append(Problem(row, column or "", message))

    def reject(self, problems) -> None:
        self.errors.extend(problems)

    def tally(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

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

    def summary(self) -> dict:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}

    def summary_line(self) -> str:
        return f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged"
