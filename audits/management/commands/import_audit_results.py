from django.core.management.base import BaseCommand, CommandError

from audits.imports.results import COLUMNS, ResultsImporter, import_audit_results
from audits.imports.tabular import problem_text


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
        result = import_audit_results(file, dry_run=dry_run)
        if result.errors:
            raise CommandError("Nothing was imported:\n" + "\n".join(map(problem_text, result.errors)))
        prefix = "Dry run, nothing written: " if dry_run else ""
        for note in result.notes:
            self.stdout.write(prefix + note)
        self.stdout.write(self.style.SUCCESS(prefix + ResultsImporter().summary(result)))
