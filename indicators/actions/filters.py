"""Filters of the officers' action list: status, owner, service, quarter, overdue only."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from indicators.action_models import ActionStatus, PerformanceAction
from indicators.actions.forms import OwnerField, owner_queryset


class OwnerFilter(django_filters.ModelChoiceFilter):
    field_class = OwnerField


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label="Status", empty_label="Any status")
    owner = OwnerFilter(queryset=lambda request: owner_queryset(), label="Owner", empty_label="Anyone")
    owner_service = django_filters.CharFilter(label="Service", lookup_expr="icontains")
    quarter = django_filters.CharFilter(label="Quarter", help_text="Like 2016-17-q4")
    overdue = django_filters.BooleanFilter(
        label="Overdue only", method="filter_overdue", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = PerformanceAction
        fields = ["status", "owner", "owner_service", "quarter", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.overdue(timezone.localdate())
        return queryset
