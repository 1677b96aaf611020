"""Indicator background work: thin, idempotent tasks; their schedule is CELERY_BEAT_SCHEDULE in settings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from celery import shared_task

from indicators.computed import recompute
from perfsite.queue import enqueue_on_commit


@shared_task(name="indicators.tasks.recompute_computed_indicators")
def recompute_computed_indicators(codes: list[str] | None = None, days: list[str] | None = None) -> dict:
    """Recompute computed indicators (``codes``, every one when None) for the periods of ``days``
    (ISO dates; every period when None, as the nightly run does). Idempotent, safe to retry."""
    return recompute(
        codes=codes,
        days=None if days is None else [datetime.date.fromisoformat(day) for day in days],
    )


def queue_recompute(*, codes: Iterable[str], days: Iterable[datetime.date | None]) -> None:
    """Queue the recompute of the periods of ``days`` once the current transaction commits.

    Called by the services that change a source's records; None days (an audit not completed) are
    skipped. A rolled-back change queues nothing, and a broker that is down is logged, not raised: the
    change is saved, and the nightly run catches the figures up (``perfsite.queue``).
    """
    wanted = sorted({day.isoformat() for day in days if day is not None})
    if wanted:
        enqueue_on_commit(recompute_computed_indicators, list(codes), wanted)


@shared_task
def send_overdue_performance_action_reminders() -> int:
    """Email owners of overdue performance actions, once per action per week. Returns how many were sent."""
    from indicators.actions.reminders import send_overdue_reminders

    return len(send_overdue_reminders())
