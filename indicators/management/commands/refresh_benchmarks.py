from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.benchmarks import refresh_benchmarks


class Command(BaseCommand):
    help = (
        "Refresh every indicator's registered DfE benchmark source from a folder of downloaded EES files, "
        "in one run: all or nothing, with a report per indicator."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder holding the downloaded CSV files.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, folder, dry_run, **opts):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        files = {item.name: item.read_bytes() for item in sorted(path.iterdir()) if item.is_file()}
        report = refresh_benchmarks(files=files, dry_run=dry_run)
        for source in report.sources:
            self.stdout.write(source.line)
            for line in source.missing:
                self.stdout.write(f"  {line}")
            for line in source.result.notes if source.result else []:
                self.stdout.write(f"  {line}")
        if report.errors:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError("Nothing was written: correct the file(s) above and run it again.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif not report.sources:
            self.stdout.write("No benchmark sources are registered.")
