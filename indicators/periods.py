"""Periods and the rules that pick a quarter's figures from an indicator's series.

These are the plain-Python statement of the selection rules in docs/indicators.md ("A quarter's
row"). ``selectors.quarter_rows`` does the same selection in SQL for every indicator at once; a
property test holds the two to the same answers. The indicator page uses these directly on the one indicator it shows.

- latest: the actual with the latest period end on or before the quarter's end (on a tie, the
  longer period, i.e. the earlier start: a year-to-date figure beats the quarter inside it);
- previous: by the same order, the actual just before latest among those ending earlier;
- twelve months earlier: an actual whose start and end are each within 3 days of latest's start
  and end moved back one calendar year;
- target: the target for latest's exact period, else the shortest target period containing
  latest's end;
- each benchmark: the latest value of its series ending on or before the quarter's end.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

YEAR_BACK_SLACK_DAYS = 3
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class PeriodValue(Protocol):
    period_start: datetime.date
    period_end: datetime.date


def one_year_back(day: datetime.date) -> datetime.date:
    """The same day a calendar year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _order_key(item: PeriodValue) -> tuple[datetime.date, int]:
    # Latest end first; on the same end, the earlier start (the longer period).
    return (item.period_end, -item.period_start.toordinal())


def pick_latest(values: Iterable[PeriodValue], *, on_or_before: datetime.date) -> PeriodValue | None:
    candidates = [v for v in values if v.period_end <= on_or_before]
    return max(candidates, key=_order_key, default=None)


def pick_previous(values: Iterable[PeriodValue], *, latest: PeriodValue | None) -> PeriodValue | None:
    if latest is None:
        return None
    candidates = [v for v in values if v.period_end < latest.period_end]
    return max(candidates, key=_order_key, default=None)


def is_year_earlier(candidate: PeriodValue, latest: PeriodValue) -> bool:
    start, end = one_year_back(latest.period_start), one_year_back(latest.period_end)
    return (
        abs((candidate.period_start - start).days) <= YEAR_BACK_SLACK_DAYS
        and abs((candidate.period_end - end).days) <= YEAR_BACK_SLACK_DAYS
    )


def pick_twelve_months_earlier(values: Iterable[PeriodValue], *, latest: PeriodValue | None) -> PeriodValue | None:
    if latest is None:
        return None
    candidates = [v for v in values if v.period_end < latest.period_end and is_year_earlier(v, latest)]
    return max(candidates, key=_order_key, default=None)


def pick_target(targets: Iterable[PeriodValue], *, latest: PeriodValue | None) -> PeriodValue | None:
    if latest is None:
        return None
    containing = [t for t in targets if t.period_start <= latest.period_end <= t.period_end]
    for target in containing:
        if (target.period_start, target.period_end) == (latest.period_start, latest.period_end):
            return target
    # The most specific period: the latest start, then the earliest end.
    return min(containing, key=lambda t: (-t.period_start.toordinal(), t.period_end), default=None)


def pick_benchmark(values: Iterable[PeriodValue], *, on_or_before: datetime.date) -> PeriodValue | None:
    return pick_latest(values, on_or_before=on_or_before)


# Labels -----------------------------------------------------------------------------------


def month_label(day: datetime.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"


def as_at_label(day: datetime.date) -> str:
    """A snapshot, as the report prints it: ``As at Mar 2017``."""
    return f"As at {month_label(day)}"


def span_label(start: datetime.date, end: datetime.date) -> str:
    """A label for a period from its dates, in the report's style where it has one."""
    if start == end:
        return as_at_label(end)
    year_long = one_year_back(end) + datetime.timedelta(days=1) == start
    if year_long and (end.month, end.day) == (3, 31):
        return f"{start.year}/{end.year % 100:02d}"
    if year_long and (end.month, end.day) == (8, 31):
        return f"{start.year}/{end.year % 100:02d} ac yr"
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        if start.year == end.year:
            return f"{_MONTHS[start.month - 1]} - {_MONTHS[end.month - 1]} {end.year}"
        return f"{month_label(start)} - {month_label(end)}"
    return f"{start:%-d %b %Y} - {end:%-d %b %Y}"
