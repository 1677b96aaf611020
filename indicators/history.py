"""An indicator's change history: its definition and every figure, who changed what and when.

Paged (``PER_PAGE`` changes a page), in the same six queries whatever the history's length.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery, Value

from indicators.models import Indicator, IndicatorValue, Series, quantize
from perfsite.pagination import PER_PAGE

INDICATOR_FIELDS = (
    "code",
    "description",
    "kind",
    "polarity",
    "unit",
    "decimals",
    "tolerance",
    "theme_id",
    "framework_level",
    "framework_theme",
    "owner",
    "active",
    "ref",
)
VALUE_FIELDS = ("period_label", "value", "scale", "numerator", "denominator", "status", "footnote", "series")
ACTIONS = {"+": "Added", "~": "Changed", "-": "Removed"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    what: str
    changes: list[str]
    reason: str


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "perfsite (import or computation)"
    return user.get_full_name() or user.get_username()


def _figure(record) -> str:
    return "" if record.value is None else str(quantize(record.value, record.scale))


def _value_changes(record, before) -> list[str]:
    if before is None:
        return [f"Value {_figure(record)}"]
    changes = []
    if _figure(record) != _figure(before):
        changes.append(f"Value {_figure(before)} → {_figure(record)}")
    for name in ("period_label", "numerator", "denominator", "status", "footnote", "series"):
        old, new = getattr(before, name), getattr(record, name)
        if old != new:
            changes.append(f"{name.replace('_', ' ').capitalize()} {old or '(none)'} → {new or '(none)'}")
    if (before.period_start, before.period_end) != (record.period_start, record.period_end):
        was, now = f"{before.period_start} to {before.period_end}", f"{record.period_start} to {record.period_end}"
        changes.append(f"Dates {was} → {now}")
    return changes


def _with_before(records):
    """Each history record with the id of the record of the same object just before it (None: its first)."""
    earlier = records.model._default_manager.filter(
        id=OuterRef("id"), history_date__lt=OuterRef("history_date")
    ).order_by("-history_date", "-history_id")
    return records.select_related("history_user").annotate(before_id=Subquery(earlier.values("history_id")[:1]))


def _definition_entry(record, before) -> HistoryEntry:
    if before is None:
        changes = ["Indicator created"]
    else:
        changes = [
            f"{name.replace('_id', '').replace('_', ' ').capitalize()}: {getattr(before, name)} → "
            f"{getattr(record, name)}"
            for name in INDICATOR_FIELDS
            if getattr(before, name) != getattr(record, name)
        ] or ["Saved with no change to its definition"]
    action = ACTIONS.get(record.history_type, record.history_type)
    return HistoryEntry(
        record.history_date, _who(record), action, "Definition", changes, record.history_change_reason or ""
    )


def _figure_entry(record, before) -> HistoryEntry:
    what = f"{Series(record.series).label} {record.period_label}"
    if record.history_type == "-":
        changes = [f"Value {_figure(record)} removed"]
    else:
        changes = _value_changes(record, before if record.history_type == "~" else None)
    action = ACTIONS.get(record.history_type, record.history_type)
    return HistoryEntry(record.history_date, _who(record), action, what, changes, record.history_change_reason or "")


def change_history(indicator: Indicator, *, page: str | int | None = None, per_page: int = PER_PAGE):
    """One page of the indicator's change history, newest first: ``(page, entries)``.

    The history only grows, so it is paged in SQL: the two history tables' (date, id) in one
    ordered UNION, counted and sliced; then the page's records, each with the id of the record
    before it (what it changed), and those records. Six queries, however long the history.
    """
    definition = Indicator.history.filter(id=indicator.pk).annotate(record_of=Value("definition"))
    figures = IndicatorValue.history.filter(indicator_id=indicator.pk).annotate(record_of=Value("figure"))
    stream = (
        definition.order_by()
        .values_list("history_date", "history_id", "record_of")
        .union(figures.order_by().values_list("history_date", "history_id", "record_of"), all=True)
        .order_by("-history_date", "record_of", "-history_id")
    )
    shown = Paginator(stream, per_page).get_page(page)
    wanted = {"definition": [], "figure": []}
    for _, history_id, kind in shown.object_list:
        wanted[kind].append(history_id)
    entries = {}
    for kind, model, entry in (("definition", Indicator, _definition_entry), ("figure", IndicatorValue, _figure_entry)):
        records = list(_with_before(model.history.filter(history_id__in=wanted[kind])))
        befores = model.history.filter(history_id__in=[r.before_id for r in records if r.before_id])
        before_by_id = {b.history_id: b for b in befores}
        for record in records:
            entries[(kind, record.history_id)] = entry(record, before_by_id.get(record.before_id))
    return shown, [entries[(kind, history_id)] for _, history_id, kind in shown.object_list]
