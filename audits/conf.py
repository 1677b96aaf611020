"""The audit programme's knobs, read from settings with the reference's values as defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


def target_pct() -> Decimal:
    """The share of audited case files that should be good or above (65% by March 2017)."""
    return Decimal(str(getattr(settings, "PERFSITE_AUDIT_TARGET_PCT", 65)))


def default_sample_rate() -> Decimal:
    """The percentage of open cases a random round draws (about 5% in the reference)."""
    return Decimal(str(getattr(settings, "PERFSITE_AUDIT_SAMPLE_RATE", "5")))


def default_moderation_rate() -> Decimal:
    """The percentage of submitted audits a moderator re-grades."""
    return Decimal(str(getattr(settings, "PERFSITE_AUDIT_MODERATION_RATE", "10")))


def default_due_days() -> int:
    """Days an auditor has from the sampling date to submit."""
    return int(getattr(settings, "PERFSITE_AUDIT_DUE_DAYS", 28))


@dataclass(frozen=True)
class Baseline:
    label: str
    audited: int
    good_or_above: int


def baseline() -> Baseline:
    """The figure progress is measured from: Ofsted's inspection, March 2016, 20 cases, 40% good or above."""
    raw = getattr(settings, "PERFSITE_AUDIT_BASELINE", None) or {}
    return Baseline(
        label=str(raw.get("label", "Ofsted March 2016")),
        audited=int(raw.get("audited", 20)),
        good_or_above=int(raw.get("good_or_above", 8)),
    )
