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
from indicators.provenance import DETAIL_MAX, Provenance, by_hand
from indicators.services import history_reason
from indicators.values import ValueFields, upsert_value
from perfsite.imports import ImportResult
from perfsite.imports.staging import insert_rows_with_history, update_rows_with_history

FIELD_NAMES = tuple(ValueFields.__dataclass_fields__)
RACED = (
    "Some of these figures were saved by someone else while the file was being checked. "
    "Nothing was imported: run the import again."
)


@dataclass(slots=True)
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


NEW_COLUMNS = ("indicator_id", "series", "period_start", "period_end", *FIELD_NAMES, "source_kind", "source_detail")


def _rows(writes: list[ValueWrite], *, new: bool) -> list[tuple]:
    """Each figure as a plain row: its natural key when ``new``, else its stored one; then its fields and source.

    This runs once a row of files of 100,000 rows (issue 13), so the fields are read directly
    rather than through a call or two a row.
    """
    hand = by_hand()
    rows = []
    append = rows.append
    for w in writes:
        f, source = w.fields, w.provenance or hand
        append(
            (
                *((w.indicator.id, w.series, w.start, w.end) if new else (w.current.pk,)),
                f.period_label,
                f.value,
                f.scale,
                f.numerator,
                f.denominator,
                f.status,
                f.footnote,
                source.kind,
                source.detail[:DETAIL_MAX],
            )
        )
    return rows


def _reasons(writes: list[ValueWrite]) -> list[str]:
    """Each figure's history reason, shortened once a distinct reason (a file's figures share one)."""
    shortened: dict[str, str] = {}
    return [shortened.get(w.reason) or shortened.setdefault(w.reason, history_reason(w.reason)) for w in writes]


def _create(writes: list[ValueWrite], author) -> None:
    """New figures as plain rows (no model instance each): COPY and one insert, history included."""
    if not writes:
        return
    rows = _rows(writes, new=True)
    same = {"updated_by_id": getattr(author, "pk", None), "loaded_at": timezone.now()}
    insert_rows_with_history(
        IndicatorValue, NEW_COLUMNS, rows, same=same, reasons=_reasons(writes), default_user=author
    )


def _update(writes: list[ValueWrite], author) -> None:
    """Changed figures in one set-based update: only those that still differ from the file are written.

    The comparison is made again under the row lock the update takes, so a figure someone else
    already corrected to the file's value is not written twice. A changed figure takes the
    provenance of what changed it, and a new version (the edit form's check). A figure removed
    since the check is written afresh: its unique key is free.
    """
    if not writes:
        return
    now = timezone.now()
    rows = _rows(writes, new=False)
    gone = update_rows_with_history(
        IndicatorValue,
        (*FIELD_NAMES, "source_kind", "source_detail"),
        rows,
        compare=FIELD_NAMES,
        also={"loaded_at": now, "updated_by_id": getattr(author, "pk", None), "updated_at": now},
        increment=("version",),
        reasons=_reasons(writes),
        default_user=author,
    )
    if gone:
        _create([w for w in writes if w.current.pk in gone], author)


class BulkValuesApply:
    """An importer mixin: apply a plan of figures (``PlannedRow.apply`` is a ``ValueWrite``) in bulk."""

    def apply(self, plan, result: ImportResult, *, user) -> None:
        writes = [planned.apply for planned in result.planned if planned.apply is not None]
        write_values(writes, result, user=user)
