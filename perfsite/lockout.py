"""Sign-in lockout by django-axes, and the page a locked-out person sees."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


def client_address(request) -> str | None:
    """The address a sign-in came from, for the per-address lock.

    Behind ``PERFSITE_TRUSTED_PROXY_COUNT`` proxies that each append to X-Forwarded-For, the
    client is the entry that many places from the right: anything further left was written by
    the client and could be forged to dodge the lock. Without proxies it is REMOTE_ADDR.
    """
    count = settings.PERFSITE_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, for every sign-in that comes through a web request.

    Every web sign-in (the service's form, the admin's, the council's OpenID Connect callback)
    passes its request, so each is counted and refused when locked. A call without one comes
    from code on the server (the test client's ``login``, a shell), which has no address to
    lock and is not an attacker's guess; axes would raise there, so it is let through.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
