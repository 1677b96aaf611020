"""The demo users, one per role, and the hook through which each app loads its demo data.

Each app's AppConfig may define ``load_demo(*, stdout) -> None``; ``manage.py demo``
calls them in INSTALLED_APPS order (indicators, caseloads, audits, ...). Every loader
must be idempotent: running the demo twice changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perfsite.mfa.services import APP_DEVICE_NAME
from perfsite.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role | None
    superuser: bool = False
    # Officers and administrators must give a second factor (PERFSITE_MFA_REQUIRED): the demo
    # enrols an authenticator for them, whose codes `manage.py demo_code USERNAME` prints.
    second_factor: bool = False


DEMO_USERS = (
    DemoUser("auditor", "Alex", "Auditor", Role.AUDITOR),
    DemoUser("moderator", "Morgan", "Moderator", Role.MODERATOR),
    DemoUser("manager", "Mandy", "Manager", Role.TEAM_MANAGER),
    DemoUser("officer", "Owen", "Officer", Role.PERFORMANCE_OFFICER, second_factor=True),
    DemoUser("member", "Cllr Pat", "Member", Role.SCRUTINY_MEMBER),
    DemoUser("admin", "Ada", "Admin", None, superuser=True, second_factor=True),
)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def ensure_demo_users(*, password: str) -> list[str]:
    """Create the demo users; existing ones keep their password. Returns the usernames created."""
    User = get_user_model()
    created = []
    for spec in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@perfsite.example",
                "is_staff": spec.superuser or spec.role == Role.PERFORMANCE_OFFICER,
                "is_superuser": spec.superuser,
            },
        )
        if was_created:
            user.set_password(password)
            user.save(update_fields=["password"])
            created.append(spec.username)
        if spec.role is not None:
            user.groups.add(Group.objects.get_or_create(name=spec.role.value)[0])
    return created


@transaction.atomic
def ensure_demo_second_factors() -> None:
    """Enrol an authenticator for each demo user who must give a second factor; existing ones stay."""
    users = get_user_model().objects.filter(username__in=[spec.username for spec in DEMO_USERS if spec.second_factor])
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def demo_totp_device(username: str) -> TOTPDevice | None:
    """The demo authenticator of a demo user who has one."""
    if not any(spec.username == username and spec.second_factor for spec in DEMO_USERS):
        return None
    return TOTPDevice.objects.filter(user__username=username, confirmed=True).first()


def totp_code_now(device: TOTPDevice) -> str:
    """The code the demo user's authenticator app would show now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def load_app_demos(*, stdout) -> None:
    for config in apps.get_app_configs():
        loader = getattr(config, "load_demo", None)
        if loader is not None:
            stdout.write(f"Loading demo data: {config.verbose_name}")
            loader(stdout=stdout)
