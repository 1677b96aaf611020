from django.core.management.base import BaseCommand, CommandError

from audits.imports.cases import COLUMNS, import_cases
from audits.imports.tabular import ImportRejected


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
        try:
            report = import_cases(file, dry_run=dry_run)
        except ImportRejected as rejected:
            raise CommandError("Nothing was imported:\n" + "\n".join(rejected.errors)) from None
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary("case(s)")))
