"""Checking a large upload in a Celery worker, so no request holds a web worker while it is read.

The upload page keeps a large file as a batch in the *checking* state and queues
``check_upload_batch`` once the batch is committed. The task is thin: it takes the batch's model
label and id, finds the app's importers through the upload pages that registered them, and runs
``batches.check_batch``, which does what an upload checked at once does and changes nothing when
run again. While it reads, it tells the cache how many rows it has read, for the checking page.

If the broker does not take the task, the batch is marked so and its page offers to try again,
rather than the upload failing with a 500 for a file that was in fact kept. So does a check not
done within ``CELERY_TASK_TIME_LIMIT`` of being queued (no worker running, or the check failed):
trying again is safe, as the task does nothing to a batch already checked.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone

from perfsite.imports.batches import BatchState, ImportBatchBase, ImporterFor, check_batch
from perfsite.queue import enqueue

logger = logging.getLogger(__name__)

#: Each app's ``importer_for``, by batch model label, registered by its ``UploadPages``.
IMPORTERS: dict[str, ImporterFor] = {}

#: Set in a checking batch's ``preview`` when the broker refused the task.
NOT_QUEUED = "not_queued"
#: Set in a checking batch's ``preview`` when the check was queued again.
REQUEUED_AT = "requeued_at"

PROGRESS_SECONDS = 60 * 60


def register(model: type[ImportBatchBase], importer_for: ImporterFor) -> None:
    IMPORTERS[model._meta.label] = importer_for


def _importer_for(label: str) -> ImporterFor:
    if label not in IMPORTERS:
        # A worker loads no URLconf by itself; the upload pages register their apps' importers
        # as the URLconf is imported, so load it rather than import any app here.
        get_resolver().url_patterns  # noqa: B018
    return IMPORTERS[label]


def progress_key(batch: ImportBatchBase) -> str:
    return f"perfsite:import-progress:{batch._meta.label}:{batch.pk}"


def rows_read(batch: ImportBatchBase) -> int:
    """How many rows the worker has read so far (0 before it starts)."""
    return cache.get(progress_key(batch), 0)


def not_queued(batch: ImportBatchBase) -> bool:
    return batch.state == BatchState.CHECKING and bool(batch.preview.get(NOT_QUEUED))


def stalled(batch: ImportBatchBase) -> bool:
    """Still checking long after it was queued: the worker is down or the check failed."""
    if batch.state != BatchState.CHECKING:
        return False
    requeued = batch.preview.get(REQUEUED_AT)
    queued = datetime.datetime.fromisoformat(requeued) if requeued else batch.uploaded_at
    return timezone.now() - queued > datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def queue_check(batch: ImportBatchBase) -> None:
    """Queue the check once the batch is committed; a broker outage is logged and marked on the batch."""
    label, pk = batch._meta.label, batch.pk

    def send():
        if not enqueue(check_upload_batch, label, pk):
            type(batch).objects.filter(pk=pk, state=BatchState.CHECKING).update(preview={NOT_QUEUED: True})

    transaction.on_commit(send)


def requeue_check(batch: ImportBatchBase) -> None:
    """Try the queue again for a batch still checking (after a broker outage, or a lost worker)."""
    type(batch).objects.filter(pk=batch.pk, state=BatchState.CHECKING).update(
        preview={REQUEUED_AT: timezone.now().isoformat()}
    )
    queue_check(batch)


@shared_task(name="perfsite.imports.check_upload_batch")
def check_upload_batch(model_label: str, pk: int) -> bool:
    """Check one upload kept *checking*; True if it did, False if it was already checked or gone."""
    model = apps.get_model(model_label)
    key = f"perfsite:import-progress:{model_label}:{pk}"

    def on_row(number: int) -> None:
        cache.set(key, number - 1, timeout=PROGRESS_SECONDS)  # rows of data: row 1 is the header

    checked = check_batch(model=model, pk=pk, importer_for=_importer_for(model_label), on_row=on_row)
    cache.delete(key)
    return checked
