"""Weekly reminders to owners of overdue performance actions, once per action per week, recorded."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from indicators.action_models import PerformanceAction, PerformanceActionReminder


def week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def send_overdue_reminders(*, today: datetime.date | None = None) -> list[PerformanceActionReminder]:
    """Email the owner of each overdue action once a week. An action owned only by a service has
    nobody to email; the officers' list flags it as overdue instead. Running again in the same week
    (a retried task, a second beat) sends nothing more: each reminder is claimed before it is sent."""
    today = today or timezone.localdate()
    week = week_starting(today)
    overdue = list(
        PerformanceAction.objects.overdue(today)
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .exclude(reminders__week_starting=week)
        .select_related("owner", "indicator")
        .order_by("owner_id", "due_on", "pk")
    )
    sent = []
    for action in overdue:
        try:
            with transaction.atomic():
                reminder = PerformanceActionReminder.objects.create(
                    action=action, week_starting=week, sent_at=timezone.now(), recipient=action.owner.email
                )
                body = render_to_string(
                    "indicators/email/overdue_action.txt",
                    {"action": action, "today": today, "site_url": settings.PERFSITE_SITE_URL},
                )
                send_mail(
                    subject=f"Overdue performance action on {action.indicator.code}",
                    message=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[action.owner.email],
                )
        except IntegrityError:
            continue
        sent.append(reminder)
    return sent
