"""Caseloads publish their monthly roll-up as computed indicators, so the scorecard rates them like any other.

- "Average caseload per WTE" (target indicator, lower is better; the target each month is the
  optimum, 20): counted cases / counted WTE.
- "% of counted social workers with a caseload over 20 per WTE" (tracker, lower is better):
  counted staff over 20 / counted staff.

Each month is an ``actual`` with its numerator and denominator. A month with no submitted return
has no figure (a figure published earlier is removed). Recomputing is idempotent: writing the same
figures changes nothing.

``CASELOAD_FIGURES`` is registered in indicators' registry of computed indicators
(``CaseloadsConfig.ready``). The services that submit or reopen a return call ``recompute_after``
explicitly, the import ``recompute_months`` once for every month it changed; the nightly run in
``CELERY_BEAT_SCHEDULE`` catches up anything missed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min

from caseloads import conf
from caseloads.models import CaseloadReturn, ReturnStatus
from caseloads.months import first_of_month, month_end, month_label, months_between
from caseloads.rollups import month_rollup
from indicators.computed import ComputedSource
from indicators.models import IndicatorValue, Series
from indicators.services import ensure_computed_indicator
from indicators.tasks import queue_recompute
from indicators.values import upsert_computed_value
from perfsite.one_reading import read_once
from perfsite.stats import wilson_interval

THEME = "Altogether Better for Children and Young People"
AVERAGE_CODE = "CASELOAD 1"
OVER_CODE = "CASELOAD 2"
REASON = "Recomputed from the submitted caseload returns"


def average_indicator():
    return ensure_computed_indicator(
        code=AVERAGE_CODE,
        description="Average caseload per WTE (counted social workers and senior practitioners)",
        kind="target",
        polarity="lower",
        unit="number",
        decimals=1,
        themes=[THEME],
        framework_level="assessment_safeguarding",
        framework_theme="social_work_practice",
        owner="Children's social care: caseload returns",
    )


def over_optimum_indicator():
    return ensure_computed_indicator(
        code=OVER_CODE,
        description=f"% of counted social workers with a caseload over {conf.optimum()} per WTE",
        kind="tracker",
        polarity="lower",
        unit="percent",
        decimals=1,
        themes=[THEME],
        framework_level="assessment_safeguarding",
        framework_theme="social_work_practice",
        owner="Children's social care: caseload returns",
    )


def _period(month: datetime.date) -> dict:
    return {"period_label": month_label(month), "period_start": month, "period_end": month_end(month)}


def month_figures(month: datetime.date):
    """The month's roll-up of every team: what the CASELOAD rows and the scorecard's caseload panel both
    rest on. Inside ``perfsite.one_reading`` (a publish) it is read once, so the two cannot differ."""
    month = first_of_month(month)
    return read_once(("caseloads.month_rollup", month), lambda: month_rollup(month=month))


def recompute_month(month: datetime.date, *, indicators=None) -> int:
    """Write one month's figures; returns how many values changed (0 when nothing did)."""
    month = first_of_month(month)
    average, over = indicators or (average_indicator(), over_optimum_indicator())
    rollup = month_figures(month)
    has_data = rollup.has_data and rollup.counted_staff > 0
    period = _period(month)
    changed = 0
    with transaction.atomic():
        changed += upsert_computed_value(
            indicator=average,
            series=Series.ACTUAL,
            value=rollup.average_per_wte if has_data else None,
            numerator=Decimal(rollup.counted_cases) if has_data else None,
            denominator=rollup.counted_wte if has_data else None,
            reason=REASON,
            **period,
        )
        changed += upsert_computed_value(
            indicator=average,
            series=Series.TARGET,
            value=Decimal(conf.optimum()) if has_data else None,
            reason="The optimum caseload per WTE",
            **period,
        )
        changed += upsert_computed_value(
            indicator=over,
            series=Series.ACTUAL,
            value=rollup.over_20_pct if has_data else None,
            numerator=Decimal(rollup.over_20_count) if has_data else None,
            denominator=Decimal(rollup.counted_staff) if has_data else None,
            reason=REASON,
            **period,
        )
    return changed


def months_to_recompute() -> list[datetime.date]:
    """Every month with a submitted return, and every month that already has a figure (it may need removing)."""
    returns = CaseloadReturn.objects.filter(status=ReturnStatus.SUBMITTED).aggregate(
        first=Min("month"), last=Max("month")
    )
    published = IndicatorValue.objects.filter(
        indicator__code__in=(AVERAGE_CODE, OVER_CODE), series=Series.ACTUAL
    ).aggregate(first=Min("period_start"), last=Max("period_start"))
    starts = [d for d in (returns["first"], published["first"]) if d]
    ends = [d for d in (returns["last"], published["last"]) if d]
    if not starts:
        return []
    return months_between(min(starts), max(ends))


CASELOAD_FIGURES = ComputedSource(
    label="caseloads",
    records="caseload returns",
    codes=(AVERAGE_CODE, OVER_CODE),
    period_of=first_of_month,
    recompute_period=recompute_month,
    periods=months_to_recompute,
    define=lambda: (average_indicator(), over_optimum_indicator()),
    smallest_base=lambda: settings.PERFSITE_SMALLEST_WORKER_BASE,
    base_words=("counted worker", "counted workers"),
    # The share over the optimum is workers over it of workers counted; the average has no interval.
    interval=wilson_interval,
    proportions=(OVER_CODE,),
)


def recompute_after(caseload_return: CaseloadReturn) -> None:
    """Queue, on commit, the recompute of the month of a return that was submitted, reopened or imported."""
    queue_recompute(codes=CASELOAD_FIGURES.codes, days=[caseload_return.month])


def recompute_months(months: Iterable[datetime.date]) -> None:
    """Queue, on commit, one recompute of every month an import changed: one task, not one per return."""
    queue_recompute(codes=CASELOAD_FIGURES.codes, days=months)
