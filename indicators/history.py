"""An indicator's change history: its definition and every figure, who changed what and when.

Two queries whatever the history's length: one for the indicator's records, one for its values'.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from indicators.models import Indicator, IndicatorValue, Series, quantize

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


def change_history(indicator: Indicator, *, limit: int = 60) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    records = list(Indicator.history.filter(id=indicator.pk).select_related("history_user").order_by("history_date"))
    previous = None
    for record in records:
        if previous is None:
            changes = ["Indicator created"]
        else:
            changes = [
                f"{name.replace('_id', '').replace('_', ' ').capitalize()}: {getattr(previous, name)} → "
                f"{getattr(record, name)}"
                for name in INDICATOR_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ] or ["Saved with no change to its definition"]
        entries.append(
            HistoryEntry(
                record.history_date,
                _who(record),
                ACTIONS.get(record.history_type, record.history_type),
                "Definition",
                changes,
                record.history_change_reason or "",
            )
        )
        previous = record
    value_records = list(
        IndicatorValue.history.filter(indicator_id=indicator.pk).select_related("history_user").order_by("history_date")
    )
    last_by_id: dict[int, object] = {}
    for record in value_records:
        before = last_by_id.get(record.id)
        what = f"{Series(record.series).label} {record.period_label}"
        if record.history_type == "-":
            changes = [f"Value {_figure(record)} removed"]
        else:
            changes = _value_changes(record, before if record.history_type == "~" else None)
        entries.append(
            HistoryEntry(
                record.history_date,
                _who(record),
                ACTIONS.get(record.history_type, record.history_type),
                what,
                changes,
                record.history_change_reason or "",
            )
        )
        last_by_id[record.id] = record
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
