import csv
import datetime
import json
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audits import conf
from audits.allocation import AllocationRefused
from audits.services.allocating import allocate_cases, display_name, users_with_role
from audits.services.rounds import (
    Draw,
    RoundError,
    create_random_round,
    draw_random_sample,
    existing_random_round,
)
from indicators.quarters import Quarter, QuarterError
from perfsite.roles import Role
from perfsite.spreadsheet import csv_record

FIELDS = ("case_ref", "team", "case_type", "auditor")


class Command(BaseCommand):
    help = (
        "Draw the quarter's random audit sample: ceil(rate% of each team's open cases), at least one per team "
        "with open cases, reproducible from --seed; without --dry-run, create the round and allocate each case "
        "to an independent auditor. Prints the sample as CSV on standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="Like 2016-17-q4.")
        parser.add_argument("--rate", default=None, help="Percentage of open cases (default 5).")
        parser.add_argument("--seed", type=int, required=True, help="Recorded with the round; same seed, same cases.")
        parser.add_argument("--on", default=None, help="Sampling date YYYY-MM-DD (default: the quarter's last day).")
        parser.add_argument("--due", default=None, help="Due date YYYY-MM-DD (default: 28 days after --on).")
        parser.add_argument(
            "--auditor",
            action="append",
            default=None,
            help="Username of an auditor to allocate to (repeat; default: every active user with the Auditor role).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Draw and propose auditors without writing.")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")

    def handle(self, *args, quarter, rate, seed, on, due, auditor, dry_run, format, **options):
        try:
            quarter = Quarter.parse(quarter)
        except QuarterError as exc:
            raise CommandError(f"--quarter: {exc}") from None
        try:
            rate = conf.default_sample_rate() if rate is None else Decimal(rate)
        except InvalidOperation:
            raise CommandError(f"--rate: {rate!r} is not a number") from None
        on = self._date("--on", on) or quarter.end
        due = self._date("--due", due)
        auditors = self._auditors(auditor)
        existing = existing_random_round(quarter)
        try:
            if existing is not None:
                draw = self._existing(existing, quarter=quarter, rate=rate, seed=seed, on=on)
            elif dry_run:
                draw = draw_random_sample(quarter=quarter, rate=rate, seed=seed, on=on)
                draw.allocation = allocate_cases(draw.cases, auditors) if draw.cases else {}
            else:
                _round, draw = create_random_round(
                    quarter=quarter, rate=rate, seed=seed, on=on, due_on=due, auditors=auditors
                )
        except AllocationRefused as refused:
            raise CommandError(
                "Nothing was allocated. These cases have no independent auditor:\n"
                + "\n".join(str(refusal) for refusal in refused.refusals)
            ) from None
        except (RoundError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self._summary(draw, dry_run=dry_run, existing=existing is not None)
        self._print(draw.rows(), format)

    def _date(self, flag, value):
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{flag}: {value!r} is not a date; write it as YYYY-MM-DD") from None

    def _auditors(self, usernames):
        if not usernames:
            auditors = list(users_with_role(Role.AUDITOR))
            if not auditors:
                raise CommandError("There are no auditors: give at least one user the Auditor role.")
            return auditors
        users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames, is_active=True)}
        missing = [name for name in usernames if name not in users]
        if missing:
            raise CommandError(f"--auditor: no active user called {', '.join(missing)}")
        return [users[name] for name in dict.fromkeys(usernames)]

    def _existing(self, round_, *, quarter, rate, seed, on) -> Draw:
        """Running the same draw again changes nothing and prints the round; a different one is refused."""
        if (round_.seed, round_.rate, round_.sampling_date) != (seed, rate, on):
            raise CommandError(
                f"{quarter.slug} already has a random round (rate {round_.rate}%, seed {round_.seed}, "
                f"sampled on {round_.sampling_date}); a quarter has one random sample."
            )
        audits = list(round_.audits.select_related("case__team", "auditor").order_by("team__name", "case__case_ref"))
        draw = Draw(
            quarter=quarter,
            sampling_date=round_.sampling_date,
            rate=round_.rate,
            seed=round_.seed,
            open_by_team={},
            cases=[audit.case for audit in audits],
        )
        draw.allocation = {audit.case_id: audit.auditor for audit in audits if audit.auditor_id}
        return draw

    def _summary(self, draw: Draw, *, dry_run: bool, existing: bool):
        if existing:
            self.stderr.write(f"{draw.quarter.slug} was already drawn with this seed; nothing changed.")
        else:
            drawn = draw.drawn_by_team
            for team, count in draw.open_by_team.items():
                self.stderr.write(
                    f"{team}: {count} open on {draw.sampling_date.isoformat()}, {drawn.get(team, 0)} drawn"
                )
            verb = "would be allocated (dry run, nothing written)" if dry_run else "allocated"
            loads: dict[str, int] = {}
            for user in draw.allocation.values():
                loads[display_name(user)] = loads.get(display_name(user), 0) + 1
            self.stderr.write(
                f"{len(draw.cases)} case(s) {verb}: " + ", ".join(f"{name} {n}" for name, n in sorted(loads.items()))
            )

    def _print(self, rows, format):
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_record(row) for row in rows)
