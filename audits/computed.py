"""Audits publish the quarter's share of case files graded good or above as a computed indicator.

"% of audited case files graded good or above" (target indicator, higher is better, target 65 by
default, ``PERFSITE_AUDIT_TARGET_PCT``): one ``actual`` per quarter with audits completed in it
(numerator: agreed grades good or above; denominator: audits completed), and the target for the
same quarter. The agreed grade is the moderator's where moderated, as in every roll-up. A quarter
left without completed audits loses its figure, unless it is past retention (docs/data-protection.md):
then its audits were deleted on purpose and the figure stays. Only audits of random rounds (and the
imported results of the programme's past random samples) count: thematic rounds are chosen on purpose.
Recomputing is idempotent.

``AUDIT_FIGURES`` is registered in indicators' registry of computed indicators (``AuditsConfig.ready``).
The services that change an agreed grade (submit, return, moderate, the results import) call
``recompute_after`` explicitly; the nightly run in ``CELERY_BEAT_SCHEDULE`` catches up anything missed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from audits import conf
from audits.models import Audit
from audits.retention import retention_cutoff
from audits.rollups import quarter_rollup
from indicators.computed import ComputedSource
from indicators.models import IndicatorValue, Series
from indicators.quarters import Quarter
from indicators.services import ensure_computed_indicator
from indicators.tasks import queue_recompute
from indicators.values import upsert_computed_value
from perfsite.one_reading import read_once
from perfsite.stats import wilson_interval

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


def random_rollup(quarter: Quarter):
    """The quarter's roll-up of random-round audits: what CASE AUDIT 1 and the scorecard's audit panel
    both rest on. Inside ``perfsite.one_reading`` (a publish) it is read once, so the two cannot differ."""
    # Thematic rounds are chosen on purpose, not drawn at random: they do not feed the quality figure.
    return read_once(("audits.random_rollup", quarter.slug), lambda: quarter_rollup(quarter=quarter, random_only=True))


def recompute_quarter(quarter: Quarter, *, indicator=None) -> int:
    """Write one quarter's figure and target; returns how many values changed."""
    indicator = indicator or good_or_above_indicator()
    rollup = random_rollup(quarter)
    has_data = rollup.audited > 0
    period = {"period_label": quarter.period_label, "period_start": quarter.start, "period_end": quarter.end}
    with transaction.atomic():
        changed = upsert_computed_value(
            indicator=indicator,
            series=Series.ACTUAL,
            value=rollup.good_or_above_pct if has_data else None,
            numerator=rollup.good_or_above if has_data else None,
            denominator=rollup.audited if has_data else None,
            reason=REASON,
            **period,
        )
        changed += upsert_computed_value(
            indicator=indicator,
            series=Series.TARGET,
            value=conf.target_pct() if has_data else None,
            reason="The audit programme's target",
            **period,
        )
    return changed


def quarters_to_recompute() -> list[Quarter]:
    """Every quarter with completed audits, and every quarter that already has a figure."""
    completed = Audit.objects.completed().aggregate(first=Min("completed_on"), last=Max("completed_on"))
    published = IndicatorValue.objects.filter(indicator__code=GOOD_OR_ABOVE_CODE, series=Series.ACTUAL).aggregate(
        first=Min("period_end"), last=Max("period_end")
    )
    firsts = [d for d in (completed["first"], published["first"]) if d]
    lasts = [d for d in (completed["last"], published["last"]) if d]
    if not firsts:
        return []
    quarter, last = Quarter.containing(min(firsts)), Quarter.containing(max(lasts))
    # A quarter whose audits retention has deleted keeps its figure: an aggregate, part of the record.
    past_retention = retention_cutoff(timezone.localdate(), settings.PERFSITE_RETENTION_YEARS_AFTER_CLOSURE)
    # The quarters before it that still hold completed audits, in one query (not one per quarter).
    # Financial quarters start in April, so each is one calendar quarter: TruncQuarter finds it.
    held = {
        Quarter.containing(start)
        for start in Audit.objects.completed()
        .filter(completed_on__lt=past_retention)
        .annotate(quarter_start=TruncQuarter("completed_on"))
        .values_list("quarter_start", flat=True)
        .distinct()
    }
    quarters = []
    while quarter <= last:
        if quarter.end >= past_retention or quarter in held:
            quarters.append(quarter)
        quarter = quarter.next()
    return quarters


AUDIT_FIGURES = ComputedSource(
    label="audits",
    records="case-file audits",
    codes=(GOOD_OR_ABOVE_CODE,),
    period_of=Quarter.containing,
    recompute_period=recompute_quarter,
    periods=quarters_to_recompute,
    define=good_or_above_indicator,
    smallest_base=lambda: settings.PERFSITE_SMALLEST_AUDIT_BASE,
    base_words=("audit", "audits"),
    interval=wilson_interval,
)


def recompute_after(*completed_on: datetime.date | None) -> None:
    """Queue, on commit, the recompute of the quarters an audit counted in (before and after a change)."""
    queue_recompute(codes=AUDIT_FIGURES.codes, days=completed_on)
