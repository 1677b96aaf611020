"""The month's caseload roll-up with the band chart and the monthly trend against the optimum."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from caseloads import conf
from caseloads.models import Team
from caseloads.months import MonthError, month_label, month_long_label, month_slug, parse_month
from caseloads.rollups import month_rollup, monthly_trend, submitted_months
from caseloads.views.common import caseload_view, this_month
from indicators.quarters import Quarter, QuarterError
from perfsite.charts import Series, bar_chart, line_chart
from perfsite.roles import is_performance_officer


def _escaped(text) -> str:
    """``conditional_escape`` without its per-call wrappers: safe text as it is, anything else escaped."""
    return str(text.__html__()) if hasattr(text, "__html__") else html.escape(str(text))


class PlainSelect(forms.Select):
    """A select whose options are written in one pass of Python, not one template render each.

    Django's Select renders every option through a template include (about half a millisecond
    each): with a council's hundreds of teams and ten years of months the filter alone cost more
    than the roll-up it filters. Each option is one formatted string, escaped as ``format_html``
    escapes, without its per-argument calls. The markup is the same (tests compare the two).
    """

    # Given as (value, label) strings and kept as they are: Django normalises choices one at a time,
    # which with a council's teams cost as much as writing them.
    def _keep_choices(self, value):
        self._plain_choices = list(value)

    choices = property(lambda self: self._plain_choices, _keep_choices)

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{_escaped(key)}"{" selected" if str(key) in selected else ""}>{_escaped(label)}</option>'
            for key, label in self.choices
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final), mark_safe(options))  # noqa: S308  # nosec B308, B703 - escaped above


class PlainChoiceField(forms.ChoiceField):
    """A choice field given its choices as (value, label) strings, kept as they are (as ``PlainSelect``)."""

    def _keep_choices(self, value):
        self._choices = self.widget.choices = list(value)

    choices = property(forms.ChoiceField.choices.fget, _keep_choices)


class RollupFilterForm(forms.Form):
    month = PlainChoiceField(label="Month", widget=PlainSelect)
    team = PlainChoiceField(label="Team", required=False, widget=PlainSelect)

    def __init__(self, *args, months, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(month_slug(m), month_long_label(m)) for m in months]
        self.fields["team"].choices = [("", "All your teams"), *((str(t.pk), t.name) for t in teams)]


class TeamChoice(NamedTuple):
    pk: int
    name: str


def _selected_month(request, months):
    """?month=YYYY-MM, or ?quarter=2016-17-q4 (its last month), else the latest month with figures."""
    if request.GET.get("quarter"):
        try:
            return Quarter.parse(request.GET["quarter"]).last_month
        except QuarterError:
            pass
    if request.GET.get("month"):
        try:
            return min(parse_month(request.GET["month"]), this_month())
        except MonthError:
            pass
    return months[0] if months else None


def _band_chart(rollup, scope_label):
    return bar_chart(
        title=f"% of staff by WTE caseload range, {month_long_label(rollup.month)} ({scope_label})",
        categories=[band.label for band in rollup.bands],
        series=[Series("% of counted staff", [band.pct for band in rollup.bands])],
        unit="%",
        decimals=1,
        y_label="% of counted staff",
        category_label="Cases per WTE",
    )


def _trend_charts(trend, scope_label):
    categories = [month_label(point.month) for point in trend]
    optimum = conf.optimum()
    first, last = trend[0].month, trend[-1].month
    average = line_chart(
        title=f"Average caseload per WTE, {month_label(first)} to {month_label(last)} ({scope_label})",
        categories=categories,
        series=[Series("Average caseload per WTE", [point.average_per_wte for point in trend])],
        target=Decimal(optimum),
        target_label=f"Optimum: {optimum}",
        decimals=1,
        y_label="Cases per WTE",
        category_label="Month",
    )
    over = line_chart(
        title=f"Staff over {optimum} cases per WTE, {month_label(first)} to {month_label(last)} ({scope_label})",
        categories=categories,
        series=[
            Series(f"% of counted staff over {optimum}", [point.over_20_pct for point in trend]),
        ],
        unit="%",
        decimals=1,
        y_label="% of counted staff",
        category_label="Month",
    )
    return average, over


@caseload_view
def rollup_page(request):
    visible = Team.objects.visible_to(request.user)
    # Each team's id and name, all the filter and the table's links read: no model instance per team.
    teams = [TeamChoice(*pair) for pair in visible.order_by("name").values_list("pk", "name")]
    officer = is_performance_officer(request.user)
    scope = None if officer else visible
    chosen = None
    if request.GET.get("team"):
        chosen = next((t for t in teams if str(t.pk) == request.GET["team"]), None)
        if chosen is not None:
            scope = [chosen]
    # An officer sees every team: the months of any team's returns, read down their index.
    months = submitted_months(teams=None if officer else visible)
    month = _selected_month(request, months)
    scope_label = chosen.name if chosen else ("all teams" if officer else "your teams")
    form = RollupFilterForm(
        initial={"month": month_slug(month) if month else "", "team": str(chosen.pk) if chosen else ""},
        months=months,
        teams=teams,
    )
    context = {"form": form, "month": month, "scope_label": scope_label, "optimum": conf.optimum(), "chosen": chosen}
    if month is not None:
        rollup = month_rollup(month=month, teams=scope)
        start = min(conf.baseline_month(), month)
        trend = monthly_trend(start=start, end=month, teams=scope)
        average_chart, over_chart = _trend_charts(trend, scope_label)
        baseline = trend[0]
        team_ids = {team.name: team.pk for team in teams}  # once: built per row it was quadratic in teams
        context.update(
            rollup=rollup,
            month_label=month_long_label(month),
            band_chart=_band_chart(rollup, scope_label),
            average_chart=average_chart,
            over_chart=over_chart,
            baseline=baseline,
            by_team_rows=[(t, team_ids.get(t.team)) for t in rollup.by_team],
        )
    return render(request, "caseloads/rollup.html", context)
