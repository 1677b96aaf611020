import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.exports import FORMATS, render, scorecard_records
from indicators.quarters import Quarter, QuarterError


class Command(BaseCommand):
    help = (
        "Write every active indicator's row for a quarter (Appendix 3's figures, RAG and numbered footnotes) "
        "as CSV, JSON or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="A financial-year quarter such as 2016-17-q4.")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", "-o", default="", help="Write to this file instead of standard output.")

    def handle(self, *args, quarter, format, output, **options):
        try:
            parsed = Quarter.parse(quarter)
        except QuarterError as exc:
            raise CommandError(str(exc)) from None
        data = render(scorecard_records(parsed), format, quarter=parsed)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output}")
        elif format == "xlsx" and sys.stdout.isatty():
            raise CommandError("An XLSX file is binary: give --output FILE.")
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(out, "buffer"):
                out.flush()
                out.buffer.write(data)
                out.buffer.flush()
            elif format == "xlsx":
                raise CommandError("An XLSX file is binary: give --output FILE.")
            else:
                out.write(data.decode("utf-8"))
