import csv
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from caseloads.months import MonthError, month_slug, parse_month
from caseloads.rollups import CaseloadRollup, month_rollup
from perfsite.spreadsheet import csv_row

FIGURES = (
    "counted_staff",
    "counted_wte",
    "counted_cases",
    "average_per_wte",
    "over_20_count",
    "over_20_pct",
    "excluded_staff",
)


def _number(value):
    """JSON numbers: integers stay integers, Decimals keep their rounding (18.3, 4.20 -> 4.2), None is null."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def _figures(rollup: CaseloadRollup) -> dict:
    figures = {name: _number(getattr(rollup, name)) for name in FIGURES}
    figures["bands"] = [{"label": b.label, "count": b.count, "pct": _number(b.pct)} for b in rollup.bands]
    return figures


def summary_dict(rollup: CaseloadRollup) -> dict:
    return {
        "month": month_slug(rollup.month),
        **_figures(rollup),
        "by_team": [{"team": team.team, "month": month_slug(team.month), **_figures(team)} for team in rollup.by_team],
    }


class Command(BaseCommand):
    help = "Print a month's caseload roll-up (overall and by team) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="The month, as YYYY-MM (e.g. 2017-03).")
        parser.add_argument("--format", choices=("json", "csv"), default="json", dest="output_format")

    def handle(self, *args, month: str, output_format: str, **options):
        try:
            first_day = parse_month(month)
        except MonthError as exc:
            raise CommandError(f"--month: {exc}") from None
        rollup = month_rollup(month=first_day)
        if not rollup.has_data:
            self.stderr.write(f"No submitted caseload returns for {month_slug(first_day)}.")
        if output_format == "json":
            self.stdout.write(json.dumps(summary_dict(rollup), indent=2))
            return
        self._write_csv(rollup)

    def _write_csv(self, rollup: CaseloadRollup) -> None:
        """One row for all teams (team = "All teams"), then one per team; bands as count and pct columns."""
        band_columns = [f"band {b.label} {kind}" for b in rollup.bands for kind in ("count", "pct")]
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["month", "team", *FIGURES, *band_columns])
        for team_name, item in [("All teams", rollup), *((t.team, t) for t in rollup.by_team)]:
            figures = _figures(item)
            bands = [value for b in figures["bands"] for value in (b["count"], b["pct"])]
            row = [month_slug(rollup.month), team_name, *(figures[name] for name in FIGURES), *bands]
            writer.writerow(csv_row("" if value is None else value for value in row))
