"""Typed accessors for the caseloads app's settings (defaults live in perfsite/settings.py).

They read ``settings`` when called, so tests can use ``override_settings``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings

# The tallies keep one column per band (caseloads.models.tallies), so the bounds make at most this many bands.
MAX_BANDS = 12


def optimum() -> int:
    """The optimum caseload per WTE."""
    return int(settings.PERFSITE_CASELOAD_OPTIMUM)


def band_upper_bounds() -> tuple[int, ...]:
    """Upper bounds (inclusive) of the caseload-per-WTE bands; the last band is "over" the last bound."""
    bounds = tuple(int(b) for b in settings.PERFSITE_CASELOAD_BANDS)
    # settings.py checks the environment's value; this catches a value set in code or a test.
    if not bounds or list(bounds) != sorted(set(bounds)) or bounds[0] < 1:
        raise ValueError(f"PERFSITE_CASELOAD_BANDS must be whole numbers rising from at least 1, not {bounds!r}")
    if len(bounds) >= MAX_BANDS:
        raise ValueError(f"PERFSITE_CASELOAD_BANDS may name at most {MAX_BANDS - 1} bounds, not {len(bounds)}")
    return bounds


def implausible_cases() -> int:
    """A figure above this many cases needs the manager's explicit confirmation."""
    return int(settings.PERFSITE_CASELOAD_IMPLAUSIBLE_CASES)


def max_cases() -> int:
    """The hard ceiling: a figure above it cannot be confirmed, only corrected."""
    return int(settings.PERFSITE_CASELOAD_MAX_CASES)


def implausible_change() -> Decimal:
    """A change from last month by more than this share of last month's figure needs confirmation."""
    return Decimal(str(settings.PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE))


def baseline_month() -> datetime.date:
    """The first month of the trend."""
    return settings.PERFSITE_CASELOAD_BASELINE_MONTH


def reminder_working_day() -> int:
    """Returns for a month are due by this working day of the next month."""
    return int(settings.PERFSITE_CASELOAD_DUE_WORKING_DAY)


def extra_bank_holidays() -> frozenset[datetime.date]:
    """One-off bank holidays (royal events) beyond the rules in ``workdays``, as ISO dates."""
    return frozenset(datetime.date.fromisoformat(str(day)) for day in settings.PERFSITE_EXTRA_BANK_HOLIDAYS)


def site_url() -> str:
    """The address reminder emails link to."""
    return str(settings.PERFSITE_SITE_URL).rstrip("/")
