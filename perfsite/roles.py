"""The five roles (README, "Roles"; docs/domain.md), as Django groups, and the questions views ask of a user."""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    AUDITOR = "Auditor"
    MODERATOR = "Moderator"
    TEAM_MANAGER = "Team manager"
    PERFORMANCE_OFFICER = "Performance officer"
    SCRUTINY_MEMBER = "Scrutiny member"


ROLE_DESCRIPTIONS = {
    Role.AUDITOR: "Complete the case-file audits allocated to you.",
    Role.MODERATOR: "Re-grade the audits sent to you for moderation.",
    Role.TEAM_MANAGER: "File your teams' monthly caseload returns and read audits of your teams' cases.",
    Role.PERFORMANCE_OFFICER: "Keep indicators, imports, audit samples and publish the quarterly scorecard.",
    Role.SCRUTINY_MEMBER: "Read the published quarterly scorecards and download the committee pack.",
}


# Where a user object keeps its roles once read: by the sign-in backend with the user itself
# (perfsite.auth_backends), or here on first use.
ROLES_ATTRIBUTE = "_perfsite_roles"


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The user's roles, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, ROLES_ATTRIBUTE, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        setattr(user, ROLES_ATTRIBUTE, cached)
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def is_performance_officer(user) -> bool:
    """Performance officers see everything; superusers count as officers."""
    return bool(user.is_authenticated and (user.is_superuser or Role.PERFORMANCE_OFFICER in roles_of(user)))


def is_scrutiny_member_only(user) -> bool:
    """A member with no other role sees aggregates only."""
    return roles_of(user) == {Role.SCRUTINY_MEMBER} and not user.is_superuser


def project_app_labels() -> list[str]:
    """The domain apps' labels (settings.PERFSITE_APPS), whose records officers keep."""
    from django.apps import apps
    from django.conf import settings

    return [apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.PERFSITE_APPS]


def grant_officer_permissions(sender=None, using="default", **kwargs) -> None:
    """Performance officers see and keep everything, Django admin included (README, "Roles").

    Their group gets every permission of the project's apps, and may view (not change) users
    and groups: changing accounts could let an officer make themselves a superuser, so giving
    roles stays with administrators. Runs after every migrate; idempotent.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group = Group.objects.using(using).filter(name=Role.PERFORMANCE_OFFICER.value).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        Q(content_type__app_label__in=project_app_labels())
        | Q(content_type__app_label="auth", codename__in=["view_user", "view_group"])
    )
    group.permissions.add(*permissions)
