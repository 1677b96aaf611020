"""Web uploads kept as batches: previewed (or rejected) when checked, then applied or cancelled exactly once.

Every app's batch model extends ``ImportBatchBase`` and moves only through ``BATCH_LIFECYCLE``
(``perfsite.lifecycle``); the database refuses any other state. A file with problems is
*rejected* at upload and can only be discarded; a clean file is *previewed* and can be applied
(re-checked against the database as it is then, all or nothing) or cancelled. Confirming a
previewed file that no longer passes leaves it previewed, so it can be confirmed once the
register is put right, or cancelled.

A file larger than ``PERFSITE_IMPORT_BACKGROUND_BYTES`` is kept *checking* and checked by a
worker (``perfsite.imports.background``), so no request holds a web worker while it is read;
the check then moves it to previewed or rejected exactly as an upload checked at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from perfsite.imports.preview import Preview
from perfsite.imports.result import ImportResult
from perfsite.imports.running import Importer, run_import
from perfsite.lifecycle import Lifecycle


class BatchState(models.TextChoices):
    CHECKING = "checking", "Checking"
    PREVIEWED = "previewed", "Previewed"
    REJECTED = "rejected", "Rejected"
    APPLIED = "applied", "Applied"
    CANCELLED = "cancelled", "Cancelled"


BATCH_LIFECYCLE = Lifecycle(
    "upload",
    BatchState,
    {
        "checked": ({BatchState.CHECKING}, BatchState.PREVIEWED),
        "reject": ({BatchState.CHECKING, BatchState.PREVIEWED}, BatchState.REJECTED),
        "apply": ({BatchState.PREVIEWED}, BatchState.APPLIED),
        "cancel": ({BatchState.CHECKING, BatchState.PREVIEWED, BatchState.REJECTED}, BatchState.CANCELLED),
    },
)


class ImportBatchBase(models.Model):
    """A file uploaded through the web, kept for its preview, its confirmation and the record.

    A concrete model adds ``kind`` (a CharField with its app's choices).
    """

    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    options = models.JSONField(default=dict, blank=True, help_text="The upload form's options, if the import has any.")
    state = models.CharField(max_length=12, choices=BatchState.choices, default=BatchState.PREVIEWED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="What the import wrote, counted, when applied.")
    summary_line = models.CharField(max_length=500, blank=True, help_text="The same, in words.")
    preview = models.JSONField(default=dict, blank=True, help_text="What the check found when the file was uploaded.")

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]
        constraints = [BATCH_LIFECYCLE.status_constraint("state", "%(app_label)s_%(class)s_state_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        """Still being checked, or to be confirmed or discarded."""
        return self.state in (BatchState.CHECKING, BatchState.PREVIEWED, BatchState.REJECTED)


ImporterFor = Callable[[ImportBatchBase], Importer]


def _move(batch: ImportBatchBase, transition: str) -> None:
    batch.state = BATCH_LIFECYCLE.next_status(transition, batch.state)


def preview_batch(*, batch: ImportBatchBase, importer: Importer) -> ImportResult:
    """What confirming would do, as the database is now; writes nothing."""
    return run_import(importer, bytes(batch.content), filename=batch.filename, dry_run=True, via="page")


def is_large(content: bytes) -> bool:
    """Whether an upload is checked by a worker rather than in the request."""
    return len(content) > settings.PERFSITE_IMPORT_BACKGROUND_BYTES


def _record_check(batch: ImportBatchBase, importer: Importer, result: ImportResult) -> None:
    batch.preview = Preview.of(result, importer).as_record()
    if result.errors:
        _move(batch, "reject")
    elif batch.state == BatchState.CHECKING:
        _move(batch, "checked")
    batch.save(update_fields=["state", "preview"])


def create_batch(
    *,
    model: type[ImportBatchBase],
    kind: str,
    filename: str,
    content: bytes,
    user,
    importer_for: ImporterFor,
    options=None,
) -> tuple[ImportBatchBase, ImportResult | None]:
    """Keep the upload and check it at once, keeping what the check found for the preview page.

    A file with any problem is recorded as rejected. A large file is kept *checking*, with no
    result yet: the caller queues ``check_batch`` for it (``background.queue_check``).
    """
    with transaction.atomic():
        batch = model.objects.create(
            kind=kind,
            filename=filename[:255],
            content=content,
            options=options or {},
            uploaded_by=user,
            state=BatchState.CHECKING if is_large(content) else BatchState.PREVIEWED,
        )
        if batch.state == BatchState.CHECKING:
            return batch, None
        importer = importer_for(batch)
        result = preview_batch(batch=batch, importer=importer)
        _record_check(batch, importer, result)
    return batch, result


def check_batch(
    *, model: type[ImportBatchBase], pk: int, importer_for: ImporterFor, on_row: Callable[[int], None] | None = None
) -> bool:
    """Check a batch kept *checking*, as ``create_batch`` checks a small one; False if there was nothing to do.

    The row is locked while it is checked, so a second run (a redelivered task, a retry) waits
    and then finds the batch already checked, or cancelled, and changes nothing.
    """
    with transaction.atomic():
        batch = model.objects.select_for_update().filter(pk=pk).first()
        if batch is None or batch.state != BatchState.CHECKING:
            return False
        importer = importer_for(batch)
        result = run_import(
            importer, bytes(batch.content), filename=batch.filename, dry_run=True, via="page", on_row=on_row
        )
        _record_check(batch, importer, result)
    return True


def apply_batch(*, batch: ImportBatchBase, user, importer_for: ImporterFor) -> ImportResult:
    """Re-check the file against the database as it is now and write it, all or nothing.

    Raises ``InvalidTransition`` when the batch was already applied, cancelled or rejected.
    """
    with transaction.atomic():
        locked = type(batch).objects.select_for_update().get(pk=batch.pk)
        BATCH_LIFECYCLE.next_status("apply", locked.state)
        importer = importer_for(locked)
        result = run_import(importer, bytes(locked.content), filename=locked.filename, user=user, via="page")
        if result.applied:
            _move(locked, "apply")
            locked.applied_at = timezone.now()
            locked.summary = importer.summary_counts(result)
            locked.summary_line = importer.summary(result)[:500]
            locked.save(update_fields=["state", "applied_at", "summary", "summary_line"])
    return result


def cancel_batch(*, batch: ImportBatchBase) -> None:
    """Discard the upload; its content is dropped, the record of it kept."""
    with transaction.atomic():
        locked = type(batch).objects.select_for_update().get(pk=batch.pk)
        _move(locked, "cancel")
        locked.content = b""
        locked.save(update_fields=["state", "content"])
