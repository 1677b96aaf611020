"""Shared fixtures: one named user per role, and an outsider with no role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from model_bakery import baker

from perfsite.roles import Role

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *roles: Role, **extra):
    user = baker.make("auth.User", username=username, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def auditor(db):
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def moderator(db):
    return make_user("moderator", Role.MODERATOR)


@pytest.fixture
def manager(db):
    return make_user("manager", Role.TEAM_MANAGER)


@pytest.fixture
def officer(db):
    return make_user("officer", Role.PERFORMANCE_OFFICER, is_staff=True)


@pytest.fixture
def member(db):
    return make_user("member", Role.SCRUTINY_MEMBER)


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return make_user("outsider")


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)
