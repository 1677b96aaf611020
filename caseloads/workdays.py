"""Working days in England: Monday to Friday, less the bank holidays of England and Wales.

The regular holidays follow their statutory rules (Banking and Financial Dealings Act 1971 and
the royal proclamations that fix the May and August Mondays); one-off holidays (jubilees,
coronations, the moved VE Day bank holiday of 2020) are listed here and can be extended with
``PERFSITE_EXTRA_BANK_HOLIDAYS`` without a code change.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from caseloads import conf

# One-off changes to the regular pattern. Years listed in MOVED lose their regular early May bank
# holiday and get the date given instead.
ONE_OFF_BANK_HOLIDAYS = frozenset(
    {
        datetime.date(2011, 4, 29),  # royal wedding
        datetime.date(2012, 6, 5),  # diamond jubilee (spring holiday moved to 4 June, below)
        datetime.date(2022, 6, 3),  # platinum jubilee (spring holiday moved to 2 June, below)
        datetime.date(2022, 9, 19),  # state funeral of Queen Elizabeth II
        datetime.date(2023, 5, 8),  # coronation of King Charles III
    }
)
MOVED_EARLY_MAY = {1995: datetime.date(1995, 5, 8), 2020: datetime.date(2020, 5, 8)}
MOVED_SPRING = {2002: datetime.date(2002, 6, 4), 2012: datetime.date(2012, 6, 4), 2022: datetime.date(2022, 6, 2)}


def easter_sunday(year: int) -> datetime.date:
    """The Gregorian Easter (the anonymous algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


def _first_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=last.weekday())


def _substitute(day: datetime.date, taken: set[datetime.date]) -> datetime.date:
    """A holiday on a weekend (or on another holiday's substitute day) moves to the next free weekday."""
    while day.weekday() >= 5 or day in taken:
        day += datetime.timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def _regular_bank_holidays(year: int) -> frozenset[datetime.date]:
    easter = easter_sunday(year)
    days = {
        easter - datetime.timedelta(days=2),  # Good Friday
        easter + datetime.timedelta(days=1),  # Easter Monday
        MOVED_EARLY_MAY.get(year, _first_monday(year, 5)),
        MOVED_SPRING.get(year, _last_monday(year, 5)),
        _last_monday(year, 8),
    }
    taken: set[datetime.date] = set()
    for fixed in (datetime.date(year, 1, 1), datetime.date(year, 12, 25), datetime.date(year, 12, 26)):
        moved = _substitute(fixed, taken)
        taken.add(moved)
    days |= taken
    return frozenset(days)


def bank_holidays(year: int) -> frozenset[datetime.date]:
    extra = {day for day in ONE_OFF_BANK_HOLIDAYS | conf.extra_bank_holidays() if day.year == year}
    return _regular_bank_holidays(year) | extra


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def nth_working_day(year: int, month: int, n: int) -> datetime.date:
    """The ``n``-th working day of a month (n >= 1)."""
    if n < 1:
        raise ValueError("n counts from 1")
    day = datetime.date(year, month, 1)
    seen = 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day += datetime.timedelta(days=1)
