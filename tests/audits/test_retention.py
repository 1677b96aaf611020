"""Retention (issue 12, finding 12): closed cases, their audits and actions, and the history of all of them,
are deleted PERFSITE_RETENTION_YEARS_AFTER_CLOSURE years after closure; a dry run changes nothing; one
transaction; counts only in what is reported and logged."""

from __future__ import annotations

import datetime
import logging
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from audits import retention
from audits.choices import AuditStatus, Grade, RoundKind, Theme
from audits.models import ActionReminder, Audit, AuditAction, AuditRound, Case, Moderation, ThemeGrade
from audits.retention import apply_retention, retention_cutoff
from perfsite.celery import app

TODAY = datetime.date(2026, 6, 15)


def _history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in (Case, Audit, ThemeGrade, Moderation, AuditAction)}


def _live_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Case, Audit, ThemeGrade, Moderation, AuditAction)}


def _random_round(build):
    """The quarter's one random round (a quarter has at most one)."""
    found = AuditRound.objects.filter(kind=RoundKind.RANDOM, quarter="2005-06-q4").first()
    return found or build.round("2005-06-q4", kind=RoundKind.RANDOM)


def _closed_case_with_everything(build, closed_on, *, owner):
    case = build.case(build.team(), opened_on=datetime.date(2005, 1, 1), closed_on=closed_on)
    audit = build.audit(
        case,
        round=_random_round(build),  # the quality figure counts random rounds
        status=AuditStatus.SUBMITTED,
        overall_grade=Grade.GOOD.value,
        completed_on=datetime.date(2006, 2, 1),
        themes=dict.fromkeys(Theme.values, Grade.GOOD.value),
        moderated_grade=Grade.GOOD.value,
    )
    action = AuditAction.objects.create(
        audit=audit, description="Review the plan", owner=owner, due_on=datetime.date(2006, 3, 1)
    )
    # A later edit, so each record has more than one history row.
    audit.strengths = "Clear plan"
    audit.save()
    return case, audit, action


def test_the_default_is_six_years_after_closure():
    assert settings.PERFSITE_RETENTION_YEARS_AFTER_CLOSURE == 6


@pytest.mark.parametrize(
    ("today", "years", "cutoff"),
    [
        (datetime.date(2026, 6, 15), 6, datetime.date(2020, 6, 15)),
        (datetime.date(2028, 2, 29), 6, datetime.date(2022, 2, 28)),
        (datetime.date(2028, 2, 29), 4, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 1, 1), 1, datetime.date(2025, 1, 1)),
    ],
)
def test_the_cutoff(today, years, cutoff):
    assert retention_cutoff(today, years) == cutoff


@pytest.mark.parametrize(
    ("closed_on", "deleted"),
    [
        (None, False),  # open: never deleted
        (datetime.date(2010, 1, 1), True),
        (datetime.date(2020, 6, 13), True),
        (datetime.date(2020, 6, 14), True),  # the last day past six whole years
        (datetime.date(2020, 6, 15), False),  # exactly six years ago today: kept today
        (datetime.date(2020, 6, 16), False),
        (datetime.date(2026, 6, 1), False),
    ],
)
def test_a_case_is_deleted_only_once_past_retention(build, admin_user, closed_on, deleted):
    case, audit, action = _closed_case_with_everything(build, closed_on, owner=admin_user)
    report = apply_retention(today=TODAY)
    assert Case.objects.filter(pk=case.pk).exists() is not deleted
    assert Audit.objects.filter(pk=audit.pk).exists() is not deleted
    assert AuditAction.objects.filter(pk=action.pk).exists() is not deleted
    assert report.records["cases"] == int(deleted)


def test_the_years_come_from_the_setting(build, admin_user, settings):
    case, _, _ = _closed_case_with_everything(build, datetime.date(2023, 6, 1), owner=admin_user)
    apply_retention(today=TODAY)
    assert Case.objects.filter(pk=case.pk).exists()
    settings.PERFSITE_RETENTION_YEARS_AFTER_CLOSURE = 2
    apply_retention(today=TODAY)
    assert not Case.objects.filter(pk=case.pk).exists()


