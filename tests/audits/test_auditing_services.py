"""The audit lifecycle through the services: draft, submit, double submit, return, close, reallocate."""

import pytest
from django.core.exceptions import PermissionDenied

from audits.choices import AuditStatus, Grade, Theme
from audits.computed import GOOD_OR_ABOVE_CODE
from audits.lifecycle import InvalidTransition
from audits.rules import ThemeEntry
from audits.services.allocating import NotIndependent
from audits.services.auditing import (
    AuditEntry,
    AuditLocked,
    SubmissionInvalid,
    close_audit,
    reallocate,
    return_to_auditor,
    save_draft,
    submit_audit,
)


def full_entry(grade=Grade.GOOD, **changes):
    entry = AuditEntry(
        themes={theme.value: ThemeEntry(grade.value, f"{theme.label} evidence") for theme in Theme},
        overall_grade=grade.value,
        strengths="Child's voice is clear",
    )
    for name, value in changes.items():
        setattr(entry, name, value)
    return entry


@pytest.fixture
def received(queued_recomputes):
    """The audit quarters whose computed figure was queued for recompute."""
    return queued_recomputes


def recompute_of(*days):
    return (GOOD_OR_ABOVE_CODE,), tuple(day.isoformat() for day in days)


def test_saving_a_draft_starts_the_audit_and_keeps_partial_answers(build, auditor):
    audit = build.audit(auditor=auditor)
    entry = AuditEntry(themes={"safeguarding": ThemeEntry(Grade.GOOD.value, "Plan reviewed")}, strengths="Timely")
    save_draft(audit=audit, user=auditor, entry=entry)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.started_at
    assert audit.strengths == "Timely"
    assert audit.theme_grades.get().grade == Grade.GOOD


def test_only_the_auditor_may_save_or_submit(build, auditor, second_auditor):
    audit = build.audit(auditor=auditor)
    with pytest.raises(PermissionDenied):
        save_draft(audit=audit, user=second_auditor, entry=full_entry())
    with pytest.raises(PermissionDenied):
        submit_audit(audit=audit, user=second_auditor, entry=full_entry())


def test_submit_sets_the_completion_date_and_announces_the_grade(
    build, auditor, received, django_capture_on_commit_callbacks
):
    audit = build.audit(auditor=auditor)
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_audit(audit=audit, user=auditor, entry=full_entry()) is True
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.submitted_at and audit.completed_on
    assert audit.overall_grade == Grade.GOOD
    assert audit.theme_grades.count() == 4
    assert received == [recompute_of(audit.completed_on)]


def test_an_invalid_submission_changes_nothing(build, auditor):
    audit = build.audit(auditor=auditor)
    with pytest.raises(SubmissionInvalid) as raised:
        submit_audit(audit=audit, user=auditor, entry=full_entry(overall_grade=None))
    assert raised.value.problems == {"overall_grade": "Select the overall grade"}
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
    assert audit.theme_grades.count() == 0


def test_submitting_twice_changes_nothing_more(build, auditor, received, django_capture_on_commit_callbacks):
    audit = build.audit(auditor=auditor)
    with django_capture_on_commit_callbacks(execute=True):
        submit_audit(audit=audit, user=auditor, entry=full_entry())
    audit.refresh_from_db()
    before = (audit.submitted_at, audit.history.count(), audit.overall_grade)
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_audit(audit=audit, user=auditor, entry=full_entry(Grade.INADEQUATE)) is False
    audit.refresh_from_db()
    assert (audit.submitted_at, audit.history.count(), audit.overall_grade) == before
    assert received == [recompute_of(audit.completed_on)]


def test_a_submitted_audit_cannot_be_changed_by_its_auditor(build, auditor):
    audit = build.audit(auditor=auditor)
    submit_audit(audit=audit, user=auditor, entry=full_entry())
    with pytest.raises(AuditLocked):
        save_draft(audit=audit, user=auditor, entry=full_entry(Grade.INADEQUATE))
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.GOOD


