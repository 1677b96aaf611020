"""Out-of-date figures, and rating like with like.

A figure is **out of date** in a quarter when its period ends more than a span before the quarter
ends. The span is ``PERFSITE_STALE_AFTER_MONTHS`` when set, else the indicator's usual frequency,
inferred from its own figures: a period's length (rounded to whole months: 12 for an annual
figure, 3 for a quarterly one, 1 for a monthly one), or, for snapshots ("As at Mar 2017"), the
gap since the snapshot before it; 12 months when neither tells.

An out-of-date figure is rated only against comparators for the **same period** (like with
like): the target for its own period, a benchmark whose period is the figure's own. Benchmarks
and targets for other periods are shown but not rated, and the cell says why. Its own earlier
figures (the previous period, a year earlier) are still compared: that is the change between two
periods of the same measure, and every sentence that states it names both periods.
See docs/indicators.md ("Out-of-date figures").
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings

from indicators.periods import YEAR_BACK_SLACK_DAYS, PeriodValue

DEFAULT_MONTHS = 12
# Comparators that are the figure's own earlier periods: a change over time, rated as before.
OWN_HISTORY = ("previous", "twelve_months_earlier")
_DAYS_PER_MONTH = 30.44


@functools.lru_cache(maxsize=256)  # a page asks the same few (quarter end, span) pairs once a row
def months_back(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier, on the month's last day when the day does not exist there."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    # A month end stays a month end (31 Mar back 3 months is 31 Dec, back 1 is 28/29 Feb).
    next_day = day + datetime.timedelta(days=1)
    return datetime.date(year, month, last if next_day.day == 1 else min(day.day, last))


def _whole_months(days: int) -> int:
    return max(1, round(days / _DAYS_PER_MONTH))


def usual_months(latest: PeriodValue | None, previous: PeriodValue | None = None) -> int:
    """The indicator's usual frequency in months, from its latest figure (and the one before it)."""
    if latest is None:
        return DEFAULT_MONTHS
    if latest.period_start != latest.period_end:
        return _whole_months((latest.period_end - latest.period_start).days + 1)
    if previous is not None and previous.period_end < latest.period_end:
        return _whole_months((latest.period_end - previous.period_end).days)
    return DEFAULT_MONTHS


def allowed_months(latest: PeriodValue | None, previous: PeriodValue | None = None) -> int:
    configured = settings.PERFSITE_STALE_AFTER_MONTHS
    return configured if configured else usual_months(latest, previous)


@dataclass(frozen=True)
class Staleness:
    out_of_date: bool
    months: int  # the span allowed
    reason: str = ""


FRESH = Staleness(out_of_date=False, months=DEFAULT_MONTHS)


def staleness(
    latest: PeriodValue | None,
    *,
    quarter_end: datetime.date,
    quarter_label: str = "",
    previous: PeriodValue | None = None,
    latest_label: str = "",
) -> Staleness:
    """Whether ``latest`` is out of date when shown in the quarter ending ``quarter_end``."""
    months = allowed_months(latest, previous)
    if latest is None:
        return Staleness(False, months)
    oldest_current = months_back(quarter_end, months)
    if latest.period_end >= oldest_current:
        return Staleness(False, months)
    shown_in = f" in {quarter_label}" if quarter_label else ""
    period = latest_label or f"the period ending {latest.period_end:%-d %b %Y}"
    span = "1 month" if months == 1 else f"{months} months"
    reason = f"Out of date: {period} ended more than {span} before the quarter it is shown{shown_in}."
    return Staleness(True, months, reason)


def same_period(one: PeriodValue, other: PeriodValue) -> bool:
    """Two figures for the same period, give or take the days by which DfE and the council date them."""
    return (
        abs((one.period_start - other.period_start).days) <= YEAR_BACK_SLACK_DAYS
        and abs((one.period_end - other.period_end).days) <= YEAR_BACK_SLACK_DAYS
    )


def covers(target: PeriodValue, latest: PeriodValue) -> bool:
    """A target applies to the figure whose period ends inside the target's period."""
    return target.period_start <= latest.period_end <= target.period_end


def unrated_reason(name: str, latest: PeriodValue, comparator: PeriodValue, *, comparator_label: str = "") -> str:
    """Why an out-of-date figure is not rated against ``comparator`` (empty when it is: like with like)."""
    if name in OWN_HISTORY:
        return ""
    if name == "target" and covers(comparator, latest):
        return ""
    if name != "target" and same_period(comparator, latest):
        return ""
    other = comparator_label or f"the period ending {comparator.period_end:%-d %b %Y}"
    return f"Not rated: the figure is out of date and this comparator is for another period ({other})."
