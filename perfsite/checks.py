"""System checks for the sign-in settings (``manage.py check``; W001 only with ``--deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def email_for_password_reset(app_configs, **kwargs):
    if settings.EMAIL_HOST or settings.DEBUG:
        return []
    return [
        Warning(
            "EMAIL_HOST is not set: password reset is switched off and no email (reminders included) is sent.",
            hint="Set EMAIL_HOST and the other EMAIL_* variables to your council's SMTP relay.",
            id="perfsite.W001",
        )
    ]


@register(Tags.security)
def group_roles_name_roles(app_configs, **kwargs):
    from perfsite.roles import Role

    known = {role.value for role in Role}
    unknown = sorted({role for role in settings.OIDC_GROUP_ROLES.values() if role not in known})
    if not unknown:
        return []
    return [
        Error(
            f"OIDC_GROUP_ROLES maps groups to {', '.join(map(repr, unknown))}, which are not perfsite roles.",
            hint=f"Use one of: {', '.join(sorted(known))}.",
            id="perfsite.E001",
        )
    ]
