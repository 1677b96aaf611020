import csv
import json

from django.core.management.base import BaseCommand, CommandError

from audits.rollups import GRADE_NAMES, quarter_rollup
from indicators.quarters import Quarter, QuarterError
from perfsite.spreadsheet import csv_record


def _number(value):
    return None if value is None else float(value)


def summary_dict(rollup) -> dict:
    """The roll-up in the shape documented in docs/data-formats.md."""
    return {
        "quarter": rollup.quarter.slug,
        "audited": rollup.audited,
        "by_grade": dict(rollup.by_grade),
        "good_or_above": rollup.good_or_above,
        "good_or_above_pct": _number(rollup.good_or_above_pct),
        "ci_low": _number(rollup.ci_low),
        "ci_high": _number(rollup.ci_high),
        "target_pct": _number(rollup.target_pct),
        "moderated": rollup.moderated,
        "agreement_pct": _number(rollup.agreement_pct),
        "by_team": [
            {
                "team": row.label,
                "audited": row.audited,
                "good_or_above": row.good_or_above,
                "good_or_above_pct": _number(row.good_or_above_pct),
            }
            for row in rollup.by_team
        ],
    }


class Command(BaseCommand):
    help = "Print a quarter's audit roll-up (agreed grades, % good or above with its 95% interval) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="Like 2016-17-q4.")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, quarter, format, **options):
        try:
            quarter = Quarter.parse(quarter)
        except QuarterError as exc:
            raise CommandError(f"--quarter: {exc}") from None
        rollup = quarter_rollup(quarter=quarter)
        if format == "json":
            self.stdout.write(json.dumps(summary_dict(rollup), indent=2))
            return
        fields = [
            "quarter", "scope", "team", "audited", *GRADE_NAMES, "good_or_above", "good_or_above_pct",
            "ci_low", "ci_high", "target_pct", "moderated", "agreement_pct",
        ]  # fmt: skip
        writer = csv.DictWriter(self.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        rows = [("overall", "", rollup.counts)] + [("team", row.label, row) for row in rollup.by_team]
        for scope, team, counts in rows:
            writer.writerow(
                csv_record(
                    {
                        "quarter": quarter.slug,
                        "scope": scope,
                        "team": team,
                        "audited": counts.audited,
                        **counts.by_grade,
                        "good_or_above": counts.good_or_above,
                        "good_or_above_pct": counts.good_or_above_pct if counts.good_or_above_pct is not None else "",
                        "ci_low": counts.ci_low if counts.ci_low is not None else "",
                        "ci_high": counts.ci_high if counts.ci_high is not None else "",
                        "target_pct": rollup.target_pct if scope == "overall" else "",
                        "moderated": rollup.moderated if scope == "overall" else "",
                        "agreement_pct": rollup.agreement_pct
                        if scope == "overall" and rollup.agreement_pct is not None
                        else "",
                    }
                )
            )
