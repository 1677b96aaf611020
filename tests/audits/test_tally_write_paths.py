"""Every write that changes what a completed audit counts as keeps the roll-ups' tallies equal to the audits:
submitting, returning, moderating, the historic results import, retention and admin (saves and history
reverts). Each test changes the audits through the real write path only, then reads the roll-up."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.choices import AuditStatus, Grade, RoundKind, Theme
from audits.imports.results import import_audit_results
from audits.models import Audit, AuditRound, Moderation
from audits.retention import apply_retention
from audits.rollups import quarter_rollup
from audits.services.auditing import return_to_auditor, submit_audit
from audits.services.moderating import record_moderation, send_for_moderation
from indicators.quarters import Quarter
from tests.audits.rollup_oracle import assert_tallies_follow
from tests.audits.test_admin import audit_post
from tests.audits.test_auditing_services import full_entry

RESULTS_HEADER = "case_ref,team,case_type,quarter,overall_grade,moderated_grade,completed_on\n"


def _today_quarter() -> Quarter:
    return Quarter.containing(timezone.localdate())


@pytest.fixture
def submitted(build, auditor):
    audit = build.audit(auditor=auditor, round=build.round(_today_quarter().slug, kind=RoundKind.RANDOM))
    assert submit_audit(audit=audit, user=auditor, entry=full_entry(Grade.GOOD))
    return Audit.objects.get(pk=audit.pk)


def test_submitting_counts_the_audit_in_its_quarter(submitted):
    rollup = quarter_rollup(quarter=_today_quarter(), random_only=True)
    assert (rollup.audited, rollup.by_grade["good"]) == (1, 1)
    assert {theme.key: theme.audited for theme in rollup.by_theme} == dict.fromkeys(Theme.values, 1)
    assert_tallies_follow(_today_quarter())


def test_returning_to_the_auditor_takes_it_out_of_its_quarter(submitted, officer):
    return_to_auditor(audit=submitted, user=officer, reason="Evidence missing")
    assert quarter_rollup(quarter=_today_quarter()).audited == 0
    assert_tallies_follow(_today_quarter())


def test_moderating_changes_the_agreed_grade_and_the_agreement(submitted, officer, moderator):
    [moderation] = send_for_moderation(moderators=[moderator], user=officer, audits=[submitted])
    assert quarter_rollup(quarter=_today_quarter()).moderated == 0  # sent, not yet graded
    record_moderation(moderation=moderation, user=moderator, grade=Grade.INADEQUATE.value, rationale="No plan")
    rollup = quarter_rollup(quarter=_today_quarter())
    assert (rollup.by_grade["good"], rollup.by_grade["inadequate"], rollup.moderated) == (0, 1, 1)
    assert rollup.agreement_pct == 0
    assert_tallies_follow(_today_quarter())


def _import(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(RESULTS_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    result = import_audit_results(str(path))
    assert not result.errors, result.errors
    return result


def test_the_historic_results_import_counts_creates_updates_and_unmoderates(tmp_path, build):
    build.team("North")
    q3, q4 = Quarter.parse("2016-17-q3"), Quarter.parse("2016-17-q4")
    _import(
        tmp_path,
        "a.csv",
        ["C-000001,North,cin,2016-17-q4,good,inadequate,2017-02-01", "C-000002,North,cp,2016-17-q3,good,,2016-11-01"],
    )
    rollup = quarter_rollup(quarter=q4, random_only=True)
    assert (rollup.audited, rollup.by_grade["inadequate"], rollup.moderated, rollup.previous.audited) == (1, 1, 1, 1)
    assert_tallies_follow(q3, q4)
    _import(
        tmp_path,
        "b.csv",
        [
            "C-000001,North,lac,2016-17-q4,outstanding,,2017-03-01",
            "C-000002,North,cp,2016-17-q3,inadequate,,2016-11-01",
        ],
    )
    rollup = quarter_rollup(quarter=q4)
    assert (rollup.by_grade["outstanding"], rollup.moderated, [c.key for c in rollup.by_case_type]) == (1, 0, ["lac"])
    assert rollup.previous.by_grade["inadequate"] == 1
    assert_tallies_follow(q3, q4)


def test_retention_takes_deleted_audits_out_of_their_quarter(build, settings):
    settings.PERFSITE_RETENTION_YEARS_AFTER_CLOSURE = 6
    quarter = Quarter.parse("2005-06-q4")
    round_ = build.round(quarter.slug, kind=RoundKind.RANDOM)
    old_case = build.case(build.team(), opened_on=datetime.date(2005, 1, 1), closed_on=datetime.date(2007, 1, 1))
    build.audit(
        old_case,
        round=round_,
        status=AuditStatus.CLOSED,
        overall_grade=Grade.GOOD.value,
        completed_on=datetime.date(2006, 2, 1),
        themes=dict.fromkeys(Theme.values, Grade.GOOD.value),
        moderated_grade=Grade.GOOD.value,
    )
    build.completed(Grade.INADEQUATE, round=round_, completed_on=datetime.date(2006, 3, 1))  # an open case: kept
    assert quarter_rollup(quarter=quarter).audited == 2
    apply_retention(today=datetime.date(2026, 6, 15))
    rollup = quarter_rollup(quarter=quarter)
    assert (rollup.audited, rollup.by_grade["inadequate"], rollup.moderated) == (1, 1, 0)
    assert_tallies_follow(quarter)


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_an_admin_revert_to_before_submission_takes_the_audit_out(admin_client_, submitted):
    unsubmitted = submitted.history.exclude(status=AuditStatus.SUBMITTED).order_by("-history_date").first()
    assert unsubmitted is not None and unsubmitted.completed_on is None
    url = reverse("admin:audits_audit_simple_history", args=[submitted.pk, unsubmitted.history_id])
    response = admin_client_.post(url, audit_post(unsubmitted.instance))
    assert response.status_code == 302
    assert Audit.objects.get(pk=submitted.pk).completed_on is None
    assert quarter_rollup(quarter=_today_quarter()).audited == 0
    assert_tallies_follow(_today_quarter())


def test_an_admin_revert_of_a_moderation_brings_back_the_auditors_grade(admin_client_, submitted, officer, moderator):
    [moderation] = send_for_moderation(moderators=[moderator], user=officer, audits=[submitted])
    record_moderation(moderation=moderation, user=moderator, grade=Grade.INADEQUATE.value, rationale="No plan")
    pending = Moderation.history.filter(id=moderation.pk, grade__isnull=True).order_by("-history_date").first()
    url = reverse("admin:audits_moderation_simple_history", args=[moderation.pk, pending.history_id])
    response = admin_client_.post(url, {"moderator": moderator.pk})
    assert response.status_code == 302
    rollup = quarter_rollup(quarter=_today_quarter())
    assert (rollup.by_grade["good"], rollup.moderated) == (1, 0)
    assert_tallies_follow(_today_quarter())


def test_an_admin_save_of_a_submitted_audit_keeps_the_tallies(admin_client_, submitted):
    url = reverse("admin:audits_audit_change", args=[submitted.pk])
    response = admin_client_.post(url, audit_post(submitted, overall_grade="4"))
    assert response.status_code == 302
    assert quarter_rollup(quarter=_today_quarter()).by_grade["good"] == 1
    assert_tallies_follow(_today_quarter())


def test_deleting_an_unstarted_round_in_admin_leaves_other_quarters_alone(admin_client_, build):
    build.completed(Grade.GOOD)
    unstarted = build.round("2017-18-q1", kind=RoundKind.RANDOM)
    build.audit(round=unstarted)
    url = reverse("admin:audits_auditround_delete", args=[unstarted.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert not AuditRound.objects.filter(pk=unstarted.pk).exists()
    assert quarter_rollup(quarter=Quarter.parse("2016-17-q4")).audited == 1
    assert_tallies_follow(Quarter.parse("2016-17-q4"))
