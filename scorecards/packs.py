"""The committee pack of a published version: requesting it, building it (on Celery) and reusing it.

One pack per published version, moved only through ``PACK_LIFECYCLE`` (queued -> building ->
ready | failed). Requesting a pack that is ready, or being built by a live worker, changes nothing;
a failed pack, a ready one whose files have gone, or one whose build stopped answering (no heartbeat
for ``PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS``) is queued again. Building reads only the frozen
snapshot, so the files always match what was published, and building twice for the same snapshot
writes the same pack. The files are written atomically (``scorecards.pack_files``).

The Celery task (``scorecards.tasks``) only passes ids to ``build_pack``; this module sends it by
name, so the two modules do not import each other.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import uuid

from celery import current_app
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from perfsite.queue import enqueue_on_commit
from scorecards.models import PACK_LIFECYCLE, CommitteePack, PackStatus, PublishedScorecard, pack_upload_to
from scorecards.pack_files import save_to_storage, sweep_partial_files, write_atomically

logger = logging.getLogger(__name__)

BUILD_TASK = "scorecards.tasks.build_committee_pack"
LOST_MESSAGE = "The worker building the pack stopped answering, so the build was abandoned."


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


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS)


def pack_is_lost(pack: CommitteePack, now: datetime.datetime | None = None) -> bool:
    """A pending pack nobody is working on: building without a recent heartbeat, or never picked up."""
    if not pack.is_pending:
        return False
    now = now or timezone.now()
    last_sign = pack.heartbeat_at or pack.started_at or pack.requested_at
    return now - last_sign > heartbeat_timeout()


def _files_exist(pack: CommitteePack) -> bool:
    return bool(
        pack.pdf and pack.xlsx and pack.pdf.storage.exists(pack.pdf.name) and pack.xlsx.storage.exists(pack.xlsx.name)
    )


def _move(pack: CommitteePack, transition: str, **fields) -> None:
    """The one way a pack's status changes: through the lifecycle table, saved with ``fields``."""
    pack.status = PACK_LIFECYCLE.next_status(transition, pack.status)
    for name, value in fields.items():
        setattr(pack, name, value)
    pack.save(update_fields=["status", *fields])


def request_pack(*, scorecard: PublishedScorecard, user) -> tuple[CommitteePack, bool]:
    """The version's pack, queued for building unless it is ready or on its way. Returns (pack, queued)."""
    now = timezone.now()
    with transaction.atomic():
        pack, created = CommitteePack.objects.select_for_update().get_or_create(
            scorecard=scorecard,
            defaults={"requested_by": user, "requested_at": now, "snapshot_sha256": scorecard.sha256},
        )
        if not created:
            if pack.status == PackStatus.READY:
                if _files_exist(pack):
                    return pack, False
                transition = "rebuild"
            elif pack.is_pending:
                if not pack_is_lost(pack, now):
                    return pack, False
                _move(pack, "lose", error=LOST_MESSAGE, finished_at=now)
                transition = "retry"
            else:
                transition = "retry"
            _move(
                pack, transition, progress=0, step="", error="", requested_by=user, requested_at=now,
                started_at=None, finished_at=None, heartbeat_at=None, task_id="",
            )  # fmt: skip
        pack_id = pack.pk
        # By name: the task is registered when the app is ready (ScorecardsConfig.ready). A broker that
        # does not take it leaves the pack queued; it shows as stopped after the heartbeat timeout.
        enqueue_on_commit(current_app.tasks[BUILD_TASK], pack_id)
    return pack, True


class Superseded(Exception):
    """Another build took the pack over (this one was presumed dead); this one stops quietly."""


def _progress(pack_id: int, builder: str, progress: int, step: str) -> None:
    """Report progress, which is also a heartbeat; refuses if another build has taken the pack over."""
    updated = CommitteePack.objects.filter(pk=pack_id, status=PackStatus.BUILDING, task_id=builder).update(
        progress=progress, step=step, heartbeat_at=timezone.now()
    )
    if not updated:
        raise Superseded


