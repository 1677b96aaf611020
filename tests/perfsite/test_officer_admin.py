"""Performance officers use Django admin for every app; other roles cannot open it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from perfsite.roles import Role, grant_officer_permissions, project_app_labels

ADMIN_PAGES = [
    "admin:indicators_indicator_changelist",
    "admin:caseloads_team_changelist",
    "admin:caseloads_caseloadreturn_changelist",
    "admin:audits_audit_changelist",
    "admin:audits_case_changelist",
    "admin:scorecards_publishedscorecard_changelist",
    "admin:auth_user_changelist",
]


@pytest.fixture(autouse=True)
def officer_permissions(db):
    # post_migrate granted them when the test database was built; a flush would drop them.
    grant_officer_permissions()


def test_the_project_apps_are_found_without_naming_them():
    assert set(project_app_labels()) == {"indicators", "caseloads", "audits", "scorecards"}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_an_officer_opens_every_apps_admin(client, officer, name):
    client.force_login(officer)
    assert client.get(reverse(name)).status_code == 200


def test_an_officer_may_view_but_not_change_user_accounts(client, officer, auditor):
    client.force_login(officer)
    assert client.get(reverse("admin:auth_user_change", args=[auditor.pk])).status_code == 200
    response = client.post(
        reverse("admin:auth_user_change", args=[officer.pk]), {"username": "officer", "is_superuser": "on"}
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert not officer.is_superuser


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR, Role.TEAM_MANAGER, Role.SCRUTINY_MEMBER])
def test_other_roles_get_no_admin_permissions(role):
    group = Group.objects.get(name=role.value)
    assert not group.permissions.exists()


def test_granting_twice_changes_nothing():
    group = Group.objects.get(name=Role.PERFORMANCE_OFFICER.value)
    before = set(group.permissions.values_list("pk", flat=True))
    grant_officer_permissions()
    assert set(group.permissions.values_list("pk", flat=True)) == before
    assert before
