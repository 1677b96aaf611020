"""The committee pack of a published version: requesting it, building it (on Celery) and reusing it.

One pack per published version. Requesting a pack that is ready, or being built, changes nothing;
a failed pack, or one whose worker vanished (still "building" after ``conf.pack_stale_seconds``), is
queued again. Building reads only the frozen snapshot, so the files always match what was published,
and building twice for the same snapshot writes the same pack.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from perfsite.queue import enqueue_on_commit
from scorecards import conf
from scorecards.models import CommitteePack, PackStatus, PublishedScorecard

logger = logging.getLogger(__name__)


def pack_filename(scorecard: PublishedScorecard, extension: str) -> str:
    return f"children-scorecard-{scorecard.quarter}-v{scorecard.version}.{extension}"


def pack_meta(scorecard: PublishedScorecard) -> dict:
    """What the files say about the publication (no names: members download them)."""
    published = timezone.localtime(scorecard.published_at)
    return {
        "version": scorecard.version,
        "published_on": published.strftime("%-d %B %Y"),
        "sha256": scorecard.sha256,
        "amendments": [
            {"version": v.version, "published_on": timezone.localtime(v.published_at).strftime("%-d %B %Y"),
             "reason": v.reason, "changes": list(v.changes)}
            for v in PublishedScorecard.objects.for_quarter(scorecard.quarter)
            .filter(version__gt=1, version__lte=scorecard.version)
            .order_by("version")
            .only("version", "published_at", "reason", "changes")
        ],
    }  # fmt: skip


def _is_stale(pack: CommitteePack, now: datetime.datetime) -> bool:
    since = pack.started_at or pack.requested_at
    return pack.is_pending and (now - since).total_seconds() > conf.pack_stale_seconds()


def _files_exist(pack: CommitteePack) -> bool:
    return bool(
        pack.pdf and pack.xlsx and pack.pdf.storage.exists(pack.pdf.name) and pack.xlsx.storage.exists(pack.xlsx.name)
    )


def request_pack(*, scorecard: PublishedScorecard, user) -> tuple[CommitteePack, bool]:
    """The version's pack, queued for building unless it is ready or on its way. Returns (pack, queued)."""
    from scorecards.tasks import build_committee_pack

    now = timezone.now()
    with transaction.atomic():
        pack, created = CommitteePack.objects.select_for_update().get_or_create(
            scorecard=scorecard,
            defaults={"requested_by": user, "requested_at": now, "snapshot_sha256": scorecard.sha256},
        )
        if not created:
            if pack.status == PackStatus.READY and _files_exist(pack):
                return pack, False
            if pack.is_pending and not _is_stale(pack, now):
                return pack, False
            pack.status, pack.progress, pack.step, pack.error = PackStatus.QUEUED, 0, "", ""
            pack.requested_by, pack.requested_at, pack.started_at, pack.finished_at = user, now, None, None
            pack.save(update_fields=["status", "progress", "step", "error", "requested_by", "requested_at",
                                     "started_at", "finished_at"])  # fmt: skip
        pack_id = pack.pk
        enqueue_on_commit(build_committee_pack, pack_id)
    return pack, True


def _progress(pack: CommitteePack, progress: int, step: str, **fields) -> None:
    pack.progress, pack.step = progress, step
    for name, value in fields.items():
        setattr(pack, name, value)
    pack.save(update_fields=["progress", "step", *fields])


def build_pack(pack_id: int) -> str:
    """Build the PDF and XLSX of a queued pack; idempotent (a ready pack is left as it is)."""
    from scorecards.pack_pdf import render_pdf
    from scorecards.pack_xlsx import render_xlsx

    with transaction.atomic():
        pack = CommitteePack.objects.select_for_update().select_related("scorecard").filter(pk=pack_id).first()
        if pack is None:
            return "missing"
        if pack.status == PackStatus.READY and _files_exist(pack):
            return "ready"
        _progress(pack, 5, "Starting", status=PackStatus.BUILDING, started_at=timezone.now(), error="")
    scorecard = pack.scorecard
    try:
        meta = pack_meta(scorecard)
        _progress(pack, 15, "Writing the PDF")
        pdf = render_pdf(scorecard.snapshot, meta)
        _progress(pack, 60, "Writing the spreadsheet")
        xlsx = render_xlsx(scorecard.snapshot, meta)
        _progress(pack, 90, "Saving the files")
        if pack.pdf:
            pack.pdf.delete(save=False)
        if pack.xlsx:
            pack.xlsx.delete(save=False)
        pack.pdf.save(pack_filename(scorecard, "pdf"), ContentFile(pdf), save=False)
        pack.xlsx.save(pack_filename(scorecard, "xlsx"), ContentFile(xlsx), save=False)
        _progress(
            pack, 100, "Ready", status=PackStatus.READY, finished_at=timezone.now(), pdf=pack.pdf, xlsx=pack.xlsx,
            snapshot_sha256=scorecard.sha256,
        )  # fmt: skip
    except Exception as error:
        logger.exception("Committee pack %s failed", pack_id)
        _progress(pack, pack.progress, "Failed", status=PackStatus.FAILED, error=str(error)[:2000],
                  finished_at=timezone.now())  # fmt: skip
        return "failed"
    return "built"


def write_pack_files(*, scorecard: PublishedScorecard, directory) -> tuple:
    """Build both files synchronously into ``directory`` (``manage.py build_pack``); returns their paths."""
    from pathlib import Path

    from scorecards.pack_pdf import render_pdf
    from scorecards.pack_xlsx import render_xlsx

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    meta = pack_meta(scorecard)
    pdf_path = directory / pack_filename(scorecard, "pdf")
    xlsx_path = directory / pack_filename(scorecard, "xlsx")
    pdf_path.write_bytes(render_pdf(scorecard.snapshot, meta))
    xlsx_path.write_bytes(render_xlsx(scorecard.snapshot, meta))
    return pdf_path, xlsx_path
