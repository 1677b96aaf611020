"""Teams and workers: who holds cases, in which team, at what role, employment and WTE.

Audits read Team and Worker from here (docs/decisions/0001: audits -> caseloads -> indicators).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from caseloads.months import month_end
from perfsite.roles import Role, has_role, is_performance_officer


class ServiceArea(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Assessment"
    SAFEGUARDING = "safeguarding", "Safeguarding and child protection"
    LOOKED_AFTER = "looked_after", "Looked after children"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    DISABILITY = "disability", "Children with disabilities"


class TeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def managed_by(self, user):
        return self.filter(managers=user)

    def visible_to(self, user):
        """Performance officers see every team; team managers the teams they manage; others none."""
        if is_performance_officer(user):
            return self.all()
        if user.is_authenticated and has_role(user, Role.TEAM_MANAGER):
            return self.managed_by(user)
        return self.none()


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True)
    active = models.BooleanField(default=True)

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    CONSULTANT_SOCIAL_WORKER = "consultant_social_worker", "Consultant social worker"
    ASYE = "asye", "ASYE (assessed and supported year in employment)"
    STUDENT = "student", "Student"


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


class WorkerQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=day)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def active_in_month(self, month):
        """Workers in post on the month's last day: a return is a snapshot at the end of the month."""
        return self.active_on(month_end(month))

    def visible_to(self, user):
        return self.filter(team__in=Team.objects.visible_to(user))


class Worker(models.Model):
    name = models.CharField(max_length=120)
    staff_number = models.CharField(max_length=30, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="workers")
    role = models.CharField(max_length=30, choices=WorkerRole.choices)
    employment = models.CharField(max_length=20, choices=Employment.choices, default=Employment.PERMANENT)
    wte = models.DecimalField("WTE", max_digits=3, decimal_places=2, help_text="Whole-time equivalent, 0.01 to 1.00")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
        help_text="The sign-in account of this worker, if they have one.",
    )

    objects = WorkerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wte__gte=Decimal("0.01")) & Q(wte__lte=Decimal("1.00")),
                name="worker_wte_between_0_01_and_1",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="worker_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(role__in=WorkerRole.values), name="worker_role_known"),
            models.CheckConstraint(condition=Q(employment__in=Employment.values), name="worker_employment_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.ended_on is None or self.ended_on >= timezone.localdate()
