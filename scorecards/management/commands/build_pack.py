"""manage.py build_pack --quarter 2016-17-q4 --out DIR: the committee pack (PDF and XLSX), synchronously."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from indicators.quarters import Quarter, QuarterError
from scorecards.packs import write_pack_files
from scorecards.publishing import current_version


class Command(BaseCommand):
    help = "Build the committee pack (PDF and XLSX) of a published quarter into a directory."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="The quarter, like 2016-17-q4.")
        parser.add_argument("--out", required=True, help="The directory to write the two files into.")
        parser.add_argument(
            "--published-version",
            type=int,
            dest="published_version",
            help="A published version (default: the current one).",
        )

    def handle(self, *args, **options):
        try:
            quarter = Quarter.parse(options["quarter"])
        except QuarterError as error:
            raise CommandError(str(error)) from None
        scorecard = current_version(quarter)
        if scorecard is None:
            raise CommandError(f"{quarter.label} has not been published: publish it before building its pack.")
        if options["published_version"] is not None:
            from scorecards.models import PublishedScorecard

            scorecard = PublishedScorecard.objects.filter(
                quarter=quarter.slug, version=options["published_version"]
            ).first()
            if scorecard is None:
                raise CommandError(f"{quarter.label} has no published version {options['published_version']}.")
        try:
            pdf, xlsx = write_pack_files(scorecard=scorecard, directory=options["out"])
        except OSError as error:
            raise CommandError(f"Could not write to {options['out']}: {error}") from None
        self.stdout.write(f"PDF: {pdf}")
        self.stdout.write(f"XLSX: {xlsx}")
