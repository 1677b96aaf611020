"""The caseloads app's knobs, read from Django settings with the reference's defaults.

Set any of these in the environment-driven settings to override them; nothing here is
read at import time, so tests can use ``override_settings``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings


def optimum() -> int:
    """The optimum caseload per WTE (20 in the reference)."""
    return int(getattr(settings, "PERFSITE_CASELOAD_OPTIMUM", 20))


def band_upper_bounds() -> tuple[int, ...]:
    """Upper bounds (inclusive) of the caseload-per-WTE bands; the last band is "over" the last bound."""
    bounds = tuple(int(b) for b in getattr(settings, "PERFSITE_CASELOAD_BANDS", (10, 15, 20, 25, 30)))
    if not bounds or list(bounds) != sorted(set(bounds)) or bounds[0] < 1:
        raise ValueError(f"PERFSITE_CASELOAD_BANDS must be whole numbers rising from at least 1, not {bounds!r}")
    return bounds


def implausible_cases() -> int:
    """A figure above this many cases needs the manager's explicit confirmation."""
    return int(getattr(settings, "PERFSITE_CASELOAD_IMPLAUSIBLE_CASES", 60))


def implausible_change() -> Decimal:
    """A change from last month by more than this share of last month's figure needs confirmation."""
    return Decimal(str(getattr(settings, "PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE", "0.5")))


def baseline_month() -> datetime.date:
    """The first month of the trend: February 2016, the Ofsted inspection in the reference."""
    value = getattr(settings, "PERFSITE_CASELOAD_BASELINE_MONTH", "2016-02")
    year, month = (int(part) for part in str(value).split("-")[:2])
    return datetime.date(year, month, 1)


def reminder_working_day() -> int:
    """Returns for a month are due by this working day of the next month."""
    return int(getattr(settings, "PERFSITE_CASELOAD_DUE_WORKING_DAY", 5))


def extra_bank_holidays() -> frozenset[datetime.date]:
    """One-off bank holidays (royal events) beyond the rules in ``workdays``, as ISO dates."""
    return frozenset(
        datetime.date.fromisoformat(str(day)) for day in getattr(settings, "PERFSITE_EXTRA_BANK_HOLIDAYS", ())
    )


def site_url() -> str:
    """The address reminder emails link to."""
    return str(getattr(settings, "PERFSITE_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
