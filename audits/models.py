"""Cases, audit rounds, audits with their theme grades, moderation and actions.

Status changes go through ``audits.lifecycle``; writes through ``audits.services``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from audits.choices import (
    COMPLETED_STATUSES,
    EDITABLE_STATUSES,
    GOOD_OR_ABOVE_MAX,
    AuditStatus,
    CaseType,
    Grade,
    RoundKind,
    Theme,
)
from audits.lifecycle import AUDIT_LIFECYCLE
from caseloads.models import Team, Worker
from indicators.quarters import Quarter
from perfsite.imports.batches import ImportBatchBase
from perfsite.roles import Role, has_role, is_performance_officer
from perfsite.text_limits import AUDIT_FINDING_MAX, AUDIT_NOTE_MAX, length_at_most

# A pseudonymised reference: letters, digits and hyphens only, so a name or a date of birth
# typed into the column by mistake is very unlikely to pass.
case_ref_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,29}$",
    "A case reference is 3 to 30 capital letters, digits and hyphens, like C-000123.",
)


def open_on_q(day: datetime.date) -> Q:
    """Cases open at the end of ``day``: opened on or before it and not closed by then."""
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


class CaseQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date):
        """Cases open at the end of ``day``: opened on or before it and not closed by then."""
        return self.filter(open_on_q(day))


class Case(models.Model):
    case_ref = models.CharField("case reference", max_length=30, unique=True, validators=[case_ref_validator])
    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name="allocated worker"
    )
    opened_on = models.DateField(null=True, blank=True, help_text="Empty only for cases known from historic results.")
    closed_on = models.DateField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["case_ref"]
        constraints = [
            models.CheckConstraint(condition=Q(case_type__in=CaseType.values), name="case_type_known"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.case_ref


class AuditRound(models.Model):
    kind = models.CharField(max_length=10, choices=RoundKind.choices)
    quarter = models.CharField(max_length=10, help_text="Like 2016-17-q4.")
    title = models.CharField(max_length=120, help_text='For a thematic round, its theme, such as "neglect".')
    rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Random rounds: the percentage of each team's open cases drawn.",
    )
    seed = models.BigIntegerField(null=True, blank=True, help_text="Random rounds: the seed that reproduces the draw.")
    sampling_date = models.DateField(null=True, blank=True, help_text="Cases open on this date were eligible.")
    selection = models.TextField(blank=True, help_text="How the cases were chosen, in words.")
    due_on = models.DateField(null=True, blank=True, help_text="When the auditors' audits are due.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-quarter", "kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RoundKind.values), name="round_kind_known"),
            # One random round and one set of imported results per quarter keeps draws and imports idempotent.
            models.UniqueConstraint(fields=["quarter"], condition=Q(kind="random"), name="one_random_round_a_quarter"),
            models.UniqueConstraint(
                fields=["quarter"], condition=Q(kind="historic"), name="one_historic_round_a_quarter"
            ),
            models.UniqueConstraint(fields=["quarter", "title"], name="round_title_unique_in_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.quarter})"

    @property
    def quarter_obj(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def display_name(self) -> str:
        """The round as people name it: "Random sample, Quarter 4 2016/17 (Jan - Mar 2017)".

        A random round's stored title repeats its kind and quarter slug (it keeps the title unique),
        so only a thematic round's title, its theme, is shown."""
        return f"{self.short_name}, {self.quarter_obj.label}"

    @property
    def short_name(self) -> str:
        """The round without its quarter, for tables that show the quarter beside it."""
        return f"Thematic: {self.title}" if self.kind == "thematic" else self.get_kind_display()


class AuditQuerySet(models.QuerySet):
    def with_agreed_grade(self):
        """The grade every roll-up uses: the moderator's where moderated, else the auditor's."""
        return self.annotate(agreed=Coalesce("moderation__grade", "overall_grade"))

    def completed(self):
        return self.filter(status__in=COMPLETED_STATUSES, overall_grade__isnull=False)

    def completed_in(self, quarter: Quarter):
        return self.completed().filter(completed_on__gte=quarter.start, completed_on__lte=quarter.end)

    def for_teams(self, teams):
        return self if teams is None else self.filter(team__in=teams)

    def visible_to(self, user):
        """Audits the user may read: officers all; auditors their own; managers their teams';
        moderators those sent to them."""
        if is_performance_officer(user):
            return self
        scope = Q(pk__in=[])
        if has_role(user, Role.AUDITOR):
            scope |= Q(auditor=user)
        if has_role(user, Role.TEAM_MANAGER):
            scope |= Q(team__managers=user)
        if has_role(user, Role.MODERATOR):
            scope |= Q(moderation__moderator=user)
        return self.filter(scope).distinct()


