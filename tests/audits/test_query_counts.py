"""Worklists, lists and roll-up pages make the same number of queries at any data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.choices import AuditStatus, Grade
from audits.models import AuditAction, Moderation


def populate(build, count, *, auditor, manager, moderator):
    teams = [build.team() for _ in range(3)]
    teams[0].managers.add(manager)
    round_ = build.round()
    for i in range(count):
        team = teams[i % 3]
        audit = build.completed(Grade(1 + i % 4), team=team, auditor=auditor, round=round_)
        build.audit(build.case(team), auditor=auditor, round=round_, status=AuditStatus.IN_PROGRESS)
        Moderation.objects.create(audit=audit, moderator=moderator, grade=2 if i % 2 else None)
        AuditAction.objects.create(audit=audit, description=f"Action {i}", owner=manager, due_on="2017-01-01")
    return round_


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("user_fixture", "url_name"),
    [
        ("auditor", "audits:worklist"),
        ("officer", "audits:results"),
        ("manager", "audits:results"),
        ("manager", "audits:team_audits"),
        ("officer", "audits:action_list"),
        ("manager", "audits:action_list"),
        ("moderator", "audits:moderation_queue"),
        ("officer", "audits:round_list"),
        ("officer", "audits:case_list"),
    ],
)
def test_queries_do_not_grow_with_the_data(client, build, request, auditor, manager, moderator, user_fixture, url_name):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    url = reverse(url_name) + ("?quarter=2016-17-q4" if url_name == "audits:results" else "")
    populate(build, 3, auditor=auditor, manager=manager, moderator=moderator)
    small = queries(client, url)
    populate(build, 30, auditor=auditor, manager=manager, moderator=moderator)
    assert queries(client, url) == small


def test_round_and_audit_pages_do_not_grow(client, build, officer, auditor, manager, moderator):
    client.force_login(officer)
    round_ = populate(build, 3, auditor=auditor, manager=manager, moderator=moderator)
    url = reverse("audits:round_detail", args=[round_.pk])
    small = queries(client, url)
    for i in range(30):
        build.completed(Grade(1 + i % 4), auditor=auditor, round=round_)
    assert queries(client, url) == small


def test_the_audit_page_does_not_grow_with_its_history_or_actions(client, build, auditor, manager, officer):
    from audits.services.auditing import AuditEntry, save_draft

    audit = build.audit(build.case(build.team(managers=[manager])), auditor=auditor)
    client.force_login(officer)
    url = reverse("audits:audit_detail", args=[audit.pk])
    small = queries(client, url)
    for i in range(12):
        save_draft(audit=audit, user=auditor, entry=AuditEntry(overall_grade=1 + i % 4, strengths=f"Draft {i}"))
        AuditAction.objects.create(audit=audit, description=f"Action {i}", owner=manager, due_on="2017-01-01")
    assert queries(client, url) == small
