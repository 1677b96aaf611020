"""Reminders to team managers whose return for last month is not submitted by the 5th working day.

From the 5th working day of a month (Monday to Friday, not an English bank holiday; the day is
configurable), each manager of an active team without a submitted return for the previous month
gets one email naming all such teams. ``ReminderSent`` records each email, one per manager per
month (a unique constraint), so the daily task can run any number of times.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from caseloads import conf
from caseloads.models import CaseloadReturn, ReminderSent, ReturnStatus, Team
from caseloads.months import add_months, first_of_month, month_long_label
from caseloads.workdays import nth_working_day


def due_date(month: datetime.date) -> datetime.date:
    """The day a month's return is due: the n-th working day of the following month."""
    following = add_months(month, 1)
    return nth_working_day(following.year, following.month, conf.reminder_working_day())


def month_to_chase(today: datetime.date) -> datetime.date | None:
    """Last month, once its due date has come; None before then."""
    month = add_months(first_of_month(today), -1)
    return month if today >= due_date(month) else None


def teams_missing(month: datetime.date):
    submitted = CaseloadReturn.objects.filter(month=month, status=ReturnStatus.SUBMITTED).values("team_id")
    return Team.objects.active().exclude(pk__in=submitted).prefetch_related("managers").order_by("name")


def send_due_reminders(*, today: datetime.date) -> int:
    """Send the reminders due today that have not been sent; returns how many were sent."""
    month = month_to_chase(today)
    if month is None:
        return 0
    by_manager: dict = defaultdict(list)
    for team in teams_missing(month):
        for manager in team.managers.all():
            if manager.is_active and manager.email:
                by_manager[manager].append(team)
    already = set(ReminderSent.objects.filter(month=month).values_list("manager_id", flat=True))
    sent = 0
    for manager, teams in sorted(by_manager.items(), key=lambda item: item[0].pk):
        if manager.pk in already:
            continue
        try:
            with transaction.atomic():
                # Record first, inside the transaction: if the email fails the record is rolled back
                # and tomorrow's run tries again; if another run got here first the insert fails.
                ReminderSent.objects.create(
                    manager=manager, month=month, sent_at=timezone.now(), teams=", ".join(t.name for t in teams)
                )
                _email(manager, month, teams, today)
        except IntegrityError:
            continue
        sent += 1
    return sent


def _email(manager, month: datetime.date, teams: list[Team], today: datetime.date) -> None:
    label = month_long_label(month)
    due = due_date(month)
    when = "today" if today == due else f"on {due:%A %-d %B %Y}"
    links = "\n".join(
        f"- {team.name}: {conf.site_url()}{reverse('caseloads:return', kwargs={'team_id': team.pk, 'month': month})}"
        for team in teams
    )
    body = (
        f"Dear {manager.get_full_name() or manager.username},\n\n"
        f"The caseload return for {label} was due {when} and has not been submitted for:\n\n{links}\n\n"
        "Enter each worker's cases at the end of the month and submit the return. "
        "If a team's list of workers is wrong, you can add, move or end workers from the team's page.\n\n"
        "This is an automatic reminder; you will get one a month."
    )
    subject = f"Caseload return for {label} not submitted: {', '.join(team.name for team in teams)}"
    send_mail(subject[:200], body, None, [manager.email])
