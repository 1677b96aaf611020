"""Writing performance actions: officers create and change them; an action's owner moves it and adds notes.

Each service checks who may do it, validates, and saves in one transaction, with the user recorded
in the history. Status changes go through ``ACTION_LIFECYCLE``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from indicators.action_models import ACTION_LIFECYCLE, ActionNote, ActionStatus, PerformanceAction
from indicators.quarters import Quarter, QuarterError
from perfsite.roles import is_performance_officer


def may_create(user) -> bool:
    return is_performance_officer(user)


def may_update(action: PerformanceAction, user) -> bool:
    """Officers, and the action's owner, may move it and write its progress notes."""
    return is_performance_officer(user) or (action.owner_id is not None and action.owner_id == user.pk)


def _clean(*, quarter: str, description: str, owner, owner_service: str) -> tuple[str, str, str]:
    try:
        quarter = Quarter.parse(quarter).slug
    except QuarterError as exc:
        raise ValidationError({"quarter": str(exc)}) from None
    description, owner_service = (description or "").strip(), (owner_service or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Enter what will be done"
    if owner is None and not owner_service:
        errors["owner_service"] = "Name the owning service, choose an owner, or both"
    if errors:
        raise ValidationError(errors)
    return quarter, description, owner_service


@transaction.atomic
def action_create(
    *, indicator, quarter: str, description: str, owner, owner_service: str, due_on: datetime.date, user
) -> PerformanceAction:
    if not may_create(user):
        raise PermissionDenied("Only performance officers add performance actions.")
    quarter, description, owner_service = _clean(
        quarter=quarter, description=description, owner=owner, owner_service=owner_service
    )
    action = PerformanceAction(
        indicator=indicator,
        quarter=quarter,
        description=description,
        owner=owner,
        owner_service=owner_service,
        due_on=due_on,
        created_by=user,
    )
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def action_update(
    *, action: PerformanceAction, description: str, owner, owner_service: str, due_on: datetime.date, user
) -> PerformanceAction:
    if not is_performance_officer(user):
        raise PermissionDenied("Only performance officers change what an action is, who owns it or when it is due.")
    action = PerformanceAction.objects.select_for_update().get(pk=action.pk)
    _, description, owner_service = _clean(
        quarter=action.quarter, description=description, owner=owner, owner_service=owner_service
    )
    action.description, action.owner, action.owner_service, action.due_on = description, owner, owner_service, due_on
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def action_move(*, action: PerformanceAction, transition: str, user, reason: str = "") -> PerformanceAction:
    """Start, complete, drop (with a reason) or reopen; raises InvalidTransition from a state that does not allow it."""
    action = PerformanceAction.objects.select_for_update().get(pk=action.pk)
    if not may_update(action, user):
        raise PermissionDenied("Only performance officers and the action's owner may change its status.")
    if transition not in ACTION_LIFECYCLE.transitions:
        raise ValidationError({"transition": "Choose what has happened to the action"})
    status = ACTION_LIFECYCLE.next_status(transition, action.status)
    reason = (reason or "").strip()
    if status == ActionStatus.DROPPED and not reason:
        raise ValidationError({"reason": "Enter why the action is being dropped"})
    action.status = status
    action.dropped_reason = reason if status == ActionStatus.DROPPED else ""
    action._history_user = user
    action.save(update_fields=["status", "dropped_reason", "updated_at"])
    return action


@transaction.atomic
def note_add(*, action: PerformanceAction, text: str, written_on: datetime.date, user) -> ActionNote:
    if not may_update(action, user):
        raise PermissionDenied("Only performance officers and the action's owner may write its progress notes.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the progress made"})
    note = ActionNote(action=action, text=text, written_on=written_on, author=user)
    note._history_user = user
    note.save()
    return note
