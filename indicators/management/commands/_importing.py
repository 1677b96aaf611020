"""What the three import commands share: reading the file and reporting the result."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.imports import ImportResult


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--verbose-rows", action="store_true", help="List every row as new, changed or unchanged.")

    def read(self, file: str) -> tuple[bytes, str]:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        return path.read_bytes(), path.name

    def report(self, result: ImportResult, *, dry_run: bool, verbose_rows: bool) -> None:
        for note in result.notes:
            self.stdout.write(note)
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if verbose_rows or dry_run:
            for planned in result.planned:
                change = f"{planned.before} -> {planned.after}" if planned.action == "changed" else planned.after
                self.stdout.write(f"Row {planned.row}: {planned.label}: {planned.key}: {change}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error) if error.row else error.message)
            rows = result.rows_rejected
            what = f"{rows} row(s) were rejected" if rows else "the file was rejected"
            raise CommandError(
                f"Nothing was imported from {result.filename}: {what} ({len(result.errors)} problem(s))."
            )
        if dry_run:
            self.stdout.write(f"Dry run: {result.summary_line()}. Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.filename}: {result.summary_line()}."))
