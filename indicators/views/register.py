"""The indicator list and an indicator's page."""

from __future__ import annotations

import datetime

from django.db import connection
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from indicators import conf
from indicators.disclosure import member_safe_rag_history, rows_for, series_figures
from indicators.filters import IndicatorFilter
from indicators.forms import quarter_choices
from indicators.history import change_history
from indicators.horizon import horizon_for
from indicators.models import Indicator, Series
from indicators.quarters import Quarter
from indicators.register import RegisterData
from indicators.selectors import quarter_rows, quarters_with_data, row_from_values
from indicators.tables import IndicatorTable
from indicators.trends import rag_history, trend_chart
from indicators.views.access import read_required
from perfsite.pagination import PER_PAGE, BoundedPaginator
from perfsite.roles import is_performance_officer, is_scrutiny_member_only
from perfsite.spreadsheet import SpreadsheetExportMixin


def picker_quarters() -> list[Quarter]:
    found = quarters_with_data()
    return found or [Quarter.containing(datetime.date.today())]


@method_decorator(read_required, name="dispatch")
class IndicatorListView(SpreadsheetExportMixin, SingleTableMixin, FilterView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilter
    template_name = "indicators/indicator_list.html"
    paginate_by = PER_PAGE
    paginator_class = BoundedPaginator

    def get_queryset(self):
        return Indicator.objects.active()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # A scrutiny member may pick only quarters inside the published horizon.
        self.horizon = horizon_for(self.request.user)
        self.quarters = self.horizon.quarters(picker_quarters())
        kwargs["quarter_choices"] = quarter_choices(self.quarters)
        return kwargs

    @property
    def quarter(self) -> Quarter | None:
        """The quarter asked for if the reader may open it, else the default (None: nothing published)."""
        slug = self.request.GET.get("quarter", "")
        valid = {q.slug: q for q in self.quarters}
        return valid.get(slug) or self.horizon.default_quarter(self.quarters)

    def get_table_data(self):
        quarter = self.quarter
        if quarter is None:
            return []
        queryset = self.filterset.qs if self.filterset.is_valid() else self.get_queryset()
        wanted = self.filterset.form.cleaned_data.get("rag") if self.filterset.is_valid() else ""
        if connection.vendor == "postgresql":
            # Sorted, filtered and paged in SQL; only the shown page's rows are built (indicators.register).
            return RegisterData(
                quarter=quarter,
                indicators=queryset,
                member_only=is_scrutiny_member_only(self.request.user),
                rag=wanted or "",
                build=lambda ids: self._rows(quarter, ids),
            )
        # Made safe before the RAG filter: filtering on a hidden figure's rating would reveal it.
        rows = self._rows(quarter, queryset)
        if wanted:
            rows = [r for r in rows if r.headline_rag.value == wanted]
        return rows

    def _rows(self, quarter: Quarter, indicators) -> list:
        """The rows of ``indicators`` (a queryset, or ids whose order is kept) as the reader may see them."""
        rows = quarter_rows(quarter, indicators=indicators)
        if isinstance(indicators, list):
            by_id = {row.indicator_id: row for row in rows}
            rows = [by_id[pk] for pk in indicators]
        return rows_for(self.request.user, self.horizon.rows(rows))

    def get_export_filename(self, export_format):
        quarter = self.quarter
        return f"indicators-{quarter.slug if quarter else 'none-published'}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quarter"] = self.quarter
        context["row_count"] = len(context["table"].data)
        context["filtered"] = any(self.request.GET.get(name) for name in ("search", "theme", "kind", "polarity", "rag"))
        context["can_change"] = is_performance_officer(self.request.user)
        context["member_view"] = is_scrutiny_member_only(self.request.user)
        context.update(self.horizon.template_context())
        return context


@read_required
def indicator_detail(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.with_themes(), pk=pk)
    member_only = is_scrutiny_member_only(request.user)
    horizon = horizon_for(request.user)
    # A scrutiny member reads only the figures inside the published horizon, everywhere on the page.
    values = horizon.values(indicator.values.select_related("updated_by").order_by("-period_end", "-period_start"))
    figures = series_figures(values, unit=indicator.unit, member_only=member_only)
    series_tables = [(series, [f for f in figures if f.series == series.value]) for series in Series if series.value]
    if horizon.limited:
        # The latest position as the latest published quarter shows it, from the figures above.
        latest = horizon.latest_quarter
        current = rows_for(request.user, [row_from_values(indicator, values, quarter=latest)])[0] if latest else None
    else:
        quarter = Quarter.containing(datetime.date.today())
        (current,) = rows_for(request.user, quarter_rows(quarter, indicators=[indicator.pk]))
    # Who changed what names staff, and its before/after would undo the disclosure rule: members get none.
    history_page, history_entries = (
        (None, []) if member_only else change_history(indicator, page=request.GET.get("history_page"))
    )
    if history_page is not None:
        history_page.field = "history_page"  # the pagination's links change only this parameter
    history = rag_history(indicator, values)
    if member_only:
        history = member_safe_rag_history(history)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "series_tables": series_tables,
            "chart": trend_chart(indicator, figures),
            "has_figures": bool(figures),
            "rag_history": history,
            # Who changed what names staff, and its before/after would undo the disclosure rule.
            "show_history": not member_only,
            "history_page": history_page,
            "history": history_entries,
            "current": current,
            "can_change": is_performance_officer(request.user),
            "member_view": member_only,
            **horizon.template_context(),
            "region_name": conf.home_region_name(),
            "crumb_indicator": None,
        },
    )
