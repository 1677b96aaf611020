"""Count every audit into the roll-ups' and rounds' tallies again (after a restore or a bulk load by SQL)."""

from django.core.management.base import BaseCommand

from audits.models import AuditTally, RoundStatusTally, ThemeTally
from audits.round_tallies import rebuild_round_tallies
from audits.tallies import rebuild_all


class Command(BaseCommand):
    help = "Rewrite the audit tallies the roll-ups and rounds pages read from the audits themselves (safe any time)."

    def handle(self, *args, **options):
        rebuild_all()
        rebuild_round_tallies()
        self.stdout.write(
            f"Audit tallies rebuilt: {AuditTally.objects.count()} audit rows, {ThemeTally.objects.count()} theme rows, "
            f"{RoundStatusTally.objects.count()} round status rows."
        )
