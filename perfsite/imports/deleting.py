"""Deleting many rows with one "-" history row each, in a bounded number of statements, for the imports.

Django's ``QuerySet.delete()`` sends a post-delete signal per row for a model with history, and
django-simple-history answers each with its own INSERT, so removing 10,000 stale lines would cost
10,000 statements. Here the history rows (the rows as they were, marked "-") are written in one
multi-row insert per batch and the rows removed by one DELETE. Only for models nothing else points
to with a cascade (the caller's to know: the lines of a return, an audit's moderation), since the
DELETE is the table's own and sends no signal.

It runs inside the caller's transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import router
from django.db.models import Model
from django.utils import timezone

BATCH = 2000


def delete_with_history(objs: Sequence[Model], model: type[Model], *, default_user=None, reason: str = "") -> int:
    """Delete the saved ``objs`` and write one "-" history row for each; returns how many were deleted."""
    if not objs:
        return 0
    history = model.history.model
    now = timezone.now()
    user_id = getattr(default_user, "pk", None)
    tracked = history.tracked_fields
    rows = [
        history(
            history_date=now,
            history_type="-",
            history_user_id=user_id,
            history_change_reason=reason or None,
            **{field.attname: getattr(obj, field.attname) for field in tracked},
        )
        for obj in objs
    ]
    history.objects.bulk_create(rows, batch_size=BATCH)
    queryset = model._base_manager.filter(pk__in=[obj.pk for obj in objs])
    # _raw_delete is Django's own fast path for a delete with no cascades and no signals: one statement.
    return queryset._raw_delete(router.db_for_write(model))
