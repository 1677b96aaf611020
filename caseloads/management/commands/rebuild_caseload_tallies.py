"""Recount every caseload tally from the submitted returns' lines.

Run it after changing PERFSITE_CASELOAD_OPTIMUM or PERFSITE_CASELOAD_BANDS: until then the
roll-ups see tallies counted under the old settings and count from the lines instead (right,
but as slow as the history is long). Safe to run at any time; it changes no return.
"""

from django.core.management.base import BaseCommand

from caseloads.tallies import rebuild_tallies, tally_rules


class Command(BaseCommand):
    help = "Recount every caseload tally from the submitted returns (after changing the optimum or the bands)."

    def handle(self, *args, **options):
        count = rebuild_tallies()
        self.stdout.write(f"Recounted {count} caseload tallies ({tally_rules()}).")
