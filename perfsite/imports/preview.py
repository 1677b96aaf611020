"""A page's preview, kept with its batch: what the check found, as it was when the file was uploaded.

Checking a file is the expensive part of an upload, so it is done once, when the file arrives, and
the preview page shows the record; visiting it again costs nothing. Confirming checks the file
again against the database as it is then. A very long file's record keeps its first rows and
problems and says how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfsite.imports.problems import Problem
from perfsite.imports.result import ImportResult, PlannedRow

SHOWN = 1000  # rows and problems a preview lists; the counts cover all of them


@dataclass
class Preview:
    errors: list[Problem] = field(default_factory=list)
    planned: list[PlannedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""
    has_changes: bool = False
    rows_rejected: int = 0
    errors_total: int = 0
    planned_total: int = 0

    @property
    def errors_more(self) -> int:
        return self.errors_total - len(self.errors)

    @property
    def planned_more(self) -> int:
        return self.planned_total - len(self.planned)

    @classmethod
    def of(cls, result: ImportResult, importer) -> Preview:
        ok = not result.errors
        return cls(
            errors=result.errors[:SHOWN],
            planned=result.planned[:SHOWN],
            notes=list(result.notes),
            warnings=list(result.warnings),
            summary=importer.summary(result) if ok else "",
            has_changes=importer.has_changes(result) if ok else False,
            rows_rejected=result.rows_rejected,
            errors_total=len(result.errors),
            planned_total=len(result.planned),
        )

    def as_record(self) -> dict:
        return {
            "errors": [[e.row, e.column, e.message] for e in self.errors],
            "planned": [[p.row, p.key, p.action, p.before, p.after] for p in self.planned],
            "notes": self.notes,
            "warnings": self.warnings,
            "summary": self.summary,
            "has_changes": self.has_changes,
            "rows_rejected": self.rows_rejected,
            "errors_total": self.errors_total,
            "planned_total": self.planned_total,
        }

    @classmethod
    def from_record(cls, record: dict) -> Preview:
        return cls(
            errors=[Problem(row, column, message) for row, column, message in record["errors"]],
            planned=[
                PlannedRow(row, key, action, before, after) for row, key, action, before, after in record["planned"]
            ],
            notes=record["notes"],
            warnings=record["warnings"],
            summary=record["summary"],
            has_changes=record["has_changes"],
            rows_rejected=record["rows_rejected"],
            errors_total=record["errors_total"],
            planned_total=record["planned_total"],
        )
