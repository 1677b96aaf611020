"""Computed indicators follow their sources: submitting and reopening a caseload return, submitting and
moderating an audit change the values once the queued task has run; running it again changes nothing.
With REDIS_URL set the task runs on a real Celery worker through the broker."""

from __future__ import annotations

import datetime
import os
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from audits.choices import Theme
from audits.computed import GOOD_OR_ABOVE_CODE, recompute_quarter
from audits.models import Audit, AuditRound, Moderation
from audits.rules import ThemeEntry
from audits.services.auditing import AuditEntry, submit_audit
from audits.services.moderating import record_moderation
from caseloads.computed import AVERAGE_CODE, OVER_CODE, recompute_month
from caseloads.services.returns import reopen_return, save_return
from indicators.computed import recompute
from indicators.models import IndicatorValue
from indicators.quarters import Quarter
from indicators.tasks import recompute_computed_indicators
from perfsite.celery import app
from perfsite.roles import Role
from tests.conftest import make_user
from tests.scorecards.conftest import completed_audits, grades, make_case, make_team, make_worker

MARCH = datetime.date(2017, 3, 1)

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL and not os.environ.get("CI"), reason="needs REDIS_URL (CI always sets it)"
)


@pytest.fixture
def eager():
    """Run queued tasks in-process, whatever the broker (the worker test below uses the real one)."""
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


def actual(code: str, start: datetime.date):
    return IndicatorValue.objects.filter(indicator__code=code, series="actual", period_start=start).first()


def value_history_count() -> int:
    return IndicatorValue.history.count()


@pytest.fixture
def team_with_workers(db):
    team = make_team("Assessment East")
    workers = [make_worker(team) for _ in range(8)]
    return team, workers


def submit_march(team, workers, cases, user):
    team.managers.add(user)  # only the team's own managers (and officers) file its return
    return save_return(
        team=team,
        month=MARCH,
        expected_version=0,
        figures={w.pk: c for w, c in zip(workers, cases, strict=True)},
        user=user,
        submit=True,
    )


@pytest.mark.django_db
def test_submitting_and_reopening_a_return_recomputes_the_month(
    team_with_workers, manager, officer, eager, django_capture_on_commit_callbacks
):
    team, workers = team_with_workers
    cases = [12, 16, 18, 20, 21, 22, 24, 27]  # 160 cases over 8 WTE; four over 20
    with django_capture_on_commit_callbacks(execute=True):
        result = submit_march(team, workers, cases, manager)
    average, over = actual(AVERAGE_CODE, MARCH), actual(OVER_CODE, MARCH)
    assert (average.value, average.numerator, average.denominator) == (Decimal("20.0"), Decimal(160), Decimal(8))
    assert average.period_label == "Mar 2017" and average.period_end == datetime.date(2017, 3, 31)
    assert (over.value, over.numerator, over.denominator) == (Decimal("50.0"), Decimal(4), Decimal(8))
    target = IndicatorValue.objects.get(indicator__code=AVERAGE_CODE, series="target", period_start=MARCH)
    assert target.value == Decimal(20)

    with django_capture_on_commit_callbacks(execute=True):
        reopen_return(caseload_return=result.caseload_return, user=officer, reason="Two figures were swapped")
    assert actual(AVERAGE_CODE, MARCH) is None  # nothing submitted for March any more
    assert actual(OVER_CODE, MARCH) is None


@pytest.mark.django_db
def test_recomputing_twice_changes_nothing(team_with_workers, manager, eager, django_capture_on_commit_callbacks):
    team, workers = team_with_workers
    with django_capture_on_commit_callbacks(execute=True):
        submit_march(team, workers, [15] * 8, manager)
    before = value_history_count()
    assert recompute_month(MARCH) == 0
    assert recompute(codes=[AVERAGE_CODE])["caseloads"]["changed"] == 0
    assert recompute_computed_indicators()["caseloads"]["changed"] == 0
    assert value_history_count() == before


def _allocated_audit(team, auditor, quarter_slug: str) -> Audit:
    round_ = AuditRound.objects.get_or_create(quarter=quarter_slug, kind="random", defaults={"title": "Random"})[0]
    case = make_case(team)
    return Audit.objects.create(
        round=round_, case=case, team=team, case_type=case.case_type, auditor=auditor, status="allocated"
    )


