"""Template helpers for rendering a snapshot: its panels, charts back from their stored form, signed changes."""

from __future__ import annotations

from django import template

from perfsite.templatetags.perfsite_charts import as_chart
from scorecards.panels import panel_sections

register = template.Library()
register.filter("as_chart", as_chart)


@register.simple_tag
def scorecard_panels(snapshot: dict) -> list[dict]:
    """The snapshot's panels in page order, each with its frozen data and its templates."""
    return panel_sections(snapshot)


@register.filter
def signed_change(value: int | None) -> str:
    """+2, -1, or "no change", for the headline's change since last quarter."""
    if not value:
        return "no change"
    return f"+{value}" if value > 0 else f"\u2212{abs(value)}"


@register.filter
def lookup(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def rag_word(rag: str | None) -> str:
    """The word inside a RAG tag; NA reads as "Not rated" for people, the printed tables keep NA."""
    return {"GREEN": "Green", "AMBER": "Amber", "RED": "Red"}.get((rag or "").upper(), "Not rated")


@register.filter
def rag_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """(rating, how many rows have it) in the scorecard's order, for a level's summary on the first page."""
    order = ("RED", "AMBER", "GREEN", "NA")
    counts = dict.fromkeys(order, 0)
    for row in rows:
        counts[row.get("headline_rag") if row.get("headline_rag") in counts else "NA"] += 1
    return [(rag, counts[rag]) for rag in order]
