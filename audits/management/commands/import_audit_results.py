from django.core.management.base import BaseCommand, CommandError

from audits.imports.results import COLUMNS, import_audit_results
from audits.imports.tabular import ImportRejected


class Command(BaseCommand):
    help = (
        "Import historic audit results (CSV or XLSX) with columns "
        + ",".join(COLUMNS)
        + ". Grades: outstanding, good, requires_improvement, inadequate. All or nothing; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report without writing.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            report = import_audit_results(file, dry_run=dry_run)
        except ImportRejected as rejected:
            raise CommandError("Nothing was imported:\n" + "\n".join(rejected.errors)) from None
        prefix = "Dry run, nothing written: " if dry_run else ""
        for note in report.notes:
            self.stdout.write(prefix + note)
        self.stdout.write(self.style.SUCCESS(prefix + report.summary("result(s)")))
