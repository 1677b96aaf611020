"""Reading performance actions: the officers' list and the scorecard's open actions, each in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from indicators.action_models import OPEN_STATUSES, ActionStatus, PerformanceAction


def action_list():
    """Every action with its indicator, owner and latest note date: one query at any size."""
    return (
        PerformanceAction.objects.select_related("indicator", "owner")
        .annotate(last_note_on=Max("notes__written_on"), note_count=Count("notes"))
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class ActionLine:
    """An open action as members read it: no person's name, only the owning service."""

    indicator_id: int
    code: str
    what: str
    owner: str
    due_on: datetime.date
    status: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label


def scorecard_actions(*, quarter, today: datetime.date | None = None) -> list[ActionLine]:
    """The quarter's open actions (planned or in progress), overdue flagged as of ``today``: one query."""
    today = today or timezone.localdate()
    actions = (
        PerformanceAction.objects.filter(quarter=quarter.slug, status__in=OPEN_STATUSES)
        .select_related("indicator")
        .only("description", "owner_service", "due_on", "status", "indicator__code", "indicator__owner")
        .order_by("indicator__code", "due_on", "pk")
    )
    return [
        ActionLine(
            indicator_id=a.indicator_id,
            code=a.indicator.code,
            what=a.description,
            owner=a.public_owner(a.indicator.owner),
            due_on=a.due_on,
            status=a.status,
            overdue=a.is_overdue(today),
        )
        for a in actions
    ]


HISTORY_FIELDS = {
    "description": "What will be done",
    "owner_service": "Owning service",
    "due_on": "Due date",
    "status": "Status",
    "dropped_reason": "Why dropped",
}


def history_records(action: PerformanceAction):
    """The action's history records, newest first, for paging; ``history_entries`` words a page of them."""
    return action.history.select_related("history_user").order_by("-history_date", "-history_id")


def history_entries(records, previous=None) -> list[dict]:
    """Who changed what and when: ``records`` (oldest first) in words, newest first; ``previous`` is the
    record before the first (None: the first is the action's creation)."""
    entries = []
    for record in records:
        if previous is None:
            changes = ["Added"]
        else:
            changes = [
                f"{label}: {_shown(name, getattr(previous, name))} → {_shown(name, getattr(record, name))}"
                for name, label in HISTORY_FIELDS.items()
                if getattr(previous, name) != getattr(record, name)
            ]
            if previous.owner_id != record.owner_id:
                changes.append("Owner changed")
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else "perfsite",
                "changes": changes,
            }
        )
        previous = record
    return entries[::-1]


def _shown(name: str, value) -> str:
    if name == "status":
        return ActionStatus(value).label.lower()
    return str(value) if value not in ("", None) else "(none)"