class Audit(models.Model):
    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="audits")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audits")
    # The case's team and type when it was audited: roll-ups stay put if the case later moves.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="audits")
    case_type = models.CharField(max_length=20, choices=CaseType.choices)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_audits",
        help_text="Empty only for imported historic results.",
    )
    status = models.CharField(max_length=12, choices=AuditStatus.choices, default=AuditStatus.ALLOCATED)
    due_on = models.DateField(null=True, blank=True)
    overall_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    grade_reason = models.TextField(
        "reason for the overall grade",
        blank=True,
        max_length=AUDIT_FINDING_MAX,
        help_text="Needed when the overall grade is Good or better although a theme is Inadequate.",
    )
    strengths = models.TextField(blank=True, max_length=AUDIT_FINDING_MAX)
    areas_for_development = models.TextField(blank=True, max_length=AUDIT_FINDING_MAX)
    allocated_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True, help_text="The quarter an audit counts in is this date's.")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "case__case_ref"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], name="audit_case_once_a_round"),
            AUDIT_LIFECYCLE.status_constraint("status", "audit_status_known"),
            # An audit still with its auditor counts in no quarter: submitting sets these, returning clears them.
            models.CheckConstraint(
                condition=~Q(status__in=EDITABLE_STATUSES) | Q(submitted_at__isnull=True, completed_on__isnull=True),
                name="audit_unfinished_not_completed",
            ),
            models.CheckConstraint(
                condition=Q(overall_grade__isnull=True) | Q(overall_grade__gte=1, overall_grade__lte=4),
                name="audit_overall_grade_1_to_4",
            ),
            length_at_most("grade_reason", AUDIT_FINDING_MAX, name="audit_grade_reason_bounded"),
            length_at_most("strengths", AUDIT_FINDING_MAX, name="audit_strengths_bounded"),
            length_at_most("areas_for_development", AUDIT_FINDING_MAX, name="audit_areas_for_development_bounded"),
        ]
        indexes = [
            models.Index(fields=["completed_on", "status"]),
            # The auditor's worklist, each list in its own order: a page of 50 reads its rows in index
            # order and counts them from the index, instead of joining and sorting a whole history.
            models.Index(
                fields=["auditor", "due_on"], condition=Q(status__in=EDITABLE_STATUSES), name="audit_to_do_by_due"
            ),
            models.Index(
                fields=["auditor", "completed_on"],
                condition=~Q(status__in=EDITABLE_STATUSES),
                name="audit_done_by_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.case.case_ref} ({self.round.quarter})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def agreed_grade(self) -> int | None:
        moderation = getattr(self, "moderation", None)
        if moderation is not None and moderation.grade is not None:
            return moderation.grade
        return self.overall_grade

    @property
    def agreed_grade_label(self) -> str:
        grade = self.agreed_grade
        return Grade(grade).label if grade else ""

    @property
    def is_good_or_above(self) -> bool:
        grade = self.agreed_grade
        return grade is not None and grade <= GOOD_OR_ABOVE_MAX


class ThemeGrade(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="theme_grades")
    theme = models.CharField(max_length=30, choices=Theme.choices)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    evidence = models.TextField(blank=True, max_length=AUDIT_FINDING_MAX)

    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "theme"]
        constraints = [
            length_at_most("evidence", AUDIT_FINDING_MAX, name="theme_grade_evidence_bounded"),
            models.UniqueConstraint(fields=["audit", "theme"], name="theme_graded_once_an_audit"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="theme_known"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=4), name="theme_grade_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}: {self.get_grade_display() or 'not graded'}"


class Moderation(models.Model):
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="moderations"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    grade = models.PositiveSmallIntegerField("moderated grade", choices=Grade.choices, null=True, blank=True)
    rationale = models.TextField(blank=True, max_length=AUDIT_FINDING_MAX)
    moderated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=4), name="moderated_grade_1_to_4"
            ),
            length_at_most("rationale", AUDIT_FINDING_MAX, name="moderation_rationale_bounded"),
        ]

    def __str__(self) -> str:
        return f"Moderation of {self.audit_id}"

    @property
    def is_pending(self) -> bool:
        return self.grade is None

    @property
    def agrees(self) -> bool | None:
        if self.grade is None:
            return None
        return self.grade == self.audit.overall_grade


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)

    def visible_to(self, user):
        """Officers see every action; others the ones they own, raised in their audits or in their teams."""
        if is_performance_officer(user):
            return self
        scope = Q(owner=user) | Q(audit__auditor=user)
        if has_role(user, Role.TEAM_MANAGER):
            scope |= Q(audit__team__managers=user)
        return self.filter(scope).distinct()


class AuditAction(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("what needs to happen", max_length=AUDIT_NOTE_MAX)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions")
    due_on = models.DateField("due date")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [length_at_most("description", AUDIT_NOTE_MAX, name="audit_action_description_bounded")]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.closed_at is None and self.due_on < today


class ActionReminder(models.Model):
    """One weekly email to one owner; the unique week keeps the beat task idempotent."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField(help_text="The Monday of the week the reminder covers.")
    sent_at = models.DateTimeField()
    recipient = models.EmailField()
    actions = models.ManyToManyField(AuditAction, related_name="reminders")

    class Meta:
        ordering = ["-week_starting", "owner"]
        constraints = [models.UniqueConstraint(fields=["owner", "week_starting"], name="one_reminder_a_week")]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient} for week of {self.week_starting}"


class AuditImportKind(models.TextChoices):
    CASES = "cases", "Case list"
    RESULTS = "audit_results", "Historic audit results"


class AuditImportBatch(ImportBatchBase):
    """The case list or historic results uploaded through the web (``perfsite.imports.batches``)."""

    kind = models.CharField(max_length=20, choices=AuditImportKind.choices)

    class Meta(ImportBatchBase.Meta):
        verbose_name = "audit import batch"
        verbose_name_plural = "audit import batches"


# The roll-ups' pre-aggregated counts and the random rounds' frozen populations live in their own
# modules; importing them here registers them.
from audits.population_models import RoundPopulation  # noqa: E402, F401
from audits.tally_models import AuditTally, RoundStatusTally, ThemeTally  # noqa: E402, F401
