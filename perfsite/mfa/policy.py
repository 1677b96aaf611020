"""Who must give a second factor, and when it is asked for.

Decided once, at sign-in, and kept in the session, so an ordinary page costs no query for it:
- a person signed in by the council's identity provider gave its second factor there;
- anyone with a confirmed device (authenticator app or recovery codes) is asked for a code;
- otherwise performance officers, staff and administrators must enrol first, while
  ``PERFSITE_MFA_REQUIRED`` is on (the default); everyone else may enrol from their account.
A device added or removed in admin applies from the person's next sign-in.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from perfsite.roles import is_performance_officer

STEP_SESSION_KEY = "perfsite_second_factor"
OIDC_BACKEND = "perfsite.oidc.CouncilOIDCBackend"


class Step(StrEnum):
    VERIFY = "verify"
    ENROL = "enrol"


def must_enrol(user) -> bool:
    return settings.PERFSITE_MFA_REQUIRED and (user.is_staff or user.is_superuser or is_performance_officer(user))


def second_factor_step(user, *, backend: str | None) -> Step | None:
    if backend == OIDC_BACKEND:
        return None
    if user_has_device(user, confirmed=True):
        return Step.VERIFY
    if must_enrol(user):
        return Step.ENROL
    return None


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    step = second_factor_step(user, backend=request.session.get(BACKEND_SESSION_KEY))
    if step is None:
        request.session.pop(STEP_SESSION_KEY, None)
    else:
        request.session[STEP_SESSION_KEY] = step.value


def pending_step(request) -> Step | None:
    session = getattr(request, "session", None)  # requests built in tests may have none
    value = session.get(STEP_SESSION_KEY) if session is not None else None
    return Step(value) if value else None


def step_done(request) -> None:
    request.session.pop(STEP_SESSION_KEY, None)