def test_history_records_every_grade_change_with_who_and_when(build, auditor):
    audit = build.audit(auditor=auditor)
    save_draft(audit=audit, user=auditor, entry=full_entry(Grade.REQUIRES_IMPROVEMENT))
    save_draft(audit=audit, user=auditor, entry=full_entry(Grade.GOOD))
    submit_audit(audit=audit, user=auditor)
    grades = [
        (h.overall_grade, h.history_user, h.history_date is not None) for h in audit.history.order_by("history_id")
    ]
    assert (Grade.REQUIRES_IMPROVEMENT, auditor, True) in grades
    assert (Grade.GOOD, auditor, True) in grades
    safeguarding = audit.theme_grades.get(theme="safeguarding")
    theme_grades = [h.grade for h in safeguarding.history.order_by("history_id")]
    assert theme_grades == [Grade.REQUIRES_IMPROVEMENT, Grade.GOOD]
    assert {h.history_user for h in safeguarding.history.all()} == {auditor}


def test_saving_the_same_draft_again_writes_no_history(build, auditor):
    audit = build.audit(auditor=auditor)
    save_draft(audit=audit, user=auditor, entry=full_entry())
    counts = (audit.history.count(), sum(tg.history.count() for tg in audit.theme_grades.all()))
    save_draft(audit=audit, user=auditor, entry=full_entry())
    assert (audit.history.count(), sum(tg.history.count() for tg in audit.theme_grades.all())) == counts


def test_an_officer_can_return_a_submitted_audit_with_a_reason(build, auditor, officer):
    audit = build.audit(auditor=auditor)
    submit_audit(audit=audit, user=auditor, entry=full_entry())
    with pytest.raises(ValueError, match="Enter why"):
        return_to_auditor(audit=audit, user=officer, reason=" ")
    return_to_auditor(audit=audit, user=officer, reason="Evidence missing for theme 2")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.completed_on is None
    assert audit.history.latest().history_change_reason == "Returned to auditor: Evidence missing for theme 2"
    save_draft(audit=audit, user=auditor, entry=full_entry(Grade.REQUIRES_IMPROVEMENT))


def test_closing_follows_the_lifecycle(build, auditor, officer, moderator):
    audit = build.audit(auditor=auditor)
    with pytest.raises(InvalidTransition):
        close_audit(audit=audit, user=officer)
    submit_audit(audit=audit, user=auditor, entry=full_entry())
    assert close_audit(audit=audit, user=officer) is True
    assert close_audit(audit=audit, user=officer) is False
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED and audit.closed_at


def test_an_audit_waiting_for_moderation_cannot_be_closed(build, auditor, officer, moderator):
    audit = build.completed(Grade.GOOD, auditor=auditor, moderator=moderator)
    with pytest.raises(ValueError, match="waiting for moderation"):
        close_audit(audit=audit, user=officer)


def test_reallocation_keeps_independence(build, auditor, second_auditor, officer):
    team = build.team("North", managers=[second_auditor])
    audit = build.audit(build.case(team), auditor=auditor)
    with pytest.raises(NotIndependent, match="manages North"):
        reallocate(audit=audit, auditor=second_auditor, user=officer)
    third = build.user("third")
    reallocate(audit=audit, auditor=third, user=officer)
    audit.refresh_from_db()
    assert audit.auditor == third


def test_returning_an_audit_recomputes_the_quarter_it_counted_in(
    build, auditor, officer, received, django_capture_on_commit_callbacks
):
    audit = build.audit(auditor=auditor)
    submit_audit(audit=audit, user=auditor, entry=full_entry())
    audit.refresh_from_db()
    counted_on = audit.completed_on
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return_to_auditor(audit=audit, user=officer, reason="Evidence missing")
    assert received == [recompute_of(counted_on)]


def test_closing_changes_no_grade_so_queues_nothing(
    build, auditor, officer, received, django_capture_on_commit_callbacks
):
    audit = build.audit(auditor=auditor)
    submit_audit(audit=audit, user=auditor, entry=full_entry())
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        close_audit(audit=audit, user=officer)
    assert received == []


def test_a_returned_audit_has_no_completion_date_in_the_database(build, auditor):
    from django.db import IntegrityError, transaction

    audit = build.completed(Grade.GOOD, auditor=auditor)
    audit.status = AuditStatus.IN_PROGRESS  # behind the lifecycle's back, keeping its completion date
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.save()
