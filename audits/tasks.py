"""Audit background work: thin, idempotent tasks; their schedule is CELERY_BEAT_SCHEDULE in settings."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_overdue_action_reminders() -> int:
    """Email owners of overdue audit actions, at most once a week each. Returns how many were sent."""
    from audits.services.actions import send_overdue_reminders

    return len(send_overdue_reminders())


@shared_task(name="audits.tasks.apply_retention")
def apply_retention() -> dict:
    """Delete closed cases past retention with their audits and history (nightly; idempotent). Counts only."""
    from audits.retention import apply_retention as apply

    report = apply()
    return {"records": report.records, "history": report.history}
