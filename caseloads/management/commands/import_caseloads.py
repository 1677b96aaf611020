from django.core.management.base import BaseCommand, CommandError

from caseloads.services.imports import CaseloadsImporter, import_file


class Command(BaseCommand):
    help = (
        "Import monthly caseload figures (CSV or XLSX; columns month,team,staff_number,worker_name,role,"
        "employment,wte,cases) as submitted returns. All or nothing; importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; the first row is the header.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, file: str, dry_run: bool, **options):
        result = import_file(file, dry_run=dry_run)
        if result.errors:
            count = len(result.errors)
            problems = "\n".join(str(error) for error in sorted(result.errors, key=lambda e: (e.row, e.column)))
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {file}.\n{problems}"
            )
        summary = CaseloadsImporter().summary(result)
        self.stdout.write(self.style.SUCCESS(summary) if not dry_run else f"Dry run. {summary}")
