"""The audit demo tells the reference's story, keeps independence, and loads only once."""

import io
from decimal import Decimal

import pytest

from audits.allocation import is_independent
from audits.choices import AuditStatus, RoundKind
from audits.demo import load_demo
from audits.models import Audit, AuditAction, AuditRound, Case, Moderation
from audits.rollups import quarter_rollup
from audits.services.allocating import auditor_facts, case_facts
from indicators.quarters import Quarter
from tests.audits.rollup_oracle import assert_tallies_follow


@pytest.fixture
def demo_teams(build, auditor, moderator, officer, manager):
    areas = ["assessment", "safeguarding", "looked_after", "care_leavers", "disability"]
    for i in range(10):
        team = build.team(f"Demo team {i}", managers=[manager] if i < 2 else [])
        team.service_area = areas[i % 5]
        team.save()
        for _ in range(12):
            build.worker(team)


def test_no_teams_means_no_audit_demo(db):
    out = io.StringIO()
    load_demo(stdout=out)
    assert "there are no teams" in out.getvalue()
    assert not Case.objects.exists()


@pytest.mark.slow
def test_the_demo_tells_the_q4_story_and_is_idempotent(demo_teams, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stdout=io.StringIO())
    open_cases = Case.objects.filter(closed_on__isnull=True).count()
    assert 3300 <= open_cases <= 3700
    round_ = AuditRound.objects.get(kind=RoundKind.RANDOM, quarter="2016-17-q4")
    assert round_.audits.count() == 158
    assert not round_.audits.exclude(status__in=[AuditStatus.SUBMITTED, AuditStatus.MODERATED]).exists()
    q4 = quarter_rollup(quarter=Quarter.parse("2016-17-q4"))
    assert (q4.audited, q4.good_or_above, q4.good_or_above_pct) == (158, 76, Decimal("48.1"))
    assert q4.moderated > 0 and q4.agreement_pct is not None and q4.agreement_pct < 100
    assert q4.previous.audited > 0
    baseline = quarter_rollup(quarter=Quarter.parse("2015-16-q4"))
    assert (baseline.audited, baseline.good_or_above_pct) == (20, Decimal("40.0"))
    # The demo writes past-dated audits straight to the tables; the roll-ups' tallies still count them all.
    assert_tallies_follow(*(Quarter.parse(slug) for slug in ("2015-16-q4", "2016-17-q3", "2016-17-q4", "2017-18-q1")))
    assert AuditAction.objects.overdue(Quarter.parse("2017-18-q1").end).filter(closed_at__isnull=True).count() >= 3
    for audit in Audit.objects.exclude(auditor=None).select_related("case__team", "case__worker", "auditor"):
        [facts] = auditor_facts([audit.auditor])
        assert is_independent(facts, case_facts(audit.case))
    for moderation in Moderation.objects.select_related("audit__case__team", "audit__case__worker", "moderator"):
        if moderation.moderator:
            [facts] = auditor_facts([moderation.moderator])
            assert is_independent(facts, case_facts(moderation.audit.case))
    counts = (Case.objects.count(), Audit.objects.count(), Moderation.objects.count(), AuditAction.objects.count())
    out = io.StringIO()
    load_demo(stdout=out)
    assert "already loaded" in out.getvalue()
    assert (
        Case.objects.count(),
        Audit.objects.count(),
        Moderation.objects.count(),
        AuditAction.objects.count(),
    ) == counts


@pytest.mark.slow
def test_sample_check_on_the_demos_q4_round_gives_a_verdict(demo_teams, django_capture_on_commit_callbacks):
    from audits.representativeness import REPRESENTATIVE, sample_check

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stdout=io.StringIO())
    random_round = AuditRound.objects.get(quarter="2016-17-q4", kind=RoundKind.RANDOM)
    check = sample_check(quarter=Quarter.parse("2016-17-q4"), round_id=random_round.pk)
    assert check.sample == 158 and check.not_counted == 0
    assert check.verdict == REPRESENTATIVE
    # Frozen at the draw, and equal to a count of today's demo case list: nothing moved a case since.
    from tests.audits.test_population import direct_count, frozen

    assert frozen(random_round) == direct_count(random_round, random_round.sampling_date)
    for test in check.dimensions:
        assert test.population == check.population and test.sample == check.sample
