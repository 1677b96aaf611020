"""The officer's preview, a page at a time, built only as far as the page shows.

Publishing freezes the whole snapshot (``scorecards.publishing``); the preview shows the same
scorecard as the published page does, in the same parts and with the same templates
(``scorecards.frozen``): a first page with the headline, the key performance issues and each
level's and panel's summary, then a page per level, per panel and for Appendix 3. Each part here is
a snapshot holding just what its template reads, built from the same functions as the full one
(``scorecards.snapshot``), so a part shows exactly what publishing now would freeze for it:

- the first page: every indicator's row for the quarter (each level's ratings), the previous
  quarter's headline ratings alone (the headline compares with nothing else of it), the key
  messages, the panels and Appendix 3's table sizes; no indicator's figures, history or sparkline;
- a level's page: that level's rows, their recent history and the level's messages;
- a panel's page: that panel alone;
- Appendix 3: every row's figures without the history (the appendix draws no sparkline).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from indicators.actions.selectors import scorecard_actions
from indicators.actions.snapshot import actions_addition
from indicators.appendix import build_appendix
from indicators.models import Indicator
from indicators.quarter_page import every_row, headline_ratings
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows, theme_names
from scorecards.conf import sparkline_points
from scorecards.exceptions import chosen_for
from scorecards.frozen import APPENDIX, SUMMARY
from scorecards.panels import providers
from scorecards.snapshot import (
    DISCLOSURE,
    LEVELS,
    appendix_tables,
    frame,
    headline_against,
    key_messages,
    level_of,
    ordered,
    row_dict,
    sections,
    shown_rating,
    table_title,
)
from scorecards.sources import commentary_for, recent_history

LEVEL_KEYS = tuple(key for key, _, _ in LEVELS)


class NoSuchPart(LookupError):
    """The preview has no such page (an unknown level or panel)."""


def preview_url(quarter: Quarter, part: str) -> str:
    """The address of ``part`` ("summary", "appendix", "level:<key>", "panel:<key>") of the preview."""
    kind, _, key = part.partition(":")
    if kind == SUMMARY:
        return reverse("scorecards:preview", kwargs={"quarter": quarter})
    if kind == APPENDIX:
        return reverse("scorecards:preview_appendix", kwargs={"quarter": quarter})
    return reverse(f"scorecards:preview_{kind}", kwargs={"quarter": quarter, kind: key})


def _frame(quarter: Quarter) -> dict:
    return {
        **frame(
            quarter,
            council_name=settings.PERFSITE_COUNCIL_NAME,
            home_name=settings.PERFSITE_HOME_AUTHORITY_NAME,
            region_name=settings.PERFSITE_HOME_REGION_NAME,
        ),
        "disclosure": DISCLOSURE,
    }


def _messages(quarter: Quarter, rows) -> list[dict]:
    return key_messages(
        rows,
        commentary=commentary_for(quarter),
        region_name=settings.PERFSITE_HOME_REGION_NAME,
        chosen=chosen_for(quarter),
    )


def summary_part(quarter: Quarter) -> dict:
    """The first page: the headline, the key messages, each level's ratings, the panels and the
    size of each Appendix 3 table. A level is listed with one entry per row holding only its
    rating, which is all the first page counts."""
    rows = ordered(every_row(quarter))
    snapshot = _frame(quarter)
    # The headline compares with the quarter before only by rating: read those, not that quarter's rows.
    previous = quarter.previous()
    was = headline_ratings(previous, member_only=False, rows_for_python=lambda: quarter_rows(previous))
    snapshot["headline"] = headline_against(rows, was, quarter=quarter)
    snapshot["key_messages"] = _messages(quarter, rows)
    ratings = [{"level": level_of(row.framework_level), "headline_rag": shown_rating(row)} for row in rows]
    snapshot["sections"] = sections(ratings)
    # The first page shows each panel's message: a panel that can say it for less than a whole build does.
    panels = providers()
    snapshot["panels"] = [{"key": p.key, "title": p.title, "anchor": p.anchor} for p in panels]
    snapshot.update({p.key: (p.summary or p.build)(quarter) for p in panels})
    region = settings.PERFSITE_HOME_REGION_NAME
    snapshot["appendix"] = [
        {"number": table.number, "kind": table.kind, "title": table_title(table), "count": len(table.lines)}
        for table in build_appendix(rows, theme_order=theme_names(), region_name=region)
    ]
    snapshot["actions"] = actions_addition(scorecard_actions(quarter=quarter))
    return snapshot


def level_part(quarter: Quarter, key: str) -> dict:
    """A level's page: its rows with their figures and trends, and its messages."""
    if key not in LEVEL_KEYS:
        raise NoSuchPart(key)
    members = next(levels for level, _, levels in LEVELS if level == key)
    # Only this level's indicators are read (a framework level outside every named one is "other").
    indicators = Indicator.objects.active()
    if key == "other":
        named = [level for _, _, levels in LEVELS if levels != ("",) for level in levels]
        indicators = indicators.exclude(framework_level__in=named)
    else:
        indicators = indicators.filter(framework_level__in=members)
    rows = ordered(row for row in every_row(quarter, indicators=indicators) if level_of(row.framework_level) == key)
    if not rows:
        raise NoSuchPart(key)
    history = recent_history([r.indicator_id for r in rows], quarter=quarter, points=sparkline_points())
    snapshot = _frame(quarter)
    snapshot["sections"] = sections(
        [row_dict(r, history=history.get(r.indicator_id, []), chart_prefix=quarter.slug) for r in rows]
    )
    snapshot["key_messages"] = _messages(quarter, rows)
    snapshot["actions"] = actions_addition(scorecard_actions(quarter=quarter))
    return snapshot


def panel_part(quarter: Quarter, key: str) -> dict:
    """A panel's page: that panel alone, built by its app."""
    provider = next((p for p in providers() if p.key == key), None)
    if provider is None:
        raise NoSuchPart(key)
    snapshot = _frame(quarter)
    snapshot["panels"] = [{"key": provider.key, "title": provider.title, "anchor": provider.anchor}]
    snapshot[provider.key] = provider.build(quarter)
    return snapshot


def appendix_part(quarter: Quarter) -> dict:
    """Appendix 3: every row's figures as members see them (no history: the appendix has no trend)."""
    rows = ordered(every_row(quarter))
    row_dicts = [row_dict(r, history=[], chart_prefix=quarter.slug) for r in rows]
    snapshot = _frame(quarter)
    region = settings.PERFSITE_HOME_REGION_NAME
    snapshot["appendix"] = appendix_tables(rows, row_dicts, theme_order=theme_names(), region_name=region)
    return snapshot


def build_part(quarter: Quarter, part: str) -> dict:
    kind, _, key = part.partition(":")
    if kind == SUMMARY:
        return summary_part(quarter)
    if kind == APPENDIX:
        return appendix_part(quarter)
    if kind == "level":
        return level_part(quarter, key)
    if kind == "panel":
        return panel_part(quarter, key)
    raise NoSuchPart(part)


def part_urls(quarter: Quarter) -> dict[str, str]:
    """The address of every part the preview may have, for the first page's links."""
    parts = [SUMMARY, APPENDIX, *(f"level:{key}" for key in LEVEL_KEYS), *(f"panel:{p.key}" for p in providers())]
    return {part: preview_url(quarter, part) for part in parts}
