"""Pre-aggregated audit counts: one row per quarter, round, team and case type (and theme).

Imported by ``audits.models`` so Django registers them with the audits app. The roll-ups read these
rows instead of the audits, so a results page costs the same whatever the history behind it. They are
derived data: ``audits.tallies.refresh_quarters`` rewrites a quarter's rows from the audits, inside the
transaction of every write that changes a completed audit, and ``manage.py rebuild_audit_tallies``
rewrites them all. Nothing else writes them.

A quarter is kept as its first day: financial quarters start on 1 April, 1 July, 1 October and
1 January, the calendar quarters' first days, so the database's own truncation to the quarter names it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from audits.choices import AuditStatus, CaseType, RoundKind, Theme
from caseloads.models import Team

GRADE_COLUMNS = ("outstanding", "good", "requires_improvement", "inadequate")


class GradeTally(models.Model):
    """A count per agreed grade (``GRADE_KEYS``' names, so a row reads like a roll-up's ``by_grade``)."""

    quarter_start = models.DateField(help_text="The first day of the quarter the audits were completed in.")
    # Kept by round so thematic rounds can be told apart; the kind is copied so filters need no join.
    round = models.ForeignKey("audits.AuditRound", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=RoundKind.choices)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    outstanding = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    requires_improvement = models.PositiveIntegerField(default=0)
    inadequate = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class AuditTally(GradeTally):
    """Completed audits by agreed grade (the moderator's where moderated, else the auditor's)."""

    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    moderated = models.PositiveIntegerField(default=0, help_text="Audits with a moderator's grade.")
    agreed_by_moderator = models.PositiveIntegerField(
        default=0, help_text="Moderated audits whose moderator gave the auditor's grade."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quarter_start", "round", "team", "case_type"], name="audit_tally_one_row_a_group"
            ),
            models.CheckConstraint(
                condition=Q(agreed_by_moderator__lte=models.F("moderated")), name="agreed_le_moderated"
            ),
        ]

    def __str__(self) -> str:
        return f"Audits {self.quarter_start} round {self.round_id} team {self.team_id} {self.case_type}"


class ThemeTally(GradeTally):
    """The auditors' theme grades of completed audits, by grade (moderators re-grade only the whole)."""

    theme = models.CharField(max_length=30, choices=Theme.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quarter_start", "round", "team", "theme"], name="theme_tally_one_row_a_group"
            ),
        ]

    def __str__(self) -> str:
        return f"Theme {self.theme} {self.quarter_start} round {self.round_id} team {self.team_id}"


class RoundStatusTally(models.Model):
    """How many of a round's audits are in each status, and how many of those were sent for moderation.

    The rounds pages read a round's progress from these few rows instead of counting its audits, so they
    cost the same at 50 or 50,000 audits a round. Derived data, kept by ``audits.round_tallies``: a move
    of one audit adds and takes one, a bulk write counts its rounds again."""

    round = models.ForeignKey("audits.AuditRound", on_delete=models.CASCADE, related_name="status_tallies")
    status = models.CharField(max_length=12, choices=AuditStatus.choices)
    audits = models.PositiveIntegerField(default=0)
    sent_for_moderation = models.PositiveIntegerField(default=0, help_text="Of these audits, those with a moderation.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "status"], name="round_status_tally_one_row_a_status"),
            models.CheckConstraint(
                condition=Q(sent_for_moderation__lte=models.F("audits")), name="round_status_sent_le_audits"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.round_id}: {self.audits} {self.status}"
