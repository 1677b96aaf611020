"""The roll-up computed straight from the audits, as quarter_rollup did before the tallies: the oracle
the tally-based roll-up must equal on any data (tests/audits/test_tallies.py and the write-path tests)."""

from __future__ import annotations

from django.db.models import Count, F, Q

from audits.choices import CaseType, RoundKind, Theme
from audits.models import Audit, ThemeGrade
from audits.rollups import GradeCounts, GroupRollup, _grade_counts, _grades_from_row, assemble
from indicators.quarters import Quarter


def direct_rollup(*, quarter: Quarter, teams=None, random_only: bool = False):
    if teams is not None:
        teams = list(teams)
    previous = quarter.previous()
    in_quarter = Q(completed_on__gte=quarter.start, completed_on__lte=quarter.end)
    in_previous = Q(completed_on__gte=previous.start, completed_on__lte=previous.end)
    audits = Audit.objects.completed().for_teams(teams).with_agreed_grade()
    if random_only:
        audits = audits.exclude(round__kind=RoundKind.THEMATIC)
    overall = audits.filter(completed_on__gte=previous.start, completed_on__lte=quarter.end).aggregate(
        **_grade_counts("now_", in_quarter),
        **_grade_counts("before_", in_previous),
        moderated=Count("pk", filter=in_quarter & Q(moderation__grade__isnull=False)),
        agreed_by_moderator=Count("pk", filter=in_quarter & Q(moderation__grade=F("overall_grade"))),
    )
    this_quarter = audits.filter(in_quarter)
    by_team = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))), key=str(row["team_id"]), label=row["team__name"]
        )
        for row in this_quarter.values("team_id", "team__name").annotate(**_grade_counts()).order_by("team__name")
    ]
    by_case_type = [
        GroupRollup(
            **vars(GradeCounts.from_grades(_grades_from_row(row))),
            key=row["case_type"],
            label=CaseType(row["case_type"]).label,
        )
        for row in this_quarter.values("case_type").annotate(**_grade_counts()).order_by("case_type")
    ]
    theme_rows = (
        ThemeGrade.objects.filter(audit__in=this_quarter.values("pk"), grade__isnull=False)
        .values("theme")
        .annotate(**_grade_counts(field_name="grade"))
    )
    theme_counts = {row["theme"]: _grades_from_row(row) for row in theme_rows}
    by_theme = [
        GroupRollup(
            **vars(GradeCounts.from_grades(theme_counts.get(theme.value, {}))), key=theme.value, label=theme.label
        )
        for theme in Theme
    ]
    return assemble(
        quarter=quarter,
        current=GradeCounts.from_grades(_grades_from_row(overall, "now_")),
        before=GradeCounts.from_grades(_grades_from_row(overall, "before_")),
        moderated=overall["moderated"],
        agreed_by_moderator=overall["agreed_by_moderator"],
        by_team=by_team,
        by_case_type=by_case_type,
        by_theme=by_theme,
    )


def assert_tallies_follow(*quarters: Quarter, teams=None) -> None:
    """Every view of each quarter read from the tallies equals the one computed from the audits."""
    from audits.rollups import quarter_rollup

    for quarter in quarters:
        for random_only in (False, True):
            kwargs = {"quarter": quarter, "teams": teams, "random_only": random_only}
            assert quarter_rollup(**kwargs) == direct_rollup(**kwargs), kwargs
