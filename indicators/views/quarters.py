"""Appendix 3 for any quarter: Table 1 (target indicators) and Table 2 (tracker indicators)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from indicators import conf
from indicators.appendix import build_appendix
from indicators.disclosure import rows_for
from indicators.exports import CONTENT_TYPES, FORMATS, filename_for, scorecard_records
from indicators.exports import render as render_export
from indicators.forms import QuarterFilterForm, QuarterPickerForm
from indicators.horizon import Horizon, horizon_for
from indicators.quarter_page import PER_PAGE, page_rows, rag_totals, reporting_themes, shown_indicators
from indicators.quarters import Quarter, QuarterError
from indicators.selectors import quarter_rows, quarters_with_data
from indicators.views.access import read_required
from perfsite.pagination import page_of
from perfsite.roles import is_scrutiny_member_only


def _parse(slug: str, horizon: Horizon) -> Quarter:
    """The quarter of ``slug``; 404 when there is none, or when the reader may not open it (not yet published)."""
    try:
        quarter = Quarter.parse(slug)
    except QuarterError:
        raise Http404("No such quarter") from None
    if not horizon.allows_quarter(quarter):
        raise Http404("No such quarter")
    return quarter


def picker(current: Quarter, horizon: Horizon) -> list[Quarter]:
    quarters = horizon.quarters(quarters_with_data())
    if current not in quarters:
        quarters = sorted([*quarters, current], reverse=True)
    return quarters


@read_required
def quarter_index(request):
    horizon = horizon_for(request.user)
    quarters = horizon.quarters(quarters_with_data())
    if "quarter" in request.GET:
        form = QuarterPickerForm(request.GET, quarters=quarters)
        if form.is_valid():
            return redirect("indicators:quarter", slug=form.cleaned_data["quarter"])
    else:
        form = QuarterPickerForm(quarters=quarters, initial={"quarter": quarters[0].slug if quarters else ""})
    return render(
        request,
        "indicators/quarter_index.html",
        {
            "form": form,
            "quarters": quarters,
            **horizon.template_context(),
        },
    )


@read_required
def quarter_page(request, slug: str):
    horizon = horizon_for(request.user)
    quarter = _parse(slug, horizon)
    if quarter.slug != slug:
        return redirect("indicators:quarter", slug=quarter.slug)
    member_view = is_scrutiny_member_only(request.user)
    themes = reporting_themes()
    filters = QuarterFilterForm(request.GET or None, themes=themes)
    shown = shown_indicators(**filters.filters())
    # Only the page's indicators are selected and built (quarter_page); the whole table is the export.
    page = page_of(request, shown, per_page=PER_PAGE)
    rows = page_rows(quarter, shown, start=max(page.start_index() - 1, 0), stop=page.end_index())
    rows = rows_for(request.user, horizon.rows(rows))

    def every_row():  # the totals' rows on SQLite only (quarter_page.rag_totals)
        return rows_for(request.user, horizon.rows(quarter_rows(quarter)))

    quarters = picker(quarter, horizon)
    next_quarter = quarter.next()
    return render(
        request,
        "indicators/quarter.html",
        {
            "quarter": quarter,
            "tables": build_appendix(
                rows, theme_order=[name for _, name in themes], region_name=conf.home_region_name()
            ),
            "totals": rag_totals(quarter, member_only=member_view, rows_for_python=every_row),
            "filters": filters,
            "filtered": filters.is_bound and any(filters.filters().values()),
            "page": page,
            "picker": QuarterPickerForm(quarters=quarters, initial={"quarter": quarter.slug}),
            "previous_quarter": quarter.previous(),
            # No link to a quarter the reader could not open.
            "next_quarter": next_quarter if horizon.allows_quarter(next_quarter) else None,
            "region_name": conf.home_region_name(),
            "formats": FORMATS,
            "member_view": member_view,
            **horizon.template_context(),
        },
    )


@read_required
def quarter_export(request, slug: str, fmt: str):
    horizon = horizon_for(request.user)
    quarter = _parse(slug, horizon)
    if fmt not in FORMATS:
        raise Http404("No such format")
    records = scorecard_records(quarter, member_only=is_scrutiny_member_only(request.user), horizon=horizon)
    data = render_export(records, fmt, quarter=quarter)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename_for(quarter, fmt)}"'
    return response
