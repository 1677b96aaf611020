"""Web uploads: a file is kept as a batch, previewed, then applied or cancelled exactly once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from indicators.imports import EesOptions, ImportResult, apply_plan, plan_import
from indicators.models import ImportBatch, ImportKind, ImportState


class BatchStateError(Exception):
    """A transition from the wrong state: a batch is applied or cancelled once, from preview."""


def batch_options(batch: ImportBatch) -> EesOptions | None:
    if batch.kind != ImportKind.EES:
        return None
    return EesOptions.from_strings(**batch.options)


def create_batch(*, kind: str, filename: str, content: bytes, user, options: EesOptions | None = None) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        content=content,
        options=options.as_dict() if options else {},
        uploaded_by=user,
    )


def preview_batch(batch: ImportBatch) -> ImportResult:
    return plan_import(batch.kind, bytes(batch.content), batch.filename, options=batch_options(batch))


def apply_batch(*, batch: ImportBatch, user) -> ImportResult:
    """Re-check the file against the database as it is now and write it, all or nothing."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.PREVIEWED:
            raise BatchStateError(f"This upload was already {locked.get_state_display().lower()}.")
        result = apply_plan(preview_batch(locked), user=user)
        if result.applied:
            locked.state = ImportState.APPLIED
            locked.applied_at = timezone.now()
            locked.summary = result.summary()
            locked.save(update_fields=["state", "applied_at", "summary"])
    return result


def cancel_batch(*, batch: ImportBatch) -> None:
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.PREVIEWED:
            raise BatchStateError(f"This upload was already {locked.get_state_display().lower()}.")
        locked.state = ImportState.CANCELLED
        locked.content = b""
        locked.save(update_fields=["state", "content"])
