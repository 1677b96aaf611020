"""Actions raised by audits: added by the auditor, closed by their owner, chased weekly."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from audits.models import ActionReminder, Audit, AuditAction
from perfsite.roles import Role, has_role, is_performance_officer


def owner_choices(audit: Audit):
    """Who can own an action: the audited team's managers and the team's workers with an account."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(managed_teams=audit.team_id) | Q(worker__team_id=audit.team_id))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def add_action(*, audit: Audit, user, description: str, owner, due_on: datetime.date) -> AuditAction:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.auditor_id != user.pk or not audit.is_editable:
        raise PermissionDenied("Only the auditor of an unsubmitted audit may add actions to it.")
    if not description.strip():
        raise ValueError("Enter what needs to happen")
    action = AuditAction(audit=audit, description=description.strip(), owner=owner, due_on=due_on)
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def remove_action(*, action: AuditAction, user) -> None:
    audit = Audit.objects.select_for_update().get(pk=action.audit_id)
    if audit.auditor_id != user.pk or not audit.is_editable:
        raise PermissionDenied("Only the auditor of an unsubmitted audit may remove its actions.")
    action._history_user = user
    action.delete()


def may_close(action: AuditAction, user) -> bool:
    """The owner, an officer, or a manager of the audited team may close an action."""
    if action.owner_id == user.pk or is_performance_officer(user):
        return True
    return has_role(user, Role.TEAM_MANAGER) and action.audit.team.managers.filter(pk=user.pk).exists()


@transaction.atomic
def close_action(*, action: AuditAction, user) -> bool:
    """Record when and by whom the action was closed. False (and no change) if it already was."""
    action = AuditAction.objects.select_for_update().select_related("audit__team").get(pk=action.pk)
    if not may_close(action, user):
        raise PermissionDenied("Only the action's owner, a manager of the team or an officer may close it.")
    if action.closed_at is not None:
        return False
    action.closed_at = timezone.now()
    action.closed_by = user
    action._history_user = user
    action.save(update_fields=["closed_at", "closed_by"])
    return True


def week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def send_overdue_reminders(*, today: datetime.date | None = None) -> list[ActionReminder]:
    """Email each owner of overdue actions once a week; what was sent is recorded, so running it
    again in the same week (a retried task, a second beat) sends nothing more."""
    today = today or timezone.localdate()
    week = week_starting(today)
    overdue = (
        AuditAction.objects.overdue(today)
        # Case references go only to people who can still sign in.
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "audit__case", "audit__team")
        .order_by("owner_id", "due_on", "pk")
    )
    by_owner: dict[int, list[AuditAction]] = {}
    for action in overdue:
        by_owner.setdefault(action.owner_id, []).append(action)
    already = set(ActionReminder.objects.filter(week_starting=week).values_list("owner_id", flat=True))
    sent = []
    for owner_id, actions in by_owner.items():
        if owner_id in already:
            continue
        owner = actions[0].owner
        try:
            with transaction.atomic():
                # Claim the week first: a concurrent run fails on the unique constraint and sends nothing.
                reminder = ActionReminder.objects.create(
                    owner=owner, week_starting=week, sent_at=timezone.now(), recipient=owner.email
                )
                reminder.actions.set(actions)
                body = render_to_string(
                    "audits/email/overdue_actions.txt", {"owner": owner, "actions": actions, "today": today}
                )
                send_mail(
                    subject=f"{len(actions)} overdue case-file audit action(s)",
                    message=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[owner.email],
                )
        except IntegrityError:
            continue
        sent.append(reminder)
    return sent
