"""The scorecards app's knobs, read from settings when used (so tests can override them)."""

from __future__ import annotations

from django.conf import settings


def sparkline_points() -> int:
    """How many recent periods each indicator's small trend shows."""
    return max(2, int(getattr(settings, "PERFSITE_SCORECARD_SPARKLINE_POINTS", 8)))


def demo_quarters() -> tuple[str, ...]:
    """The quarters the demo publishes: the reference's Q4 2016/17 and, for comparison, Q3."""
    return tuple(getattr(settings, "PERFSITE_SCORECARD_DEMO_QUARTERS", ("2016-17-q3", "2016-17-q4")))
