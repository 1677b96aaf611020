"""Months as the caseload return knows them: the first day of the month, written ``YYYY-MM``."""

from __future__ import annotations

import calendar
import datetime
import re

_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


class MonthError(ValueError):
    pass


def parse_month(value: str) -> datetime.date:
    """``"2017-03"`` -> ``date(2017, 3, 1)``; anything else raises MonthError with a readable message."""
    match = _MONTH.match(str(value).strip())
    if not match or not 1 <= int(match["month"]) <= 12:
        raise MonthError(f"{value!r} is not a month; write it as YYYY-MM, like 2017-03")
    year = int(match["year"])
    if year < 2000 or year > 2100:
        raise MonthError(f"{value!r} is not a plausible month (the year must be 2000 to 2100)")
    return datetime.date(year, int(match["month"]), 1)


def month_slug(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: datetime.date) -> str:
    """``Mar 2017``, as the reference labels its charts."""
    return month.strftime("%b %Y")


def month_long_label(month: datetime.date) -> str:
    return month.strftime("%B %Y")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every month from ``start`` to ``end`` inclusive (first days)."""
    current, last = first_of_month(start), first_of_month(end)
    months = []
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months
