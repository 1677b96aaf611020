"""The roll-up computed straight from the audits, as quarter_rollup did before the tallies: the oracle
the tally-based roll-up must equal on any data (tests/audits/test_tallies.py and the write-path tests)."""

from __future__ import annotations

from django.db.models import Count, F, Q

from audits.choices import CaseType, RoundKind, Theme
from audits.models import Audit, AuditAction, ThemeGrade
from audits.rollups import GradeCounts, GroupRollup, _grade_counts, _grades_from_row, assemble
from audits.thematic import ThematicRound
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


def direct_thematic(*, quarter: Quarter, teams=None) -> list[ThematicRound]:
    """thematic_results as it was computed from the audits before the tallies."""
    if teams is not None:
        teams = list(teams)
    audits = (
        Audit.objects.completed()
        .for_teams(teams)
        .with_agreed_grade()
        .filter(round__kind=RoundKind.THEMATIC, completed_on__gte=quarter.start, completed_on__lte=quarter.end)
    )
    rounds = list(
        audits.values("round_id", "round__title").annotate(**_grade_counts()).order_by("round__title", "round_id")
    )
    themes: dict[int, dict[str, dict]] = {}
    for row in (
        ThemeGrade.objects.filter(audit__in=audits.values("pk"), grade__isnull=False)
        .values("audit__round_id", "theme")
        .annotate(**_grade_counts(field_name="grade"))
    ):
        themes.setdefault(row["audit__round_id"], {})[row["theme"]] = _grades_from_row(row)
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


def assert_tallies_follow(*quarters: Quarter, teams=None) -> None:
    """Every view of each quarter read from the tallies equals the one computed from the audits."""
    from audits.rollups import quarter_rollup
    from audits.thematic import thematic_results

    for quarter in quarters:
        for random_only in (False, True):
            kwargs = {"quarter": quarter, "teams": teams, "random_only": random_only}
            assert quarter_rollup(**kwargs) == direct_rollup(**kwargs), kwargs
        assert thematic_results(quarter=quarter, teams=teams) == direct_thematic(quarter=quarter, teams=teams)
    assert_round_tallies_follow()


def direct_round_statuses() -> dict[tuple[int, str], tuple[int, int]]:
    """Every round's audits by status, and those sent for moderation, counted straight from the audits."""
    from django.db.models import Count

    from audits.models import Audit

    rows = Audit.objects.values_list("round_id", "status").annotate(n=Count("pk"), sent=Count("moderation")).order_by()
    return {(round_id, status): (n, sent) for round_id, status, n, sent in rows}


def tallied_round_statuses() -> dict[tuple[int, str], tuple[int, int]]:
    from audits.models import RoundStatusTally

    rows = RoundStatusTally.objects.filter(audits__gt=0).values_list(
        "round_id", "status", "audits", "sent_for_moderation"
    )
    return {(round_id, status): (n, sent) for round_id, status, n, sent in rows}


def assert_round_tallies_follow() -> None:
    """Every round's status tally equals the direct count of its audits (a status left empty reads as none)."""
    from audits.models import RoundStatusTally

    assert tallied_round_statuses() == direct_round_statuses()
    assert not RoundStatusTally.objects.filter(audits=0, sent_for_moderation__gt=0).exists()
