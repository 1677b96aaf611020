"""Signing in with a password, and reading the signed-in user with their roles in one query.

Every signed-in page asks which roles its reader holds (the menu, the role checks, the published
scorecard's audience). Django's ``ModelBackend.get_user`` reads the user, and ``roles_of`` then read
the user's groups: two queries on every page. Here the user is read with one ``EXISTS`` a role, so
the roles come with the user; they are read afresh on every request, as before, so a role given or
taken away in admin applies from the person's next page.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from perfsite.roles import ROLES_ATTRIBUTE, Role


def _role_flag(role: Role) -> str:
    return f"perfsite_has_{role.name.lower()}"


def with_roles(users):
    """``users`` (a queryset of users) each carrying their roles, read in the same query."""
    flags = {_role_flag(role): Exists(Group.objects.filter(user=OuterRef("pk"), name=role.value)) for role in Role}
    return users.annotate(**flags)


def read_roles(user) -> None:
    """Keep the roles a ``with_roles`` query read on the user, where ``roles_of`` looks first."""
    setattr(user, ROLES_ATTRIBUTE, {role for role in Role if getattr(user, _role_flag(role))})


class RolesModelBackend(ModelBackend):
    """Django's username-and-password backend; the signed-in user is read with their roles."""

    def get_user(self, user_id):
        try:
            user = with_roles(get_user_model()._default_manager.all()).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        read_roles(user)
        return user if self.user_can_authenticate(user) else None
