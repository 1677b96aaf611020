"""Gathering a scorecard's inputs: a fixed number of queries, whatever the size of the data.

quarter rows (3 queries) for the quarter and the previous one, the recent history of every
indicator's actuals (1, limited per indicator by a window function), the quarter's commentary (1),
the reporting themes' order (1), each source app's panel (the audit roll-up, 4, and its sample
check, 1 and 2 a random round; the caseload month and trend, 3) and the quarter's open performance
actions (1).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from indicators.actions.selectors import scorecard_actions
from indicators.models import IndicatorValue, Series
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows, theme_names
from scorecards.conf import sparkline_points
from scorecards.exceptions import chosen_for
from scorecards.models import Commentary
from scorecards.panels import build_panels
from scorecards.snapshot import CommentaryNote, HistoryPoint, Sources


def recent_history(indicator_ids: list[int], *, quarter: Quarter, points: int) -> dict[int, list[HistoryPoint]]:
    """The last ``points`` actuals of each indicator ending by the quarter's end, oldest first, in one query.

    Where two actuals end on the same day (a quarter inside a year to date), the longer one is kept,
    as the row selection does.
    """
    if not indicator_ids:
        return {}
    ranked = (
        IndicatorValue.objects.filter(indicator_id__in=indicator_ids, series=Series.ACTUAL, period_end__lte=quarter.end)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period_end").desc(), F("period_start").asc(), F("pk").asc()],
            )
        )
        .filter(position__lte=points * 2)
        .order_by("indicator_id", "period_end", "period_start")
        .values_list("indicator_id", "period_label", "period_start", "period_end", "value", "scale")
    )
    history: dict[int, dict] = {}
    for indicator_id, label, start, end, value, scale in ranked:
        by_end = history.setdefault(indicator_id, {})
        if end not in by_end or start < by_end[end][0]:
            by_end[end] = (start, HistoryPoint(label, end, value.quantize(_exponent(scale))))
    return {
        indicator_id: [point for _, point in sorted(by_end.values(), key=lambda item: item[1].period_end)][-points:]
        for indicator_id, by_end in history.items()
    }


def _exponent(scale: int):
    from decimal import Decimal

    return Decimal(1).scaleb(-scale)


def commentary_for(quarter: Quarter) -> dict[int, CommentaryNote]:
    return {
        c.indicator_id: CommentaryNote(mode=c.mode, text=c.text, updated_at=c.updated_at.isoformat())
        for c in Commentary.objects.filter(quarter=quarter.slug).only("indicator_id", "mode", "text", "updated_at")
    }


def gather_sources(quarter: Quarter) -> Sources:
    rows = quarter_rows(quarter)
    previous_rows = quarter_rows(quarter.previous())
    return Sources(
        quarter=quarter,
        rows=rows,
        previous_rows=previous_rows,
        history=recent_history([r.indicator_id for r in rows], quarter=quarter, points=sparkline_points()),
        commentary=commentary_for(quarter),
        panels=build_panels(quarter),
        theme_order=theme_names(),
        key_issues=chosen_for(quarter),
        home_name=settings.PERFSITE_HOME_AUTHORITY_NAME,
        region_name=settings.PERFSITE_HOME_REGION_NAME,
        council_name=settings.PERFSITE_COUNCIL_NAME,
        actions=scorecard_actions(quarter=quarter),
    )
