"""Celery tasks for caseloads. The lead merges ``BEAT_SCHEDULE`` into CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

import datetime

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

BEAT_SCHEDULE = {
    # Every weekday morning; the task itself decides whether the 5th working day has come and
    # sends each manager at most one reminder a month, so extra or missed runs are harmless.
    "caseloads-return-reminders": {
        "task": "caseloads.tasks.send_return_reminders",
        "schedule": crontab(hour=9, minute=30, day_of_week="mon-fri"),
    },
}


@shared_task
def send_return_reminders(today: str | None = None) -> int:
    """Email managers whose return for last month is overdue. ``today`` (ISO date) is for reruns and tests."""
    from caseloads.services.reminders import send_due_reminders

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_due_reminders(today=day)
