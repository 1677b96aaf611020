import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied

from audits.models import ActionReminder, AuditAction
from audits.services.actions import add_action, close_action, owner_choices, remove_action, send_overdue_reminders
from audits.tasks import send_overdue_action_reminders

MONDAY = datetime.date(2017, 3, 13)


@pytest.fixture
def team_and_owner(build):
    owner = build.user("owner")
    team = build.team("North", managers=[owner])
    return team, owner


def test_the_auditor_adds_and_removes_actions_while_the_audit_is_open(build, auditor, team_and_owner):
    team, owner = team_and_owner
    audit = build.audit(build.case(team), auditor=auditor)
    assert owner in owner_choices(audit)
    action = add_action(audit=audit, user=auditor, description="Update the chronology", owner=owner, due_on=MONDAY)
    assert action.history.get().history_user == auditor
    remove_action(action=action, user=auditor)
    assert not AuditAction.objects.exists()


def test_no_actions_are_added_to_a_submitted_audit(build, auditor, team_and_owner):
    team, owner = team_and_owner
    audit = build.audit(build.case(team), auditor=auditor, status="submitted")
    with pytest.raises(PermissionDenied):
        add_action(audit=audit, user=auditor, description="x", owner=owner, due_on=MONDAY)


def test_closing_records_when_and_by_whom_once(build, auditor, team_and_owner, second_auditor):
    team, owner = team_and_owner
    action = AuditAction.objects.create(
        audit=build.audit(build.case(team), auditor=auditor), description="x", owner=owner, due_on=MONDAY
    )
    with pytest.raises(PermissionDenied):
        close_action(action=action, user=second_auditor)
    assert close_action(action=action, user=owner) is True
    action.refresh_from_db()
    assert action.closed_by == owner and action.closed_at
    first_closed = action.closed_at
    assert close_action(action=action, user=owner) is False
    action.refresh_from_db()
    assert action.closed_at == first_closed


def test_owners_who_can_no_longer_sign_in_get_no_email(build, auditor, team_and_owner):
    """A reminder names case references: it goes only to active accounts."""
    team, owner = team_and_owner
    AuditAction.objects.create(
        audit=build.audit(build.case(team), auditor=auditor),
        description="Visit the child",
        owner=owner,
        due_on=MONDAY - datetime.timedelta(days=1),
    )
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert send_overdue_reminders(today=MONDAY) == []
    assert mail.outbox == []


def test_overdue_owners_get_one_email_a_week(build, auditor, team_and_owner):
    team, owner = team_and_owner
    audit = build.audit(build.case(team), auditor=auditor)
    overdue = AuditAction.objects.create(
        audit=audit, description="Visit the child", owner=owner, due_on=MONDAY - datetime.timedelta(days=1)
    )
    AuditAction.objects.create(
        audit=audit, description="Not yet due", owner=owner, due_on=MONDAY + datetime.timedelta(days=3)
    )
    AuditAction.objects.create(
        audit=audit,
        description="Done",
        owner=owner,
        due_on=MONDAY - datetime.timedelta(days=9),
        closed_at=datetime.datetime(2017, 3, 1, tzinfo=datetime.UTC),
    )
    sent = send_overdue_reminders(today=MONDAY)
    assert len(sent) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Visit the child" in mail.outbox[0].body
    assert "Not yet due" not in mail.outbox[0].body and "Done" not in mail.outbox[0].body
    assert list(sent[0].actions.all()) == [overdue]
    # Later the same week (a retry, a second beat): nothing more.
    assert send_overdue_reminders(today=MONDAY + datetime.timedelta(days=2)) == []
    assert len(mail.outbox) == 1
    # The next week, still overdue: another reminder.
    assert len(send_overdue_reminders(today=MONDAY + datetime.timedelta(days=7))) == 1
    assert ActionReminder.objects.count() == 2


def test_the_beat_task_is_scheduled_and_runs(build, auditor, team_and_owner):
    assert (
        settings.CELERY_BEAT_SCHEDULE["audits-overdue-action-reminders"]["task"]
        == "audits.tasks.send_overdue_action_reminders"
    )
    # apply() runs the task here whatever the broker, as a worker would.
    assert send_overdue_action_reminders.apply().get() == 0
