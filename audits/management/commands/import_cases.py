from django.core.management.base import BaseCommand, CommandError

from audits.imports.cases import COLUMNS, CasesImporter, import_cases
from audits.imports.tabular import problem_text


class Command(BaseCommand):
    help = (
        "Import the case list (CSV or XLSX) with columns "
        + ",".join(COLUMNS)
        + ". All or nothing; the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check and report without writing.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        result = import_cases(file, dry_run=dry_run)
        if result.errors:
            raise CommandError("Nothing was imported:\n" + "\n".join(map(problem_text, result.errors)))
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + CasesImporter().summary(result)))