def _entry(grade: int) -> AuditEntry:
    return AuditEntry(
        themes={theme.value: ThemeEntry(grade, "Evidence seen on file") for theme in Theme},
        overall_grade=grade,
        strengths="Clear plan",
    )


@pytest.mark.django_db
def test_submitting_and_moderating_an_audit_recomputes_the_quarter(
    auditor, moderator, eager, django_capture_on_commit_callbacks
):
    team = make_team("Safeguarding West")
    quarter = Quarter.containing(timezone.localdate())  # submission completes an audit today
    completed_audits(team, quarter, grades(good=5, requires_improvement=4))  # 5 of 9 already
    recompute_quarter(quarter)
    assert actual(GOOD_OR_ABOVE_CODE, quarter.start).value == Decimal("55.6")

    audit = _allocated_audit(team, auditor, quarter.slug)
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_audit(audit=audit, user=auditor, entry=_entry(2))
    figure = actual(GOOD_OR_ABOVE_CODE, quarter.start)
    assert (figure.value, figure.numerator, figure.denominator) == (Decimal("60.0"), Decimal(6), Decimal(10))
    target = IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="target", period_start=quarter.start)
    assert target.value == Decimal(65)

    moderation = Moderation.objects.create(audit=audit, moderator=moderator, sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        record_moderation(moderation=moderation, user=moderator, grade=3, rationale="Plan not reviewed")
    figure = actual(GOOD_OR_ABOVE_CODE, quarter.start)
    assert (figure.value, figure.numerator, figure.denominator) == (Decimal("50.0"), Decimal(5), Decimal(10))

    before = value_history_count()
    assert recompute_quarter(quarter) == 0
    assert recompute(codes=[GOOD_OR_ABOVE_CODE])["audits"]["changed"] == 0
    assert value_history_count() == before


@pytest.mark.django_db
def test_the_computed_indicators_are_defined_like_any_other(team_with_workers, manager, eager):
    recompute()
    from indicators.models import Indicator

    found = {i.code: i for i in Indicator.objects.filter(is_computed=True)}
    assert set(found) == {AVERAGE_CODE, OVER_CODE, GOOD_OR_ABOVE_CODE}
    audit = found[GOOD_OR_ABOVE_CODE]
    assert (audit.kind, audit.polarity, audit.unit, audit.framework_level) == (
        "target",
        "higher",
        "percent",
        "assessment_safeguarding",
    )
    assert (found[AVERAGE_CODE].kind, found[AVERAGE_CODE].polarity) == ("target", "lower")
    assert (found[OVER_CODE].kind, found[OVER_CODE].polarity, found[OVER_CODE].unit) == ("tracker", "lower", "percent")


def test_the_nightly_recompute_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["indicators-recompute-computed-indicators"]
    assert entry["task"] == "indicators.tasks.recompute_computed_indicators"
    assert entry["task"] in app.tasks
    recomputes = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "recompute" in e["task"]]
    assert recomputes == [entry]  # one schedule for every computed indicator


def _wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("the worker did not recompute in time")


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_recomputes_after_commit():
    assert app.conf.task_always_eager is False
    manager = make_user("worker-manager", Role.TEAM_MANAGER)
    auditor = make_user("worker-auditor", Role.AUDITOR)
    team = make_team("Assessment South")
    workers = [make_worker(team) for _ in range(6)]
    quarter = Quarter.containing(timezone.localdate())
    audit = _allocated_audit(team, auditor, quarter.slug)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        submit_march(team, workers, [10, 12, 14, 16, 22, 26], manager)
        figure = _wait_for(lambda: actual(AVERAGE_CODE, MARCH))
        assert (figure.value, figure.numerator, figure.denominator) == (Decimal("16.7"), Decimal(100), Decimal(6))
        over = _wait_for(lambda: actual(OVER_CODE, MARCH))
        assert over.value == Decimal("33.3")

        submit_audit(audit=audit, user=auditor, entry=_entry(1))
        figure = _wait_for(lambda: actual(GOOD_OR_ABOVE_CODE, quarter.start))
        assert (figure.value, figure.numerator, figure.denominator) == (Decimal("100.0"), Decimal(1), Decimal(1))

        before = value_history_count()
        assert recompute_computed_indicators.delay().get(timeout=30) == {
            "audits": {"periods": 1, "changed": 0},
            "caseloads": {"periods": 1, "changed": 0},
        }
        assert value_history_count() == before
