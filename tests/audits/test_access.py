"""Who sees what: auditors their own audits, managers their teams', moderators their queue,
scrutiny members nothing at all, anonymous users the sign-in page."""

import pytest
from django.urls import reverse

from audits.choices import Grade
from audits.models import AuditAction, Moderation
from perfsite.roles import Role


@pytest.fixture
def world(build, auditor, second_auditor, manager, moderator):
    north = build.team("North", managers=[manager])
    south = build.team("South")
    mine = build.completed(Grade.GOOD, team=north, auditor=auditor)
    theirs = build.completed(Grade.GOOD, team=south, auditor=second_auditor)
    draft = build.audit(build.case(north), auditor=auditor)
    Moderation.objects.create(audit=mine, moderator=moderator)
    action = AuditAction.objects.create(audit=mine, description="x", owner=manager, due_on="2017-04-01")
    return {"north": north, "south": south, "mine": mine, "theirs": theirs, "draft": draft, "action": action}


def detail(audit):
    return reverse("audits:audit_detail", args=[audit.pk])


def test_an_auditor_sees_only_their_own_audits(client, auditor, world):
    client.force_login(auditor)
    assert client.get(detail(world["mine"])).status_code == 200
    assert client.get(detail(world["theirs"])).status_code == 404
    assert client.get(reverse("audits:audit_edit", args=[world["theirs"].pk])).status_code == 404
    worklist = client.get(reverse("audits:worklist")).text
    assert world["mine"].case.case_ref in worklist and world["theirs"].case.case_ref not in worklist


def test_an_auditor_cannot_edit_another_auditors_draft(client, second_auditor, world):
    client.force_login(second_auditor)
    assert client.get(reverse("audits:audit_edit", args=[world["draft"].pk])).status_code == 404
    assert client.post(reverse("audits:audit_edit", args=[world["draft"].pk]), {"action": "save"}).status_code == 404


def test_a_team_manager_reads_only_their_teams_audits(client, manager, world):
    client.force_login(manager)
    assert client.get(detail(world["mine"])).status_code == 200
    assert client.get(detail(world["theirs"])).status_code == 404
    assert client.get(reverse("audits:audit_edit", args=[world["mine"].pk])).status_code == 403
    page = client.get(reverse("audits:team_audits")).text
    assert world["mine"].case.case_ref in page and world["theirs"].case.case_ref not in page
    results = client.get(reverse("audits:results") + "?quarter=2016-17-q4")
    assert results.status_code == 200
    assert "South" not in results.text
    assert client.get(reverse("audits:round_list")).status_code == 403
    cases = client.get(reverse("audits:case_list")).text
    assert world["mine"].case.case_ref in cases and world["theirs"].case.case_ref not in cases
    assert client.get(reverse("audits:case_detail", args=[world["theirs"].case.pk])).status_code == 404


def test_a_moderator_sees_only_their_queue(client, moderator, world, build):
    client.force_login(moderator)
    assert client.get(detail(world["mine"])).status_code == 200
    assert client.get(detail(world["theirs"])).status_code == 404
    other = build.user("mod2", Role.MODERATOR)
    someone_elses = Moderation.objects.create(audit=world["theirs"], moderator=other)
    assert client.get(reverse("audits:moderation_record", args=[someone_elses.pk])).status_code == 404
    queue = client.get(reverse("audits:moderation_queue")).text
    assert world["mine"].case.case_ref in queue and world["theirs"].case.case_ref not in queue
    assert client.get(reverse("audits:results")).status_code == 403


def test_an_officer_sees_everything(client, officer, world):
    client.force_login(officer)
    for audit in (world["mine"], world["theirs"], world["draft"]):
        assert client.get(detail(audit)).status_code == 200
    assert client.get(reverse("audits:audit_edit", args=[world["draft"].pk])).status_code == 403


PAGES = [
    ("audits:worklist", None),
    ("audits:audit_detail", "mine"),
    ("audits:audit_edit", "draft"),
    ("audits:round_list", None),
    ("audits:round_random_new", None),
    ("audits:moderation_queue", None),
    ("audits:action_list", None),
    ("audits:results", None),
    ("audits:team_audits", None),
    ("audits:case_list", None),
]


def _url(name, key, world):
    if key is None:
        return reverse(name)
    return reverse(name, args=[world[key].pk])


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_a_scrutiny_member_sees_no_audit_or_case_page(client, member, world, name, key):
    client.force_login(member)
    assert client.get(_url(name, key, world)).status_code == 403


def test_a_scrutiny_member_sees_no_case_page(client, member, world):
    client.force_login(member)
    assert client.get(reverse("audits:case_detail", args=[world["mine"].case.pk])).status_code == 403
    assert client.get(reverse("audits:round_detail", args=[world["mine"].round.pk])).status_code == 403


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_a_user_without_a_role_is_refused(client, outsider, world, name, key):
    client.force_login(outsider)
    assert client.get(_url(name, key, world)).status_code == 403


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, world, name, key):
    response = client.get(_url(name, key, world))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_action_owner_without_a_role_can_see_and_close_their_action(client, build, world):
    owner = build.user("worker-owner")
    action = AuditAction.objects.create(audit=world["mine"], description="Visit", owner=owner, due_on="2017-04-01")
    client.force_login(owner)
    page = client.get(reverse("audits:action_list")).text
    assert "Visit" in page and world["action"].description + "</td>" not in page
    assert client.post(reverse("audits:action_close", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.closed_by == owner
    assert client.post(reverse("audits:action_close", args=[world["action"].pk])).status_code == 404


def test_nav_links_follow_roles(auditor, member, officer, manager):
    from django.apps import apps

    config = apps.get_app_config("audits")
    assert [link.label for link in config.nav_links(auditor)] == ["Your audits", "Audit actions"]
    assert config.nav_links(member) == []
    assert "Audit rounds" in [link.label for link in config.nav_links(officer)]
    assert [link.label for link in config.nav_links(manager)] == ["Audit results", "Team audits", "Audit actions"]
