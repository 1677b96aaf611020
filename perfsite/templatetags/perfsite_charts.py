"""Template helpers for charts kept as data (a frozen snapshot): back to a ``Chart`` for ``includes/chart.html``."""

from __future__ import annotations

from django import template

from perfsite.charts import Chart

register = template.Library()


@register.filter
def as_chart(data: dict | None) -> Chart | None:
    """A chart stored as ``Chart.as_dict()``, ready for ``includes/chart.html``."""
    if not data:
        return None
    return Chart.from_dict(data)
