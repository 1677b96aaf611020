import csv
import json

from django.core.management.base import BaseCommand, CommandError

from audits.choices import RoundKind
from audits.models import AuditRound
from audits.representativeness import sample_check
from indicators.quarters import Quarter, QuarterError

CSV_FIELDS = [
    "quarter", "population", "sample", "dimension", "value", "stratum_population", "stratum_sample",
    "expected", "residual", "chi_square", "df", "p_value", "method", "verdict",
]  # fmt: skip


def _blank(value):
    return "" if value is None else value


class Command(BaseCommand):
    help = (
        "Is the quarter's random audit sample (or one round's) representative of the cases open on the sampling "
        "date, by team, case type and time open? Pearson chi-square per dimension, as JSON or CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="Like 2016-17-q4.")
        parser.add_argument("--round", type=int, dest="round_id", help="One round's id; default all random rounds.")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, quarter, round_id, format, **options):
        try:
            quarter = Quarter.parse(quarter)
        except QuarterError as exc:
            raise CommandError(f"--quarter: {exc}") from None
        if round_id is not None:
            round_ = AuditRound.objects.filter(pk=round_id, quarter=quarter.slug).first()
            if round_ is None:
                raise CommandError(f"--round: there is no audit round {round_id} in {quarter.slug}.")
            if round_.kind != RoundKind.RANDOM:
                raise CommandError(
                    f"--round: {round_.title} is a {round_.get_kind_display().lower()} round; its cases were chosen "
                    "on purpose, so it is not tested for representativeness."
                )
        check = sample_check(quarter=quarter, round_id=round_id)
        if not check.rounds:
            raise CommandError(f"--quarter: no random audit round was drawn in {quarter.slug}.")
        data = check.as_json()
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for dimension in data["dimensions"]:
            for stratum in dimension["strata"]:
                writer.writerow(
                    {
                        "quarter": data["quarter"],
                        "population": data["population"],
                        "sample": data["sample"],
                        "dimension": dimension["dimension"],
                        "value": stratum["value"],
                        "stratum_population": stratum["population"],
                        "stratum_sample": stratum["sample"],
                        "expected": stratum["expected"],
                        "residual": _blank(stratum["residual"]),
                        "chi_square": _blank(dimension["chi_square"]),
                        "df": dimension["df"],
                        "p_value": _blank(dimension["p_value"]),
                        "method": dimension["method"],
                        "verdict": data["verdict"],
                    }
                )
