"""Pre-aggregated caseload figures: one row per submitted return, so roll-ups read one row per team per month.

A tally holds a submitted return's figures under the counting rules (``caseloads.counting``):
every figure the roll-ups show is a sum or a count of these, so any group of teams or months is
the sum of its tallies. The rows are written only by ``caseloads.tallies`` (called in the same
transaction by every service that changes a submitted return or its lines); nothing else may
write them. ``rules`` names the optimum and band bounds the row was counted under: a row counted
under other settings is stale, and the roll-ups then count from the lines until
``manage.py rebuild_caseload_tallies`` is run.
"""

from __future__ import annotations

from django.db import models

from caseloads.conf import MAX_BANDS
from caseloads.models.returns import CaseloadReturn
from caseloads.models.staff import Team

# One column per band, in order; PERFSITE_CASELOAD_BANDS may name up to MAX_BANDS - 1 bounds (caseloads.conf).
BAND_FIELDS = tuple(f"band_{index}" for index in range(MAX_BANDS))


class CaseloadTally(models.Model):
    caseload_return = models.OneToOneField(CaseloadReturn, on_delete=models.CASCADE, related_name="tally")
    # The return's team and month, copied so the roll-ups group and filter without joining returns.
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    rules = models.CharField(max_length=200, help_text="The optimum and band bounds the figures were counted under.")
    counted_staff = models.PositiveIntegerField()
    excluded_staff = models.PositiveIntegerField()
    counted_wte_hundredths = models.PositiveIntegerField(help_text="Counted WTE in whole hundredths (exact).")
    counted_cases = models.PositiveIntegerField()
    over_optimum = models.PositiveIntegerField(help_text="Counted staff strictly above the optimum per WTE.")
    # Bands beyond the configured ones stay 0 (the refresh inserts only the configured ones).
    band_0 = models.PositiveIntegerField(db_default=0)
    band_1 = models.PositiveIntegerField(db_default=0)
    band_2 = models.PositiveIntegerField(db_default=0)
    band_3 = models.PositiveIntegerField(db_default=0)
    band_4 = models.PositiveIntegerField(db_default=0)
    band_5 = models.PositiveIntegerField(db_default=0)
    band_6 = models.PositiveIntegerField(db_default=0)
    band_7 = models.PositiveIntegerField(db_default=0)
    band_8 = models.PositiveIntegerField(db_default=0)
    band_9 = models.PositiveIntegerField(db_default=0)
    band_10 = models.PositiveIntegerField(db_default=0)
    band_11 = models.PositiveIntegerField(db_default=0)

    class Meta:
        ordering = ["-month", "team__name"]
        constraints = [
            # Month first: every roll-up filters on a month or a range of months.
            models.UniqueConstraint(fields=["month", "team"], name="caseload_tally_one_per_month_team"),
        ]

    def __str__(self) -> str:
        return f"Tally of {self.caseload_return_id} ({self.month:%b %Y})"


assert all(hasattr(CaseloadTally, name) for name in BAND_FIELDS), "a column for every band caseloads.conf allows"
