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


@shared_task
def rebuild_stale_tallies() -> int:
    """Recount the caseload tallies when the optimum or the bands changed since they were counted.

    Until then every roll-up counts from the lines (exact, but slow at millions of lines), so the
    night after a settings change puts the roll-ups back on the tallies without an operator's
    ``rebuild_caseload_tallies``. Returns how many tallies were recounted (0 when none was stale).
    """
    from caseloads.tallies import rebuild_tallies, stale_tallies

    return rebuild_tallies() if stale_tallies() else 0
