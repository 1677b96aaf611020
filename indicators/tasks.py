"""Indicator background work: thin, idempotent tasks; their schedule is CELERY_BEAT_SCHEDULE in settings."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_overdue_performance_action_reminders() -> int:
    """Email owners of overdue performance actions, once per action per week. Returns how many were sent."""
    from indicators.actions.reminders import send_overdue_reminders

    return len(send_overdue_reminders())
