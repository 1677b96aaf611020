"""A random round's population, frozen when the round is drawn: one row per dimension and stratum.

Imported by ``audits.models`` so Django registers it with the audits app. ``audits.population`` writes
the rows in the transaction that draws the round (and the migration that introduced them wrote them
for the rounds drawn before); the sample check reads them instead of counting the case list again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from audits.choices import PopulationDimension


class RoundPopulation(models.Model):
    """The cases open on a random round's sampling date in one stratum, and how many of them were drawn,
    as the case list stood when they were counted: a later correction to a case does not move them."""

    round = models.ForeignKey("audits.AuditRound", on_delete=models.CASCADE, related_name="population")
    dimension = models.CharField(max_length=10, choices=PopulationDimension.choices)
    stratum = models.CharField(
        max_length=120, help_text="The team's name, the case type or the time-open band, as at the count."
    )
    open_cases = models.PositiveIntegerField(help_text="Cases open on the sampling date in this stratum.")
    sampled = models.PositiveIntegerField(help_text="Of those, the cases drawn into the round.")
    counted_at = models.DateTimeField(help_text="When the case list was counted: the draw, or the migration.")

    class Meta:
        ordering = ["round", "dimension", "stratum"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dimension", "stratum"], name="population_stratum_once"),
            models.CheckConstraint(condition=Q(dimension__in=PopulationDimension.values), name="population_dimension"),
            models.CheckConstraint(condition=Q(sampled__lte=models.F("open_cases")), name="sampled_le_open_cases"),
        ]

    def __str__(self) -> str:
        return f"Round {self.round_id} {self.dimension} {self.stratum}: {self.sampled} of {self.open_cases}"
