"""Actions raised by audits: by owner and team, overdue ones flagged, closed by their owner."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from audits.models import AuditAction
from audits.scope import AUDIT_ROLES, actions_for
from audits.services.actions import close_action, may_close
from audits.tables import ActionTable
from caseloads.models import Team
from perfsite.pagination import paginate_table
from perfsite.roles import Role, has_role, is_performance_officer, is_scrutiny_member_only


class ActionFilter(django_filters.FilterSet):
    STATE_CHOICES = (("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed"))

    state = django_filters.ChoiceFilter(label="Status", choices=STATE_CHOICES, method="filter_state", empty_label="All")
    team = django_filters.ModelChoiceFilter(
        field_name="audit__team", queryset=Team.objects.none(), label="Team", empty_label="All teams"
    )
    mine = django_filters.BooleanFilter(label="Only actions I own", method="filter_mine")

    class Meta:
        model = AuditAction
        fields = ()

    def __init__(self, *args, user, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["team"].queryset = teams

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.user) if value else queryset


def _may_see_actions(user) -> bool:
    if user.is_superuser:
        return True
    if is_scrutiny_member_only(user):
        return False
    return has_role(user, *AUDIT_ROLES) or AuditAction.objects.filter(owner=user).exists()


def action_list(request):
    if not _may_see_actions(request.user):
        raise PermissionDenied
    actions = actions_for(request.user)
    teams = Team.objects.filter(pk__in=actions.values("audit__team")).order_by("name")
    data = request.GET.copy()
    data.setdefault("state", "open")
    filterset = ActionFilter(data, queryset=actions, user=request.user, teams=teams)
    rows = filterset.qs.order_by("owner__first_name", "owner__last_name", "due_on", "pk")
    managed = (
        set(Team.objects.managed_by(request.user).values_list("pk", flat=True))
        if has_role(request.user, Role.TEAM_MANAGER)
        else set()
    )
    table = ActionTable(
        rows,
        closer=(request.user.pk, is_performance_officer(request.user), managed),
        csrf_token=get_token(request),
        order_by=("owner", "due_on"),
    )
    paginate_table(request, table)
    counts = {"overdue": actions.overdue(timezone.localdate()).count(), "open": actions.open().count()}
    return render(request, "audits/action_list.html", {"filter": filterset, "table": table, "counts": counts})


@require_POST
def action_close(request, pk):
    if not _may_see_actions(request.user):
        raise PermissionDenied
    action = get_object_or_404(actions_for(request.user), pk=pk)
    if not may_close(action, request.user):
        raise PermissionDenied
    if close_action(action=action, user=request.user):
        messages.success(request, f"Action closed: {action.description[:60]}")
    else:
        messages.info(request, "That action was already closed.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("audits:action_list")
