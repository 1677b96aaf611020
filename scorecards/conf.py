"""Typed accessors for the scorecards app's settings (defaults live in perfsite/settings.py).

They read ``settings`` when called, so tests can override a value.
"""

from __future__ import annotations

from django.conf import settings


def sparkline_points() -> int:
    """How many recent periods each indicator's small trend shows."""
    return int(settings.PERFSITE_SCORECARD_SPARKLINE_POINTS)


def demo_quarters() -> tuple[str, ...]:
    """The quarters the demo publishes."""
    return tuple(settings.PERFSITE_SCORECARD_DEMO_QUARTERS)
