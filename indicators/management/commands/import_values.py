from indicators.imports import run_import
from indicators.management.commands._importing import ImportCommand
from indicators.models import ImportKind


class Command(ImportCommand):
    help = (
        "Create or update actuals, targets and benchmarks from a CSV/XLSX with the columns "
        "code,series,period_label,period_start,period_end,value,numerator,denominator,status,footnote. "
        "All or nothing; the same file twice changes nothing."
    )

    def handle(self, *args, file, dry_run, verbose_rows, **options):
        data, name = self.read(file)
        result = run_import(ImportKind.VALUES, data, name, dry_run=dry_run)
        self.report(result, dry_run=dry_run, verbose_rows=verbose_rows)
