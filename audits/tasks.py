"""Audit background work. Thin, idempotent tasks; the lead merges BEAT_SCHEDULE into settings."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab


@shared_task
def send_overdue_action_reminders() -> int:
    """Email owners of overdue audit actions, at most once a week each. Returns how many were sent."""
    from audits.services.actions import send_overdue_reminders

    return len(send_overdue_reminders())


BEAT_SCHEDULE = {
    "audits-overdue-action-reminders": {
        "task": "audits.tasks.send_overdue_action_reminders",
        # Monday 07:30, Europe/London: owners start the week knowing what is overdue.
        "schedule": crontab(minute=30, hour=7, day_of_week="mon"),
    },
}
