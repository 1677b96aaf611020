"""The indicator list's filters: theme, kind, polarity, latest RAG, quarter, and a search."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from indicators.models import Indicator, Kind, Polarity, Theme
from indicators.rag import Rag

RAG_CHOICES = [(r.value, r.value) for r in Rag]


class IndicatorFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Code or words in the description", method="filter_search")
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), label="Theme", method="filter_theme", empty_label="All themes"
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="Kind", empty_label="Targets and trackers")
    polarity = django_filters.ChoiceFilter(choices=Polarity.choices, label="Polarity", empty_label="Any polarity")
    # Rated in Python after the rows are selected: see IndicatorListView.get_table_data.
    rag = django_filters.ChoiceFilter(
        choices=RAG_CHOICES, label="Latest RAG", method="filter_nothing", empty_label="Any RAG"
    )
    quarter = django_filters.ChoiceFilter(label="Quarter", method="filter_nothing", empty_label=None)

    class Meta:
        model = Indicator
        fields = ["search", "theme", "kind", "polarity", "rag", "quarter"]

    def __init__(self, *args, quarter_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["quarter"].extra["choices"] = list(quarter_choices)
        self.form.fields["quarter"].choices = list(quarter_choices)

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(code__icontains=word) | Q(description__icontains=word))
        return queryset

    def filter_theme(self, queryset, name, value):
        return queryset.in_theme(value)

    def filter_nothing(self, queryset, name, value):
        return queryset
