from indicators.imports import run_import
from indicators.management.commands._importing import ImportCommand
from indicators.models import ImportKind


class Command(ImportCommand):
    help = (
        "Create or update indicators from a CSV/XLSX with the columns "
        "code,description,kind,polarity,unit,decimals,tolerance,themes "
        "(optional: ref,framework_level,framework_theme,owner,active). All or nothing."
    )

    def handle(self, *args, file, dry_run, verbose_rows, **options):
        data, name = self.read(file)
        result = run_import(ImportKind.INDICATORS, data, name, dry_run=dry_run)
        self.report(result, dry_run=dry_run, verbose_rows=verbose_rows)
