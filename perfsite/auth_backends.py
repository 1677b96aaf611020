"""Signing in with a password, and reading the signed-in user with their roles in one query.

Every signed-in page asks which roles its reader holds (the menu, the role checks, the published
scorecard's audience). Django's ``ModelBackend.get_user`` reads the user, and ``roles_of`` then read
the user's groups: two queries on every page. Here the user is read with one ``EXISTS`` a role, so
the roles come with the user; they are read afresh on every request, as before, so a role given or
taken away in admin applies from the person's next page.

The query is written once, as SQL: composed by the ORM on every request (five annotated
subqueries) it cost more Python than the query it saved.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group

from perfsite.roles import ROLES_ATTRIBUTE, Role

ROLES = tuple(Role)


def _flag(role: Role) -> str:
    return f"perfsite_has_{role.name.lower()}"


@functools.cache
def _user_with_roles_sql(user_model) -> str:
    members = user_model.groups.through._meta.db_table
    groups = Group._meta.db_table
    flags = ", ".join(
        f"EXISTS (SELECT 1 FROM {members} m JOIN {groups} g ON g.id = m.group_id "  # noqa: S608  # nosec B608
        f"WHERE m.user_id = u.id AND g.name = %s) AS {_flag(role)}"
        for role in ROLES
    )
    # Table names from the models and role names as parameters: nothing from input.
    return f"SELECT u.*, {flags} FROM {user_model._meta.db_table} u WHERE u.id = %s"  # noqa: S608  # nosec B608


def user_with_roles(user_model, user_id):
    """The user ``user_id`` with their roles kept where ``roles_of`` looks first, or None."""
    sql = _user_with_roles_sql(user_model)
    found = list(user_model._default_manager.raw(sql, [*(role.value for role in ROLES), user_id]))
    if not found:
        return None
    user = found[0]
    setattr(user, ROLES_ATTRIBUTE, {role for role in ROLES if getattr(user, _flag(role))})
    return user


class RolesModelBackend(ModelBackend):
    """Django's username-and-password backend; the signed-in user is read with their roles."""

    def get_user(self, user_id):
        user = user_with_roles(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
