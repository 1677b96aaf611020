"""Performance officers add and correct an indicator's figures: actuals, targets and benchmarks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from indicators.forms import ValueForm
from indicators.models import Indicator, IndicatorValue, Series
from indicators.values import StaleValue, correct_value, delete_value, upsert_value
from indicators.views.access import officer_required


@officer_required
@require_http_methods(["GET", "POST"])
def value_add(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    series = request.GET.get("series", Series.ACTUAL)
    initial = {"series": series if series in Series.values else Series.ACTUAL}
    form = ValueForm(request.POST or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data["fields"]
        upsert_value(
            indicator=indicator,
            series=form.cleaned_data["series"],
            period_label=fields.period_label,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            value=form.cleaned_data["value"],
            numerator=fields.numerator,
            denominator=fields.denominator,
            status=fields.status,
            footnote=fields.footnote,
            user=request.user,
            reason="Added by a performance officer",
        )
        messages.success(request, f"{Series(form.cleaned_data['series']).label} for {fields.period_label} added.")
        return redirect(indicator)
    return render(
        request,
        "indicators/value_form.html",
        {"form": form, "indicator": indicator, "title": "Add a figure", "error_title": bool(form.errors)},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def value_edit(request, pk: int):
    item = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    indicator = item.indicator
    form = ValueForm(request.POST or None, indicator=indicator, instance=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            changed = correct_value(
                item=item,
                series=form.cleaned_data["series"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                fields=form.cleaned_data["fields"],
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except StaleValue as exc:
            # 409 Conflict: the officer's figures stay on the form so they can compare and redo them.
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, "Figure corrected." if changed else "Nothing was changed.")
            return redirect(indicator)
    return render(
        request,
        "indicators/value_form.html",
        {
            "form": form,
            "indicator": indicator,
            "item": item,
            "title": "Correct a figure",
            "error_title": bool(form.errors),
        },
        status=status,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def value_delete(request, pk: int):
    item = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    if request.method == "POST":
        try:
            delete_value(item=item, user=request.user)
        except ValidationError as exc:  # a computed figure: only its source removes it
            messages.error(request, " ".join(exc.messages))
            return redirect(item.indicator)
        messages.success(request, f"{item.get_series_display()} for {item.period_label} removed; its history is kept.")
        return redirect(item.indicator)
    return render(request, "indicators/value_confirm_delete.html", {"item": item, "indicator": item.indicator})
