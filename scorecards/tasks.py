"""Celery tasks of the scorecards app; their schedule is CELERY_BEAT_SCHEDULE in settings.

The computed indicators the scorecard rates are recomputed by ``indicators.tasks`` (see indicators.computed).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="scorecards.tasks.build_committee_pack")
def build_committee_pack(pack_id: int) -> str:
    """Build a committee pack's PDF and XLSX from its frozen snapshot (idempotent)."""
    from scorecards.packs import build_pack

    return build_pack(pack_id)
