"""Caseloads home (my teams, this month's returns) and a team's page (workers, returns)."""

from __future__ import annotations

import contextlib

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from caseloads.forms import OpenReturnForm
from caseloads.models import CaseloadReturn, Team, Worker
from caseloads.months import MonthError, month_long_label, month_slug, parse_month
from caseloads.services.workers import can_manage_team
from caseloads.views.common import caseload_view, due_month, scoped_team, this_month
from perfsite.pagination import page_of
from perfsite.roles import is_performance_officer


@caseload_view
def index(request):
    month = due_month()
    if request.GET.get("month"):
        with contextlib.suppress(MonthError):
            month = min(parse_month(request.GET["month"]), this_month())
    # A council may have hundreds of teams: a page of them at a time, with the month's count for all.
    teams = Team.objects.visible_to(request.user).active().order_by("name", "pk")
    page = page_of(request, teams)
    returns = {
        r.team_id: r
        for r in CaseloadReturn.objects.filter(team__in=[team.pk for team in page], month=month).select_related(
            "submitted_by", "updated_by"
        )
    }
    rows = [(team, returns.get(team.pk)) for team in page]
    submitted = CaseloadReturn.objects.submitted().filter(team__in=teams, month=month).count()
    context = {
        "rows": rows,
        "page": page,
        "month": month,
        "month_slug": month_slug(month),
        "month_label": month_long_label(month),
        "is_officer": is_performance_officer(request.user),
        "submitted": submitted,
        "open_form": OpenReturnForm(initial={"month": month_slug(month)}, until=this_month()),
    }
    return render(request, "caseloads/index.html", context)


@caseload_view
def team_page(request, team_id: int):
    team = scoped_team(request, team_id)
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except MonthError:
            pass
        else:
            if month <= this_month():
                return redirect(reverse("caseloads:return", kwargs={"team_id": team.pk, "month": month}))
    team = Team.objects.prefetch_related("managers").get(pk=team.pk)
    workers = Worker.objects.filter(team=team).order_by("name", "staff_number", "pk")
    in_post = workers.active_on(timezone.localdate())
    context = {
        "team": team,
        # In post now: as many as the team has posts, so shown whole.
        "current_workers": list(in_post),
        # Everyone who ever left the team grows with the years: a page of them at a time.
        "former_workers": page_of(request, workers.exclude(pk__in=in_post.values("pk")), field="former_page"),
        # A return a month for years: shown a page at a time, newest first.
        "returns": page_of(
            request,
            CaseloadReturn.objects.filter(team=team).select_related("submitted_by", "updated_by").order_by("-month"),
            field="returns_page",
        ),
        "can_manage": can_manage_team(request.user, team),
        "open_form": OpenReturnForm(until=this_month()),
        "due_month": due_month(),
        "due_label": month_long_label(due_month()),
        "due_slug": month_slug(due_month()),
    }
    return render(request, "caseloads/team.html", context)
