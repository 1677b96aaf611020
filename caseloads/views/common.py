"""Scope and access shared by the caseload pages.

Every page is for team managers and performance officers (403 for anyone else, scrutiny members
included: these pages name workers). A team, return or worker outside the user's teams is a 404,
whichever page it is asked for through.
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import register_converter
from django.utils import timezone

from caseloads.models import Team, Worker
from caseloads.months import MonthError, add_months, first_of_month, month_slug, parse_month
from perfsite.access import role_required
from perfsite.roles import Role

CASELOAD_ROLES = (Role.TEAM_MANAGER, Role.PERFORMANCE_OFFICER)
caseload_view = role_required(*CASELOAD_ROLES)
officer_view = role_required(Role.PERFORMANCE_OFFICER)


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            return parse_month(value)
        except MonthError as exc:
            raise ValueError(str(exc)) from None

    def to_url(self, value) -> str:
        return month_slug(value) if isinstance(value, datetime.date) else str(value)


register_converter(MonthConverter, "month")


def this_month() -> datetime.date:
    return first_of_month(timezone.localdate())


def due_month() -> datetime.date:
    """The month whose return is being filed now: last month."""
    return add_months(this_month(), -1)


def scoped_team(request, team_id: int) -> Team:
    return get_object_or_404(Team.objects.visible_to(request.user), pk=team_id)


def scoped_worker(request, worker_id: int) -> Worker:
    return get_object_or_404(Worker.objects.visible_to(request.user).select_related("team"), pk=worker_id)


def not_in_future(month: datetime.date) -> datetime.date:
    if month > this_month():
        raise Http404("There is no return for a month that has not started.")
    return month
