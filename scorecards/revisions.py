"""Revisions since publication: DfE figures revised after a scorecard that showed them was published.

A published scorecard never changes (``scorecards.publishing``). When a DfE import later revises
a figure it showed (``indicators.imports.ees`` writes the new figure with the reason "Revised by
DfE from OLD to NEW: ..."), the scorecard lists it under "Revisions since publication", with the
figure as published, the revised figure and where the revision came from. One query whatever the
number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from indicators import provenance
from indicators.models import IndicatorValue, Series, quantize
from perfsite.formatting import table_figure

REVISION_REASON = "Revised by DfE"
# The snapshot cell that shows each series' figure.
CELL_OF_SERIES = {
    Series.ACTUAL.value: "latest",
    Series.NATIONAL.value: "national",
    Series.REGIONAL.value: "regional",
    Series.STATISTICAL_NEIGHBOURS.value: "statistical_neighbours",
}


@dataclass(frozen=True)
class Revision:
    code: str
    what: str  # "national figure (As at Mar 2025)"
    published: str
    revised: str
    revised_on: object
    source: str


def _decimal(text) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _as_published(record, row: dict) -> str:
    """The revised figure written as the scorecard writes its figures (``389,140`` beside ``389,040``),
    with the places DfE gave it when they are more than the indicator's, so a revision never reads as
    no change."""
    decimals = max(int(row.get("decimals", 1)), record.scale)
    return table_figure(quantize(record.value, record.scale), unit=row.get("unit", ""), decimals=decimals)


def _revision_records(published_at):
    return IndicatorValue.history.filter(
        series__in=list(CELL_OF_SERIES),
        history_date__gt=published_at,
        history_change_reason__startswith=REVISION_REASON,
    )


def revision_marker_sql(since_sql: str) -> str:
    """SQL of one row: how many DfE revisions were recorded after the moment ``since_sql`` selects (of
    any indicator), the last one's history id and when (``n``, ``last_id``, ``last_at``). It needs no
    snapshot, so the cached published page can fold it into its ETag on every request and recompute
    ``revisions_since`` only when it moves. Built from this module's constants, never from input."""
    table = IndicatorValue.history.model._meta.db_table
    series = ", ".join(f"'{name}'" for name in CELL_OF_SERIES)
    return (
        f"SELECT COUNT(h.history_id) AS n, MAX(h.history_id) AS last_id, MAX(h.history_date) AS last_at "  # noqa: S608  # nosec B608
        f"FROM {table} h WHERE h.history_date > ({since_sql}) AND h.series IN ({series}) "
        f"AND h.history_change_reason LIKE '{REVISION_REASON}%%'"
    )


# Part of the cache key of a published page's revisions: change it whenever what ``revisions_since``
# returns changes (2: the revised figure written as the published one is), or pages cached before the
# release keep the old wording until the next revision.
REVISIONS_FORMAT = 2


def revisions_since(scorecard) -> list[Revision]:
    """The figures ``scorecard`` showed that DfE has revised since it was published."""
    rows = {row["indicator_id"]: row for section in scorecard.snapshot.get("sections", []) for row in section["rows"]}
    if not rows:
        return []
    records = (
        _revision_records(scorecard.published_at)
        .filter(indicator_id__in=list(rows))
        .order_by("history_date", "history_id")
    )
    latest: dict[tuple, object] = {}
    for record in records:
        latest[(record.indicator_id, record.series, record.period_label)] = record  # the last revision wins
    found = []
    for (indicator_id, series, period), record in latest.items():
        row = rows[indicator_id]
        cell = row.get(CELL_OF_SERIES[series]) or {}
        shown = _decimal(cell.get("value"))
        if cell.get("period") != period or shown is None or shown == record.value:
            continue
        found.append(
            Revision(
                code=row["code"],
                what=f"{Series(series).label.lower()} figure ({period})",
                published=cell.get("display") or str(shown),
                revised=_as_published(record, row),
                revised_on=record.history_date,
                source=provenance.describe(record.source_kind, record.source_detail),
            )
        )
    return sorted(found, key=lambda r: (r.code, r.what))
