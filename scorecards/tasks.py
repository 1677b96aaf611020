"""Celery tasks of the scorecards app; their schedule is CELERY_BEAT_SCHEDULE in settings.

The computed-indicator tasks live with the figures they compute (``caseloads.computed``,
``audits.computed``); the nightly recompute here catches up any change whose signal was missed.
"""

from __future__ import annotations

from celery import shared_task

from scorecards.packs import BUILD_TASK, build_pack


# acks_late + reject_on_worker_lost: a build whose worker dies is handed back to the broker and
# redelivered (after the visibility timeout if the whole worker died), and build_pack resumes it.
@shared_task(bind=True, name=BUILD_TASK, acks_late=True, reject_on_worker_lost=True)
def build_committee_pack(self, pack_id: int) -> str:
    """Build a committee pack's PDF and XLSX from its frozen snapshot (idempotent)."""
    return build_pack(pack_id, task_id=self.request.id or "", heartbeat=not self.request.is_eager)


@shared_task(name="scorecards.tasks.recompute_computed_indicators")
def recompute_computed_indicators() -> dict:
    """Recompute every computed indicator from audits and caseloads (nightly; idempotent)."""
    from audits.computed import recompute_all_audit_indicators
    from caseloads.computed import recompute_all_caseload_indicators

    return {
        "caseloads": recompute_all_caseload_indicators(),
        "audits": recompute_all_audit_indicators(),
    }
