"""Roll-ups against hand-computed figures."""

import datetime
from decimal import Decimal

import pytest

from audits.choices import AuditStatus, Grade, Theme
from audits.rollups import quarter_rollup
from indicators.quarters import Quarter

Q4 = Quarter.parse("2016-17-q4")
Q3_DAY = datetime.date(2016, 11, 10)


def test_an_empty_quarter(db):
    rollup = quarter_rollup(quarter=Q4)
    assert rollup.audited == 0
    assert rollup.by_grade == {"outstanding": 0, "good": 0, "requires_improvement": 0, "inadequate": 0}
    assert rollup.good_or_above_pct is None and rollup.ci_low is None and rollup.agreement_pct is None
    assert rollup.target_pct == Decimal(65)


def test_the_baseline_is_ofsted_march_2016_forty_percent_of_twenty(db):
    baseline = quarter_rollup(quarter=Q4).baseline
    assert baseline.label == "Ofsted March 2016"
    assert (baseline.counts.audited, baseline.counts.good_or_above) == (20, 8)
    assert baseline.counts.good_or_above_pct == Decimal("40.0")
    assert (baseline.counts.ci_low, baseline.counts.ci_high) == (Decimal("21.9"), Decimal("61.3"))


def test_eight_of_twenty_good_or_above_is_forty_percent_21_9_to_61_3(build):
    team = build.team("North")
    for grade, count in (
        (Grade.OUTSTANDING, 2),
        (Grade.GOOD, 6),
        (Grade.REQUIRES_IMPROVEMENT, 9),
        (Grade.INADEQUATE, 3),
    ):
        for _ in range(count):
            build.completed(grade, team=team)
    rollup = quarter_rollup(quarter=Q4)
    assert rollup.audited == 20
    assert rollup.by_grade == {"outstanding": 2, "good": 6, "requires_improvement": 9, "inadequate": 3}
    assert (rollup.good_or_above, rollup.good_or_above_pct) == (8, Decimal("40.0"))
    assert (rollup.ci_low, rollup.ci_high) == (Decimal("21.9"), Decimal("61.3"))
    assert rollup.meets_target is False and rollup.gap_to_target == Decimal("25.0")
    assert rollup.change_since_baseline == Decimal("0.0")
    assert rollup.overlaps_baseline is True


def test_only_audits_completed_in_the_quarter_count(build):
    team = build.team("North")
    build.completed(Grade.GOOD, team=team, completed_on=Q4.start)
    build.completed(Grade.GOOD, team=team, completed_on=Q4.end)
    build.completed(Grade.GOOD, team=team, completed_on=Q4.end + datetime.timedelta(days=1))
    build.completed(Grade.INADEQUATE, team=team, completed_on=Q3_DAY)
    build.audit(build.case(team), status=AuditStatus.IN_PROGRESS, overall_grade=Grade.GOOD.value)
    rollup = quarter_rollup(quarter=Q4)
    assert rollup.audited == 2
    assert rollup.previous.audited == 1 and rollup.previous.good_or_above_pct == Decimal("0.0")
    assert rollup.change_since_previous == Decimal("100.0")


def test_moderation_changes_the_agreed_grade_and_agreement(build, moderator):
    team = build.team("North")
    build.completed(
        Grade.GOOD,
        team=team,
        moderator=moderator,
        moderated_grade=Grade.REQUIRES_IMPROVEMENT.value,
        status=AuditStatus.MODERATED,
    )
    build.completed(
        Grade.REQUIRES_IMPROVEMENT,
        team=team,
        moderator=moderator,
        moderated_grade=Grade.GOOD.value,
        status=AuditStatus.MODERATED,
    )
    build.completed(
        Grade.GOOD, team=team, moderator=moderator, moderated_grade=Grade.GOOD.value, status=AuditStatus.CLOSED
    )
    build.completed(Grade.INADEQUATE, team=team, moderator=moderator)  # sent, not yet moderated: auditor's grade
    rollup = quarter_rollup(quarter=Q4)
    assert rollup.by_grade == {"outstanding": 0, "good": 2, "requires_improvement": 1, "inadequate": 1}
    assert rollup.good_or_above == 2
    assert rollup.moderated == 3
    assert rollup.agreement_pct == Decimal("33.3")


def test_by_team_case_type_and_theme(build):
    north, south = build.team("North"), build.team("South")
    build.completed(Grade.GOOD, team=north, case_type="cp")
    build.completed(Grade.INADEQUATE, team=north, case_type="cin")
    build.completed(
        Grade.OUTSTANDING,
        team=south,
        case_type="cp",
        themes={Theme.SAFEGUARDING.value: 1, Theme.VOICE_OF_THE_CHILD.value: 3},
    )
    rollup = quarter_rollup(quarter=Q4)
    assert [(t.label, t.audited, t.good_or_above, t.good_or_above_pct) for t in rollup.by_team] == [
        ("North", 2, 1, Decimal("50.0")),
        ("South", 1, 1, Decimal("100.0")),
    ]
    assert [(c.key, c.audited, c.good_or_above) for c in rollup.by_case_type] == [("cin", 1, 0), ("cp", 2, 2)]
    themes = {t.key: t for t in rollup.by_theme}
    assert list(themes) == Theme.values
    assert themes["safeguarding"].by_grade == {"outstanding": 1, "good": 1, "requires_improvement": 0, "inadequate": 1}
    assert themes["voice_of_the_child"].by_grade == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 1,
    }
    assert themes["achieving_aspiration"].audited == 2


def test_team_scope(build):
    north, south = build.team("North"), build.team("South")
    build.completed(Grade.GOOD, team=north)
    build.completed(Grade.INADEQUATE, team=south)
    rollup = quarter_rollup(quarter=Q4, teams=[north])
    assert rollup.audited == 1 and rollup.good_or_above == 1
    assert [t.label for t in rollup.by_team] == ["North"]


def test_target_comes_from_the_setting(db, settings):
    settings.PERFSITE_AUDIT_TARGET_PCT = 50
    assert quarter_rollup(quarter=Q4).target_pct == Decimal(50)


@pytest.mark.parametrize("count", [3, 30])
def test_rollup_takes_four_queries_whatever_the_number_of_audits(build, django_assert_num_queries, count):
    teams = [build.team(f"Team {i}") for i in range(3)]
    for i in range(count):
        build.completed(Grade(1 + i % 4), team=teams[i % 3], case_type=["cin", "cp", "lac"][i % 3])
    with django_assert_num_queries(4):
        rollup = quarter_rollup(quarter=Q4)
    assert rollup.audited == count
