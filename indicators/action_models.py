"""A performance action on an indicator in a quarter, its dated progress notes and its weekly reminders.

Imported by ``indicators.models`` so Django registers them with the indicators app. Status changes go
through ``ACTION_LIFECYCLE`` (the shared pattern of ``perfsite.lifecycle``); writes through
``indicators.actions.services``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from perfsite.lifecycle import Lifecycle


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

ACTION_LIFECYCLE = Lifecycle(
    "performance action",
    ActionStatus,
    {
        "start": ({ActionStatus.PLANNED}, ActionStatus.IN_PROGRESS),
        "complete": ({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}, ActionStatus.DONE),
        "drop": ({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}, ActionStatus.DROPPED),
        "reopen": ({ActionStatus.DONE, ActionStatus.DROPPED}, ActionStatus.IN_PROGRESS),
    },
)
TRANSITION_LABELS = {
    "start": "Start: it is in progress",
    "complete": "Done",
    "drop": "Drop it (give the reason)",
    "reopen": "Reopen it",
}


class PerformanceActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        return self.open().filter(due_on__lt=today)


class PerformanceAction(models.Model):
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="actions")
    quarter = models.CharField(max_length=10, help_text="The quarter whose performance it answers, like 2016-17-q4.")
    description = models.TextField("what will be done", max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="performance_actions",
        help_text="The person who answers for it; they are reminded when it is overdue.",
    )
    owner_service = models.CharField(
        "owning service",
        max_length=120,
        blank=True,
        help_text="The named service that answers for it. Members see this, never a person's name.",
    )
    due_on = models.DateField("due date")
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    dropped_reason = models.TextField("why it was dropped", max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PerformanceActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            ACTION_LIFECYCLE.status_constraint("status", "performance_action_status_known"),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_service=""), name="performance_action_has_an_owner"
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DROPPED) | ~Q(dropped_reason=""),
                name="performance_action_dropped_with_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["quarter", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today

    def public_owner(self, indicator_owner: str = "") -> str:
        """Who answers for it, as members may read it: the service, never a person."""
        return self.owner_service or indicator_owner or "Children's services"


class ActionNote(models.Model):
    """A dated progress note."""

    action = models.ForeignKey(PerformanceAction, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField("date of the note")
    text = models.TextField("progress", max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.written_on}: {self.text[:40]}"


class PerformanceActionReminder(models.Model):
    """One reminder about one overdue action in one week; the unique week keeps the task idempotent."""

    action = models.ForeignKey(PerformanceAction, on_delete=models.CASCADE, related_name="reminders")
    week_starting = models.DateField(help_text="The Monday of the week the reminder covers.")
    sent_at = models.DateTimeField()
    recipient = models.EmailField()

    class Meta:
        ordering = ["-week_starting", "action"]
        constraints = [
            models.UniqueConstraint(fields=["action", "week_starting"], name="one_action_reminder_a_week"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient} for week of {self.week_starting}"
