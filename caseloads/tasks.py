"""Celery tasks for caseloads; their schedule is CELERY_BEAT_SCHEDULE in perfsite/settings.py."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def send_return_reminders(today: str | None = None) -> int:
    """Email managers whose return for last month is overdue. ``today`` (ISO date) is for reruns and tests."""
    from caseloads.services.reminders import send_due_reminders

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_due_reminders(today=day)
