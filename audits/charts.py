"""The roll-up's charts, through perfsite.charts: stacked bars of agreed grades."""

from __future__ import annotations

from audits.choices import Grade
from audits.rollups import GRADE_NAMES, AuditRollup
from perfsite.charts import Series, stacked_bar_chart


def _segments(rows) -> list[Series]:
    return [Series(Grade.from_key(name).label, [row.by_grade.get(name, 0) for row in rows]) for name in GRADE_NAMES]


def grades_by_team_chart(rollup: AuditRollup):
    rows = [rollup.counts, *rollup.by_team]
    categories = ["All teams" if len(rollup.by_team) != 1 else "Total", *[row.label for row in rollup.by_team]]
    return stacked_bar_chart(
        title=f"Agreed grades of case files audited in {rollup.quarter.label}, by team",
        categories=categories,
        segments=_segments(rows),
        category_label="Team",
        chart_id="audit-grades-by-team",
    )


def grades_by_theme_chart(rollup: AuditRollup):
    return stacked_bar_chart(
        title=f"Auditors' theme grades in {rollup.quarter.label}",
        categories=[row.label for row in rollup.by_theme],
        segments=_segments(rollup.by_theme),
        category_label="Theme",
        chart_id="audit-grades-by-theme",
    )
