"""Celery tasks of the scorecards app; their schedule is CELERY_BEAT_SCHEDULE in settings.

The computed indicators the scorecard rates are recomputed by ``indicators.tasks`` (see indicators.computed).
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


@shared_task(name="scorecards.warm_published_scorecard")
def warm_published_scorecard(scorecard_id: int) -> int:
    """Render a just-published version's pages into the cache, so its first reader does not wait
    (idempotent: a part is the same whenever it is rendered)."""
    from scorecards.frozen import warm

    return warm(scorecard_id)
