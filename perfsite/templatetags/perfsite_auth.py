"""Template helpers for the sign-in, lockout, session-timeout and two-factor pages."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_words(value: timedelta | int) -> str:
    """``timedelta(minutes=30)`` or ``1800`` seconds as "30 minutes"; hours when whole."""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    minutes = max(1, round(seconds / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
