"""Audits publish the quarter's share of case files graded good or above as a computed indicator.

"% of audited case files graded good or above" (target indicator, higher is better, target 65 by
default, ``PERFSITE_AUDIT_TARGET_PCT``): one ``actual`` per quarter with audits completed in it
(numerator: agreed grades good or above; denominator: audits completed), and the target for the
same quarter. The agreed grade is the moderator's where moderated, as in every roll-up. A quarter
left without completed audits loses its figure. Recomputing is idempotent. An audit submitted or
moderated queues its quarter's recompute on commit; beat recomputes every quarter nightly.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Max, Min
from django.dispatch import receiver

from audits import conf
from audits.models import Audit
from audits.rollups import quarter_rollup
from audits.signals import audit_grade_changed
from indicators.models import IndicatorValue, Series
from indicators.quarters import Quarter
from indicators.services import ensure_computed_indicator, upsert_value
from perfsite.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

THEME = "Altogether Better for Children and Young People"
GOOD_OR_ABOVE_CODE = "CASE AUDIT 1"
REASON = "Recomputed from the agreed grades of completed audits"


def good_or_above_indicator():
    return ensure_computed_indicator(
        code=GOOD_OR_ABOVE_CODE,
        description="% of audited case files graded good or above",
        kind="target",
        polarity="higher",
        unit="percent",
        decimals=1,
        themes=[THEME],
        framework_level="assessment_safeguarding",
        framework_theme="social_work_practice",
        owner="Children's social care: quality assurance (case-file audits)",
    )


def recompute_quarter(quarter: Quarter, *, indicator=None) -> int:
    """Write one quarter's figure and target; returns how many values changed."""
    indicator = indicator or good_or_above_indicator()
    rollup = quarter_rollup(quarter=quarter)
    has_data = rollup.audited > 0
    period = {"period_label": quarter.period_label, "period_start": quarter.start, "period_end": quarter.end}
    with transaction.atomic():
        changed = upsert_value(
            indicator=indicator,
            series=Series.ACTUAL,
            value=rollup.good_or_above_pct if has_data else None,
            numerator=rollup.good_or_above if has_data else None,
            denominator=rollup.audited if has_data else None,
            reason=REASON,
            **period,
        )
        changed += upsert_value(
            indicator=indicator,
            series=Series.TARGET,
            value=conf.target_pct() if has_data else None,
            reason="The audit programme's target",
            **period,
        )
    return changed


def quarters_to_recompute(indicator) -> list[Quarter]:
    """Every quarter with completed audits, and every quarter that already has a figure."""
    completed = Audit.objects.completed().aggregate(first=Min("completed_on"), last=Max("completed_on"))
    published = IndicatorValue.objects.filter(indicator=indicator, series=Series.ACTUAL).aggregate(
        first=Min("period_end"), last=Max("period_end")
    )
    firsts = [d for d in (completed["first"], published["first"]) if d]
    lasts = [d for d in (completed["last"], published["last"]) if d]
    if not firsts:
        return []
    quarter, last = Quarter.containing(min(firsts)), Quarter.containing(max(lasts))
    quarters = []
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def recompute_all_audit_indicators() -> dict:
    indicator = good_or_above_indicator()
    quarters = quarters_to_recompute(indicator)
    changed = sum(recompute_quarter(quarter, indicator=indicator) for quarter in quarters)
    return {"quarters": len(quarters), "changed": changed}


@shared_task(name="audits.computed.recompute_audit_quarter")
def recompute_audit_quarter(quarter: str) -> int:
    """Recompute one quarter (``2016-17-q4``); idempotent, safe to retry."""
    return recompute_quarter(Quarter.parse(quarter))


@shared_task(name="audits.computed.recompute_audit_indicators")
def recompute_audit_indicators() -> dict:
    return recompute_all_audit_indicators()


@receiver(audit_grade_changed, dispatch_uid="audits.computed.on_audit_grade_changed")
def on_audit_grade_changed(sender, audit, **kwargs) -> None:
    if audit.completed_on is None:
        return
    quarter = Quarter.containing(audit.completed_on).slug
    enqueue_on_commit(recompute_audit_quarter, quarter)
