"""The five roles of DESIGN.md, as Django groups, and the questions views ask of a user."""

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


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The user's roles, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_perfsite_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        user._perfsite_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def is_performance_officer(user) -> bool:
    """Performance officers see everything; superusers count as officers."""
    return bool(user.is_authenticated and (user.is_superuser or Role.PERFORMANCE_OFFICER in roles_of(user)))


def is_scrutiny_member_only(user) -> bool:
    """A member with no other role sees aggregates only."""
    return roles_of(user) == {Role.SCRUTINY_MEMBER} and not user.is_superuser
