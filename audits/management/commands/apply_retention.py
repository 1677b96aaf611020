"""manage.py apply_retention [--dry-run]: delete closed cases past retention, with their audits and history."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from audits.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Delete cases closed more than PERFSITE_RETENTION_YEARS_AFTER_CLOSURE years ago, their audits, "
        "theme grades, moderations and actions, and the change history of all of them. Reports counts only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        report = apply_retention(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
