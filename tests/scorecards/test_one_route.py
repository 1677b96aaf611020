"""One route to the scorecard: publishing recomputes the quarter's computed figures first (issue 9 seen 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from audits.choices import Grade, RoundKind
from audits.computed import GOOD_OR_ABOVE_CODE, recompute_quarter
from indicators.models import IndicatorValue
from indicators.quarters import Quarter
from scorecards.publishing import publish
from tests.audits.conftest import Builder
from tests.scorecards.test_computed import needs_redis

Q4 = Quarter.parse("2016-17-q4")


@pytest.mark.django_db
def test_seen_5_a_publish_between_a_change_and_its_recompute_freezes_figures_that_agree(officer):
    """Before: the audit panel read the audits live, the indicator row the figure the task had not yet updated."""
    build = Builder()
    round_ = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for grade in [Grade.GOOD] * 6 + [Grade.INADEQUATE] * 4:
        build.completed(grade, round=round_, completed_on=datetime.date(2017, 2, 15))
    recompute_quarter(Q4)
    # A moderation commits; its recompute task has not run yet when the officer publishes.
    for _ in range(2):
        build.completed(Grade.INADEQUATE, round=round_, completed_on=datetime.date(2017, 3, 1))
    assert IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="actual").value == Decimal("60.0")
    snapshot = publish(quarter=Q4, user=officer).snapshot
    rows = {row["code"]: row for section in snapshot["sections"] for row in section["rows"]}
    panel = snapshot["audit"]["overall"]
    assert (str(panel["good_or_above"]), str(panel["audited"])) == ("6", "12")
    assert Decimal(panel["pct"]) == Decimal("50.0")
    assert Decimal(rows[GOOD_OR_ABOVE_CODE]["latest"]["value"]) == Decimal("50.0")


@pytest.mark.django_db
def test_publishing_adds_no_computed_indicator_the_register_did_not_have(officer):
    publish(quarter=Q4, user=officer)
    assert not IndicatorValue.objects.filter(indicator__code=GOOD_OR_ABOVE_CODE).exists()


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_a_submission_and_a_publish_at_once_agree():
    """With the recompute on a real worker, a publish right after a submission still freezes one figure."""
    from celery.contrib.testing.worker import start_worker
    from django.utils import timezone

    from audits.services.auditing import submit_audit
    from perfsite.celery import app
    from perfsite.roles import Role
    from tests.conftest import make_user
    from tests.scorecards.conftest import completed_audits, grades, make_team
    from tests.scorecards.test_computed import _allocated_audit, _entry

    officer = make_user("route-officer", Role.PERFORMANCE_OFFICER)
    auditor = make_user("route-auditor", Role.AUDITOR)
    team = make_team("Assessment North")
    quarter = Quarter.containing(timezone.localdate())
    completed_audits(team, quarter, grades(good=10, requires_improvement=10))
    recompute_quarter(quarter)
    audit = _allocated_audit(team, auditor, quarter.slug)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        submit_audit(audit=audit, user=auditor, entry=_entry(1))  # its recompute is queued on commit
        snapshot = publish(quarter=quarter, user=officer).snapshot  # at once
    rows = {row["code"]: row for section in snapshot["sections"] for row in section["rows"]}
    panel = snapshot["audit"]["overall"]
    assert (str(panel["good_or_above"]), str(panel["audited"])) == ("11", "21")
    assert Decimal(rows[GOOD_OR_ABOVE_CODE]["latest"]["value"]) == Decimal(panel["pct"]) == Decimal("52.4")
