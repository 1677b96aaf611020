"""The monthly caseload return: one per team per month, one line per worker, draft -> submitted.

Every rule that can live in the database does (constraints below); the lifecycle is
declared in ``caseloads.lifecycle``; the optimistic lock lives in ``caseloads.services.returns``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Length, Trim
from django.db.models.lookups import GreaterThan
from simple_history.models import HistoricalRecords

from caseloads.lifecycle import RETURN_LIFECYCLE, ReturnStatus
from caseloads.models.staff import Employment, Team, Worker, WorkerRole
from perfsite.text_limits import REOPEN_REASON_MAX, length_at_most


class CaseType(models.TextChoices):
    """The case types of docs/domain.md ("Case-file audits"), for the optional split of a worker's cases."""

    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"


# The line's field for each case type, in CaseType order.
CASE_TYPE_FIELDS = {case_type: f"cases_{case_type}" for case_type in CaseType.values}


class CaseloadReturnQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ReturnStatus.SUBMITTED)

    def for_month(self, month):
        return self.filter(month=month)

    def visible_to(self, user):
        return self.filter(team__in=Team.objects.visible_to(user))


class CaseloadReturn(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="returns")
    month = models.DateField(help_text="The first day of the month the return is for.")
    status = models.CharField(max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one at every change; a save based on an older version is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(help_text="When the return or its lines last changed.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set at the first submission. From then on the return's workers are fixed: "
        "a reopened return corrects figures, it does not follow later moves between teams.",
    )

    objects = CaseloadReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "team__name"]
        # The roll-up's month picker walks the submitted months down this index, one probe a month
        # (caseloads.rollups.submitted_months), and a month's missing teams read that month's returns only.
        indexes = [
            models.Index(fields=["month"], condition=Q(status=ReturnStatus.SUBMITTED), name="caseload_submitted_month")
        ]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="caseload_return_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="caseload_return_month_is_first_day"),
            RETURN_LIFECYCLE.status_constraint("status", "caseload_return_status_known"),
            models.CheckConstraint(condition=Q(version__gte=1), name="caseload_return_version_positive"),
            models.CheckConstraint(
                condition=(Q(status=ReturnStatus.SUBMITTED) & Q(submitted_at__isnull=False))
                | (Q(status=ReturnStatus.DRAFT) & Q(submitted_at__isnull=True) & Q(submitted_by__isnull=True)),
                name="caseload_return_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status=ReturnStatus.DRAFT) | Q(first_submitted_at__isnull=False),
                name="caseload_return_submitted_once_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}, {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("caseloads:return", kwargs={"team_id": self.team_id, "month": self.month_slug})

    @property
    def is_submitted(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED

    @property
    def workers_fixed(self) -> bool:
        """True once the return has been submitted at least once (see ``first_submitted_at``)."""
        return self.first_submitted_at is not None

    @property
    def month_slug(self) -> str:
        return f"{self.month:%Y-%m}"


def _split_sum():
    total = None
    for field in CASE_TYPE_FIELDS.values():
        term = Coalesce(F(field), 0)
        total = term if total is None else total + term
    return total


class CaseloadLine(models.Model):
    """One worker on one return: their cases, and their role, employment and WTE as they were that month."""

    caseload_return = models.ForeignKey(CaseloadReturn, on_delete=models.CASCADE, related_name="lines")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="caseload_lines")
    role = models.CharField(max_length=30, choices=WorkerRole.choices)
    employment = models.CharField(max_length=20, choices=Employment.choices)
    wte = models.DecimalField("WTE", max_digits=3, decimal_places=2)
    cases = models.PositiveIntegerField(
        null=True, blank=True, help_text="Allocated cases at the end of the month; empty until entered."
    )
    cases_early_help = models.PositiveIntegerField("Early help cases", null=True, blank=True)
    cases_child_in_need = models.PositiveIntegerField("Child in need cases", null=True, blank=True)
    cases_child_protection = models.PositiveIntegerField("Child protection cases", null=True, blank=True)
    cases_looked_after = models.PositiveIntegerField("Looked after cases", null=True, blank=True)
    cases_care_leaver = models.PositiveIntegerField("Care leaver cases", null=True, blank=True)
    confirmed_implausible = models.BooleanField(
        default=False, help_text="The manager confirmed a figure that looked implausible (over 60, or a big change)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["caseload_return", "worker__name"]
        constraints = [
            models.UniqueConstraint(fields=["caseload_return", "worker"], name="caseload_line_one_per_worker"),
            models.CheckConstraint(
                condition=Q(wte__gte=Decimal("0.01")) & Q(wte__lte=Decimal("1.00")),
                name="caseload_line_wte_between_0_01_and_1",
            ),
            models.CheckConstraint(condition=Q(role__in=WorkerRole.values), name="caseload_line_role_known"),
            models.CheckConstraint(
                condition=Q(employment__in=Employment.values), name="caseload_line_employment_known"
            ),
            models.CheckConstraint(
                condition=Q(cases__isnull=True) | Q(cases__gte=0), name="caseload_line_cases_not_negative"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"caseload_line_{field}_not_negative",
                )
                for field in CASE_TYPE_FIELDS.values()
            ],
            # A split by case type is partial ("where known") but can never exceed the total.
            models.CheckConstraint(
                condition=(Q(cases__isnull=True) & Q(**{f"{f}__isnull": True for f in CASE_TYPE_FIELDS.values()}))
                | (Q(cases__isnull=False) & Q(cases__gte=_split_sum())),
                name="caseload_line_split_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name}: {self.cases if self.cases is not None else 'not entered'} cases"

    @property
    def split(self) -> dict[str, int | None]:
        return {case_type: getattr(self, field) for case_type, field in CASE_TYPE_FIELDS.items()}


class ReturnReopening(models.Model):
    """A performance officer reopened a submitted return: who, when and why."""

    caseload_return = models.ForeignKey(CaseloadReturn, on_delete=models.CASCADE, related_name="reopenings")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField()
    reason = models.TextField(max_length=REOPEN_REASON_MAX)

    class Meta:
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("reason")), 0), name="return_reopening_has_reason"
            ),
            length_at_most("reason", REOPEN_REASON_MAX, name="return_reopening_reason_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.caseload_return} reopened {self.reopened_at:%d %b %Y}"


class ReminderSent(models.Model):
    """One reminder email per manager per month: the record that makes the reminder task idempotent."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The month whose return was not submitted.")
    sent_at = models.DateTimeField()
    teams = models.TextField(help_text="The teams named in the email.")

    class Meta:
        ordering = ["-month", "manager__username"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "month"], name="caseload_reminder_once_per_manager_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="caseload_reminder_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.manager} for {self.month:%B %Y}"
