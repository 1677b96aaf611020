"""Celery tasks of the scorecards app; their schedule is CELERY_BEAT_SCHEDULE in settings.

The computed-indicator tasks live with the figures they compute (``caseloads.computed``,
``audits.computed``); the nightly recompute here catches up any change whose signal was missed.
"""

from __future__ import annotations

from celery import shared_task


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