@contextlib.contextmanager
def _heartbeat(pack_id: int, builder: str, *, enabled: bool):
    """Beat every quarter of the timeout while a long step (rendering the PDF) runs.

    The beat dies with the worker process, which is how a killed build is told from a slow one.
    """
    if not enabled:
        yield
        return
    stop = threading.Event()
    interval = max(1.0, settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS / 4)

    def beat():
        try:
            while not stop.wait(interval):
                CommitteePack.objects.filter(pk=pack_id, status=PackStatus.BUILDING, task_id=builder).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a missed beat only makes the build look stale sooner; never fail it
            logger.exception("Committee pack %s: heartbeat failed", pack_id)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"pack-{pack_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def _claim(pack_id: int, builder: str) -> tuple[CommitteePack | None, str]:
    """Take the pack for this build, or say why not ("missing", "ready", "failed", "busy")."""
    now = timezone.now()
    with transaction.atomic():
        pack = CommitteePack.objects.select_for_update().select_related("scorecard").filter(pk=pack_id).first()
        if pack is None:
            return None, "missing"
        if pack.status in (PackStatus.READY, PackStatus.FAILED):
            return None, pack.status  # ready, or abandoned until someone asks again
        if pack.status == PackStatus.QUEUED:
            transition = "start"
        elif pack.task_id == builder or pack_is_lost(pack, now):
            # Our own task redelivered (its worker died: acks_late), or a build nobody is doing.
            transition = "resume"
        else:
            return None, "busy"
        _move(pack, transition, task_id=builder, progress=5, step="Starting", started_at=now, heartbeat_at=now,
              error="")  # fmt: skip
    return pack, "claimed"


def build_pack(pack_id: int, *, task_id: str = "", heartbeat: bool = False) -> str:
    """Build the PDF and XLSX of a queued pack; idempotent (a ready pack is left as it is).

    ``task_id`` identifies the build (a redelivered task carries the same one); ``heartbeat`` beats
    from a background thread while the files render (on a worker; not when run in-process).
    """
    from scorecards.pack_pdf import render_pdf
    from scorecards.pack_xlsx import render_xlsx

    builder = task_id or uuid.uuid4().hex
    pack, outcome = _claim(pack_id, builder)
    if pack is None:
        return outcome
    scorecard = pack.scorecard
    try:
        with _heartbeat(pack_id, builder, enabled=heartbeat):
            meta = pack_meta(scorecard)
            # The PDF is most of the build at scale: its steps move the bar from 15% to 60%.
            _progress(pack_id, builder, 15, "Writing the PDF")
            pdf = render_pdf(
                scorecard.snapshot, meta,
                progress=lambda done, step: _progress(pack_id, builder, 15 + round(45 * done), step),
            )  # fmt: skip
            _progress(pack_id, builder, 60, "Writing the spreadsheet")
            xlsx = render_xlsx(scorecard.snapshot, meta)
            _progress(pack_id, builder, 90, "Saving the files")
            storage = pack.pdf.storage
            pdf_name = pack_upload_to(pack, pack_filename(scorecard, "pdf"))
            xlsx_name = pack_upload_to(pack, pack_filename(scorecard, "xlsx"))
            sweep_partial_files(storage, pdf_name.rsplit("/", 1)[0])
            save_to_storage(storage, pdf_name, pdf)
            save_to_storage(storage, xlsx_name, xlsx)
        with transaction.atomic():
            pack = CommitteePack.objects.select_for_update().get(pk=pack_id)
            if pack.status != PackStatus.BUILDING or pack.task_id != builder:
                raise Superseded
            _move(pack, "finish", progress=100, step="Ready", finished_at=timezone.now(), heartbeat_at=timezone.now(),
                  pdf=pdf_name, xlsx=xlsx_name, snapshot_sha256=scorecard.sha256)  # fmt: skip
    except Superseded:
        logger.info("Committee pack %s: another build took it over", pack_id)
        return "superseded"
    except Exception as error:
        logger.exception("Committee pack %s failed", pack_id)
        with transaction.atomic():
            pack = CommitteePack.objects.select_for_update().get(pk=pack_id)
            if pack.status == PackStatus.BUILDING and pack.task_id == builder:
                _move(pack, "fail", step="Failed", error=str(error)[:2000], finished_at=timezone.now())
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
    write_atomically(pdf_path, render_pdf(scorecard.snapshot, meta))
    write_atomically(xlsx_path, render_xlsx(scorecard.snapshot, meta))
    return pdf_path, xlsx_path
