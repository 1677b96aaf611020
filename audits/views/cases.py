"""The case list (officers, and managers for their teams) and one case with its audits."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404, render

from audits.choices import CaseType
from audits.models import Case
from audits.scope import audits_for, cases_for, refuse_members
from audits.tables import CaseTable
from caseloads.models import Team
from perfsite.pagination import page_of, paginate_table
from perfsite.roles import is_performance_officer


class CaseFilter(django_filters.FilterSet):
    case_ref = django_filters.CharFilter(label="Case reference", lookup_expr="icontains")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All teams")
    case_type = django_filters.ChoiceFilter(label="Case type", choices=CaseType.choices, empty_label="All types")
    open = django_filters.BooleanFilter(label="Open", field_name="closed_on", lookup_expr="isnull")

    class Meta:
        model = Case
        fields = ()

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = teams


def case_list(request):
    refuse_members(request.user)
    cases = cases_for(request.user)
    teams = Team.objects.filter(pk__in=cases.values("team")).order_by("name")
    filterset = CaseFilter(request.GET or None, queryset=cases, teams=teams)
    table = CaseTable(filterset.qs, order_by="case_ref")
    paginate_table(request, table)
    return render(
        request,
        "audits/case_list.html",
        {"filter": filterset, "table": table, "is_officer": is_performance_officer(request.user)},
    )


def case_detail(request, pk):
    refuse_members(request.user)
    case = get_object_or_404(cases_for(request.user), pk=pk)
    # A case open for years is audited round after round: a page of its audits, newest quarter first.
    audits = audits_for(request.user).filter(case=case).order_by("-round__quarter", "-pk")
    return render(request, "audits/case_detail.html", {"case": case, "audits": page_of(request, audits)})
