"""Count every completed audit into the roll-ups' tallies again (after a restore or a bulk load by SQL)."""

from django.core.management.base import BaseCommand

from audits.models import AuditTally, ThemeTally
from audits.tallies import rebuild_all


class Command(BaseCommand):
    help = "Rewrite the audit tallies the roll-ups read from the audits themselves (safe to run any time)."

    def handle(self, *args, **options):
        rebuild_all()
        self.stdout.write(
            f"Audit tallies rebuilt: {AuditTally.objects.count()} audit rows, {ThemeTally.objects.count()} theme rows."
        )
