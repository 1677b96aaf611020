"""Thematic rounds' results: per round, counts by grade, theme grades and actions.

Thematic rounds pick cases on purpose (a theme such as neglect), so they are no sample of the
caseload: they never feed the quality figure (``quarter_rollup(random_only=True)``,
``audits.computed``) and are reported here, round by round, labelled as not representative.
Three queries whatever the number of rounds or audits; the counts come from the tallies
(``audits.tally_models``), so they cost the same however many audits the quarter holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from audits.choices import RoundKind, Theme
from audits.models import Audit, AuditAction, AuditTally, ThemeTally
from audits.rollups import GradeCounts, GroupRollup, _grades_from_row, _tally_sums
from indicators.quarters import Quarter


@dataclass(frozen=True)
class ThematicRound:
    round_id: int
    title: str
    counts: GradeCounts
    by_theme: list[GroupRollup] = field(default_factory=list)
    actions: int = 0
    open_actions: int = 0


def thematic_results(*, quarter: Quarter, teams: Iterable | None = None) -> list[ThematicRound]:
    """Each thematic round's audits completed in ``quarter`` (of ``teams``; all when None)."""
    if teams is not None:
        teams = list(teams)
    audits = (
        Audit.objects.completed()
        .for_teams(teams)
        .filter(round__kind=RoundKind.THEMATIC, completed_on__gte=quarter.start, completed_on__lte=quarter.end)
    )
    # Counts from the tallies (no scan of the quarter's audits); the actions, few, from their own table.
    tallies = {"quarter_start": quarter.start, "kind": RoundKind.THEMATIC}
    if teams is not None:
        tallies["team__in"] = teams
    rounds = list(
        AuditTally.objects.filter(**tallies)
        .values("round_id", "round__title")
        .annotate(**_tally_sums())
        .order_by("round__title", "round_id")
    )
    if not rounds:
        return []
    themes: dict[int, dict[str, dict]] = {}
    theme_rows = ThemeTally.objects.filter(**tallies).values("round_id", "theme").annotate(**_tally_sums()).order_by()
    for row in theme_rows:
        themes.setdefault(row["round_id"], {})[row["theme"]] = _grades_from_row(row)
    actions = {
        row["audit__round_id"]: row
        for row in AuditAction.objects.filter(audit__in=audits.values("pk"))
        .values("audit__round_id")
        .annotate(total=Count("pk"), still_open=Count("pk", filter=Q(closed_at__isnull=True)))
    }
    found = []
    for row in rounds:
        round_id = row["round_id"]
        by_theme = [
            GroupRollup(
                **vars(GradeCounts.from_grades(themes.get(round_id, {}).get(theme.value, {}))),
                key=theme.value,
                label=theme.label,
            )
            for theme in Theme
        ]
        found.append(
            ThematicRound(
                round_id=round_id,
                title=row["round__title"],
                counts=GradeCounts.from_grades(_grades_from_row(row)),
                by_theme=[t for t in by_theme if t.audited],
                actions=actions.get(round_id, {}).get("total", 0),
                open_actions=actions.get(round_id, {}).get("still_open", 0),
            )
        )
    return found
