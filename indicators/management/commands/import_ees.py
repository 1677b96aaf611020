from django.core.management.base import CommandError

from indicators.imports import EesOptions, OptionError, run_import
from indicators.management.commands._importing import ImportCommand
from indicators.models import ImportKind


class Command(ImportCommand):
    help = (
        "Write national, regional (the home authority's region) and statistical-neighbour (mean) "
        "benchmarks for an indicator from one column of a DfE tidy CSV from Explore Education Statistics."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--indicator", required=True, help="The indicator's code, e.g. 'CASCYP 24'.")
        parser.add_argument("--column", required=True, help="The figure's column, e.g. rate_per_10000.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help="Keep only rows where COLUMN is VALUE (repeatable).",
        )
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--as-at", default="", metavar="MM-DD", help="A snapshot on this day of each year.")
        when.add_argument("--year-to", default="", metavar="MM-DD", help="The 12 months ending on this day.")
        parser.add_argument(
            "--include-home",
            action="store_true",
            help="Also write the home authority's own published figure as the actual, where none is stored.",
        )
        parser.add_argument(
            "--replace-home",
            action="store_true",
            help="Replace the council's own stored figures with DfE's where they differ (implies --include-home).",
        )

    def handle(self, *args, file, dry_run, verbose_rows, **opts):
        try:
            options = EesOptions.from_strings(
                indicator=opts["indicator"],
                column=opts["column"],
                as_at=opts["as_at"],
                year_to=opts["year_to"],
                filters=opts["filter"],
                include_home=opts["include_home"],
                replace_home=opts["replace_home"],
            )
        except OptionError as exc:
            raise CommandError(str(exc)) from None
        data, name = self.read(file)
        result = run_import(ImportKind.EES, data, name, options=options, dry_run=dry_run)
        self.report(result, dry_run=dry_run, verbose_rows=verbose_rows)
