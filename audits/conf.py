"""Typed accessors for the audit programme's settings (defaults live in perfsite/settings.py).

They read ``settings`` when called, so tests can override a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


def target_pct() -> Decimal:
    """The share of audited case files that should be good or above."""
    return Decimal(str(settings.PERFSITE_AUDIT_TARGET_PCT))


def default_sample_rate() -> Decimal:
    """The percentage of open cases a random round draws."""
    return Decimal(str(settings.PERFSITE_AUDIT_SAMPLE_RATE))


def default_moderation_rate() -> Decimal:
    """The percentage of submitted audits a moderator re-grades."""
    return Decimal(str(settings.PERFSITE_AUDIT_MODERATION_RATE))


def default_due_days() -> int:
    """Days an auditor has from the sampling date to submit."""
    return int(settings.PERFSITE_AUDIT_DUE_DAYS)


@dataclass(frozen=True)
class Baseline:
    label: str
    audited: int
    good_or_above: int


def baseline() -> Baseline:
    """The figure progress is measured from (an inspection's audited cases and how many were good or above)."""
    raw = settings.PERFSITE_AUDIT_BASELINE
    return Baseline(label=str(raw["label"]), audited=int(raw["audited"]), good_or_above=int(raw["good_or_above"]))
