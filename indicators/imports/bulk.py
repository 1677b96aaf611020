"""Writing an import's planned figures in bulk, with their history, rather than one row at a time.

The plan (``files.plan_values``, ``ees.plan_ees``) already checked every row in memory against
the indicators and values it preloaded, so applying only has to write: the new figures and their
history rows by COPY on PostgreSQL (``perfsite.imports.copying``; a multi-row insert elsewhere),
the changed ones through a staging table and one UPDATE, their history by COPY as well.
It runs inside the framework's transaction, so a failure leaves nothing written.

Between checking and applying someone else may write a figure for the same period; the unique
constraint then refuses the insert and the whole file is refused with a message to run it again,
rather than one figure silently overwriting the other. Figures planned as changed are re-read
under a row lock and compared again, so a figure someone else already corrected to the file's
value is not written twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue, quantize
from indicators.provenance import Provenance, by_hand
from indicators.services import history_reason
from indicators.values import ValueFields, upsert_value
from perfsite.imports import ImportResult, copy_create_with_history, copy_update_with_history

FIELD_NAMES = tuple(ValueFields.__dataclass_fields__)
RACED = (
    "Some of these figures were saved by someone else while the file was being checked. "
    "Nothing was imported: run the import again."
)


@dataclass(frozen=True)
class ValueWrite:
    """One planned figure: what to write on the natural key (indicator, series, period)."""

    indicator: Indicator
    series: str
    start: datetime.date
    end: datetime.date
    fields: ValueFields
    current: IndicatorValue | None
    reason: str
    provenance: Provenance | None = None  # indicators.provenance: where the figure comes from

    def __call__(self, user) -> None:
        # One row through the service, for an importer that applies row by row.
        upsert_value(
            indicator=self.indicator,
            series=self.series,
            period_start=self.start,
            period_end=self.end,
            period_label=self.fields.period_label,
            value=quantize(self.fields.value, self.fields.scale),
            numerator=self.fields.numerator,
            denominator=self.fields.denominator,
            status=self.fields.status,
            footnote=self.fields.footnote,
            user=user,
            reason=self.reason,
            provenance=self.provenance,
        )


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def write_values(writes: list[ValueWrite], result: ImportResult, *, user) -> None:
    """Write every planned figure in bulk; on a clash with another writer, record why and write nothing."""
    author = _user_or_none(user)
    new = [w for w in writes if w.current is None]
    changed = [w for w in writes if w.current is not None]
    try:
        with transaction.atomic():
            _create(new, author)
            _update(changed, author)
    except IntegrityError:
        result.error(0, "", RACED)


def _create(writes: list[ValueWrite], author) -> None:
    if not writes:
        return
    items, now = [], timezone.now()
    for write in writes:
        item = IndicatorValue(
            indicator=write.indicator,
            series=write.series,
            period_start=write.start,
            period_end=write.end,
            updated_by=author,
            loaded_at=now,
            **(write.provenance or by_hand()).fields(),
            **write.fields.__dict__,
        )
        item._change_reason = history_reason(write.reason)
        items.append(item)
    copy_create_with_history(items, IndicatorValue, default_user=author)


def _update(writes: list[ValueWrite], author) -> None:
    if not writes:
        return
    locked = IndicatorValue.objects.select_for_update().in_bulk([w.current.pk for w in writes])
    now = timezone.now()
    items, touched = [], set()
    for write in writes:
        item = locked.get(write.current.pk)
        if item is None:  # removed since the check: the unique key is free, so write it afresh
            _create([write], author)
            continue
        differs = [name for name in FIELD_NAMES if getattr(item, name) != getattr(write.fields, name)]
        if not differs:
            continue
        for name in differs:
            setattr(item, name, getattr(write.fields, name))
        touched.update(differs)
        # A changed figure takes the provenance of what changed it, and a new version (the edit form's check).
        for name, value in (write.provenance or by_hand()).fields().items():
            setattr(item, name, value)
        item.loaded_at, item.version = now, item.version + 1
        item.updated_by, item.updated_at = author, now
        item._change_reason = history_reason(write.reason)
        items.append(item)
    if items:
        fields = [*sorted(touched), "source_kind", "source_detail", "loaded_at", "version", "updated_by", "updated_at"]
        copy_update_with_history(items, IndicatorValue, fields, default_user=author)


class BulkValuesApply:
    """An importer mixin: apply a plan of figures (``PlannedRow.apply`` is a ``ValueWrite``) in bulk."""

    def apply(self, plan, result: ImportResult, *, user) -> None:
        writes = [planned.apply for planned in result.planned if planned.apply is not None]
        write_values(writes, result, user=user)
