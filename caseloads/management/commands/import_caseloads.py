from django.core.management.base import BaseCommand, CommandError

from caseloads.services.imports import ImportRejected, import_file


class Command(BaseCommand):
    help = (
        "Import monthly caseload figures (CSV or XLSX; columns month,team,staff_number,worker_name,role,"
        "employment,wte,cases) as submitted returns. All or nothing; importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; the first row is the header.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            report = import_file(file, dry_run=dry_run)
        except ImportRejected as rejected:
            count = len(rejected.errors)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {file}.\n{rejected}"
            ) from None
        self.stdout.write(self.style.SUCCESS(report.summary()) if not dry_run else f"Dry run. {report.summary()}")
