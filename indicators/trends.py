"""An indicator's trend chart and RAG history, from its values (already loaded, one indicator)."""

from __future__ import annotations

from dataclasses import dataclass

from indicators import conf
from indicators.models import Indicator, IndicatorValue, Series, Unit
from indicators.quarters import Quarter
from indicators.selectors import IndicatorRow, row_from_values

SERIES_ORDER = (Series.ACTUAL, Series.TARGET, Series.NATIONAL, Series.REGIONAL, Series.STATISTICAL_NEIGHBOURS)
CHART_UNITS = {Unit.PERCENT: "%"}


def series_name(series: str) -> str:
    if series == Series.ACTUAL:
        return conf.home_authority_name()
    if series == Series.REGIONAL:
        return conf.home_region_name()
    if series == Series.NATIONAL:
        return "England"
    return Series(series).label


def trend_chart(indicator: Indicator, values: list):
    """A line per series over every period any series has, oldest first.

    ``values`` are ``IndicatorValue``s or ``disclosure.SeriesFigure``s (a member's, whose hidden
    figures are ``c``: the chart draws them as gaps and prints ``c`` in its table).
    """
    from perfsite.charts import Series as ChartSeries
    from perfsite.charts import line_chart

    periods = sorted({(v.period_end, v.period_start, v.period_label) for v in values})
    labels = [label for _, _, label in periods]
    # Two periods may share a printed label; the chart needs each category once.
    categories = [
        f"{label} ({start:%b %Y}-{end:%b %Y})" if labels.count(label) > 1 else label for end, start, label in periods
    ]
    index = {(start, end): i for i, (end, start, _) in enumerate(periods)}
    lines = []
    for series in SERIES_ORDER:
        points = [None] * len(periods)
        found = False
        for v in values:
            if v.series == series:
                points[index[(v.period_start, v.period_end)]] = v.figure
                found = True
        if found:
            lines.append(ChartSeries(series_name(series), points))
    better = {"higher": "Higher is better.", "lower": "Lower is better."}.get(indicator.polarity, "")
    return line_chart(
        title=f"{indicator.code}: {indicator.description}" + (f" {better}" if better else ""),
        categories=categories,
        series=lines,
        unit=CHART_UNITS.get(indicator.unit, ""),
        decimals=indicator.decimals,
        y_label=indicator.get_unit_display(),
    )


@dataclass(frozen=True)
class RagHistoryRow:
    quarter: Quarter
    row: IndicatorRow


def rag_history(indicator: Indicator, values: list[IndicatorValue], *, limit: int = 12) -> list[RagHistoryRow]:
    """For each actual, newest first: how it was rated in the quarter it was first the latest."""
    history: list[RagHistoryRow] = []
    seen: set[int] = set()
    actuals = sorted((v for v in values if v.series == Series.ACTUAL), key=lambda v: v.period_end, reverse=True)
    for actual in actuals:
        quarter = Quarter.containing(actual.period_end)
        row = row_from_values(indicator, values, quarter=quarter)
        if row.latest.value_id is None or row.latest.value_id in seen:
            continue
        seen.add(row.latest.value_id)
        history.append(RagHistoryRow(quarter, row))
        if len(history) >= limit:
            break
    return history
