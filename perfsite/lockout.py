"""Sign-in lockout by django-axes, and the page a locked-out person sees."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


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
