"""The signed-in user is read with their roles in one query, and a role change applies from the next page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfsite.auth_backends import RolesModelBackend
from perfsite.oidc import CouncilOIDCBackend
from perfsite.roles import Role, roles_of
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "roles",
    [
        (),
        (Role.SCRUTINY_MEMBER,),
        (Role.AUDITOR, Role.MODERATOR),
        (Role.TEAM_MANAGER, Role.PERFORMANCE_OFFICER),
        tuple(Role),
    ],
)
@pytest.mark.parametrize("backend", [RolesModelBackend, CouncilOIDCBackend])
def test_the_user_and_their_roles_are_one_query(roles, backend, django_assert_num_queries):
    user = make_user("someone", *roles)
    make_user("another", *Role)  # someone else's roles never leak in
    with django_assert_num_queries(1):
        loaded = backend().get_user(user.pk)
        assert roles_of(loaded) == set(roles)


def test_an_unknown_or_inactive_user_is_nobody():
    user = make_user("gone", Role.AUDITOR, is_active=False)
    assert RolesModelBackend().get_user(user.pk) is None
    assert RolesModelBackend().get_user(user.pk + 1000) is None


def test_a_role_taken_away_applies_from_the_next_page(client):
    officer_group = Group.objects.get_or_create(name=Role.PERFORMANCE_OFFICER.value)[0]
    user = make_user("temp", Role.SCRUTINY_MEMBER, Role.PERFORMANCE_OFFICER)
    client.force_login(user)
    assert client.get(reverse("indicators:action_list")).status_code == 200
    user.groups.remove(officer_group)
    assert client.get(reverse("indicators:action_list")).status_code == 403
    user.groups.add(officer_group)
    assert client.get(reverse("indicators:action_list")).status_code == 200


def test_a_signed_in_page_reads_the_roles_with_the_user(client):
    client.force_login(make_user("reader", Role.SCRUTINY_MEMBER))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("scorecards:index")).status_code == 200
    # Quoted (the ORM's) or not (the backend's own SQL): one query reads the groups, the user's own.
    reading_groups = [q["sql"] for q in captured if "auth_user_groups" in q["sql"].replace('"', "")]
    assert len(reading_groups) == 1
    assert reading_groups[0].replace('"', "").lstrip().upper().startswith("SELECT U.*")
