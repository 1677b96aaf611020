"""Indicator background work: thin, idempotent tasks; their schedule is CELERY_BEAT_SCHEDULE in settings."""

from __future__ import annotations

import datetime

from celery import shared_task


@shared_task(name="indicators.tasks.recompute_computed_indicators")
def recompute_computed_indicators(codes: list[str] | None = None, days: list[str] | None = None) -> dict:
    """Recompute computed indicators (``codes``, every one when None) for the periods of ``days``
    (ISO dates; every period when None, as the nightly run does). Idempotent, safe to retry."""
    from indicators.computed import recompute

    return recompute(
        codes=codes,
        days=None if days is None else [datetime.date.fromisoformat(day) for day in days],
    )
