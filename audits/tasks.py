"""Audit background work: thin, idempotent tasks; their schedule is CELERY_BEAT_SCHEDULE in settings."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_overdue_action_reminders() -> int:
    """Email owners of overdue audit actions, at most once a week each. Returns how many were sent."""
    from audits.services.actions import send_overdue_reminders

    return len(send_overdue_reminders())
