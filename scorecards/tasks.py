"""Celery tasks of the scorecards app, and the beat entries the lead merges into CELERY_BEAT_SCHEDULE.

The computed-indicator tasks live with the figures they compute (``caseloads.computed``,
``audits.computed``); the nightly entry below names them so a missed signal is caught up overnight.
"""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab


@shared_task(name="scorecards.tasks.build_committee_pack")
def build_committee_pack(pack_id: int) -> str:
    """Build a committee pack's PDF and XLSX from its frozen snapshot (idempotent)."""
    from scorecards.packs import build_pack

    return build_pack(pack_id)


@shared_task(name="scorecards.tasks.recompute_computed_indicators")
def recompute_computed_indicators() -> dict:
    """Recompute every computed indicator from audits and caseloads (nightly; idempotent)."""
    from audits.computed import recompute_all_audit_indicators
    from caseloads.computed import recompute_all_caseload_indicators

    return {
        "caseloads": recompute_all_caseload_indicators(),
        "audits": recompute_all_audit_indicators(),
    }


BEAT_SCHEDULE = {
    "scorecards-recompute-computed-indicators": {
        "task": "scorecards.tasks.recompute_computed_indicators",
        "schedule": crontab(hour=2, minute=15),
    },
}