def test_everything_of_a_deleted_case_goes_history_included_and_nothing_else(build, admin_user):
    old_case, old_audit, old_action = _closed_case_with_everything(build, datetime.date(2015, 3, 1), owner=admin_user)
    kept_case, kept_audit, _ = _closed_case_with_everything(build, datetime.date(2024, 3, 1), owner=admin_user)
    reminder = ActionReminder.objects.create(
        owner=admin_user, week_starting=datetime.date(2026, 6, 8), sent_at="2026-06-08T07:30Z", recipient="a@b.org"
    )
    reminder.actions.add(old_action)
    kept_history = {
        "Case": Case.history.filter(id=kept_case.pk).count(),
        "Audit": Audit.history.filter(id=kept_audit.pk).count(),
        "ThemeGrade": ThemeGrade.history.filter(audit_id=kept_audit.pk).count(),
    }
    expected = {
        "cases": 1, "audits": 1, "theme grades": len(Theme.values), "moderations": 1, "actions": 1,
    }  # fmt: skip

    report = apply_retention(today=TODAY)

    assert report.records == expected
    assert report.history["audits"] == 2 and report.history["cases"] == 1
    assert not Case.history.filter(id=old_case.pk).exists()
    assert not Audit.history.filter(id=old_audit.pk).exists()
    for model in (ThemeGrade, Moderation, AuditAction):
        assert not model.history.filter(audit_id=old_audit.pk).exists()
    assert not ThemeGrade.objects.filter(audit_id=old_audit.pk).exists()
    assert list(reminder.actions.all()) == []
    assert Case.history.filter(id=kept_case.pk).count() == kept_history["Case"]
    assert Audit.history.filter(id=kept_audit.pk).count() == kept_history["Audit"]
    assert ThemeGrade.history.filter(audit_id=kept_audit.pk).count() == kept_history["ThemeGrade"]
    assert apply_retention(today=TODAY).total == 0  # the second run finds nothing


def test_history_of_an_audit_deleted_earlier_goes_with_its_case(build, admin_user):
    _, audit, _ = _closed_case_with_everything(build, datetime.date(2015, 3, 1), owner=admin_user)
    audit_id = audit.pk
    audit.delete()
    assert Audit.history.filter(id=audit_id).exists()
    apply_retention(today=TODAY)
    assert not Audit.history.filter(id=audit_id).exists()
    assert not ThemeGrade.history.filter(audit_id=audit_id).exists()


def test_a_dry_run_changes_nothing_and_counts_the_same(build, admin_user):
    _closed_case_with_everything(build, datetime.date(2015, 3, 1), owner=admin_user)
    live, history = _live_counts(), _history_counts()
    dry = apply_retention(today=TODAY, dry_run=True)
    assert (_live_counts(), _history_counts()) == (live, history)
    real = apply_retention(today=TODAY)
    assert (dry.records, dry.history) == (real.records, real.history)
    assert dry.records["cases"] == 1


def test_one_transaction_a_failure_part_way_deletes_nothing(build, admin_user, monkeypatch):
    _closed_case_with_everything(build, datetime.date(2015, 3, 1), owner=admin_user)
    live, history = _live_counts(), _history_counts()
    real_delete = retention._delete
    calls = []

    def fail_on_the_cases(rows, ids):
        calls.append(len(ids))
        if len(calls) == 2:  # audits are gone by now; deleting the cases fails
            raise RuntimeError("disk full")
        real_delete(rows, ids)

    monkeypatch.setattr(retention, "_delete", fail_on_the_cases)
    with pytest.raises(RuntimeError):
        apply_retention(today=TODAY)
    assert (_live_counts(), _history_counts()) == (live, history)


def test_the_command_reports_counts_only_never_a_reference(build, admin_user, caplog, settings):
    case, _, _ = _closed_case_with_everything(build, datetime.date(2015, 3, 1), owner=admin_user)
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="audits.retention"):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert "would delete 1 cases" in out.getvalue()
    assert "Dry run: nothing was deleted." in out.getvalue()
    assert Case.objects.filter(pk=case.pk).exists()
    with caplog.at_level(logging.INFO, logger="audits.retention"):
        call_command("apply_retention", stdout=out)
    assert "deleted 1 cases" in out.getvalue()
    assert not Case.objects.filter(pk=case.pk).exists()
    for text in (out.getvalue(), caplog.text):
        assert case.case_ref not in text
        assert admin_user.username not in text
    assert "cases 1" in caplog.text


def test_retention_runs_nightly_on_beat_through_a_thin_task(build, admin_user):
    entry = settings.CELERY_BEAT_SCHEDULE["audits-apply-retention"]
    app.loader.import_default_modules()
    task = app.tasks[entry["task"]]
    _closed_case_with_everything(build, datetime.date(2009, 1, 1), owner=admin_user)
    result = task.apply().get()
    assert result["records"]["cases"] == 1
    assert not Case.objects.exists()


def test_the_figures_of_quarters_whose_audits_retention_deleted_are_kept(build, admin_user):
    from audits.computed import GOOD_OR_ABOVE_CODE
    from indicators.computed import recompute
    from indicators.models import IndicatorValue

    _closed_case_with_everything(build, datetime.date(2009, 1, 1), owner=admin_user)  # audited in Feb 2006
    recompute(codes=[GOOD_OR_ABOVE_CODE])
    figure = IndicatorValue.objects.get(indicator__code=GOOD_OR_ABOVE_CODE, series="actual")
    assert (figure.value, figure.denominator) == (100, 1)
    apply_retention()
    assert not Audit.objects.exists()
    recompute(codes=[GOOD_OR_ABOVE_CODE])
    figure.refresh_from_db()
    assert (figure.value, figure.denominator) == (100, 1)
