"""Session limits: an idle timeout and an absolute one, enforced on the server.

The page's timeout warning (static/js/session-timeout.mjs) only tells the person and lets
them stay; whether a session has ended is decided here, on every request, so it holds
without JavaScript. Django's own expiry slides whenever the session is saved, so the
absolute limit is counted from the sign-in time kept in the session.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

SIGNED_IN_AT = "perfsite_signed_in_at"
LAST_SEEN_AT = "perfsite_last_seen_at"
# Saving the session on every request would be a database write per page; a session's
# idle clock only needs minute precision.
TOUCH_EVERY_SECONDS = 60


def seconds_left(session, now: float) -> int:
    """Seconds until the session ends by the idle or the absolute limit, whichever is sooner."""
    signed_in_at = session.get(SIGNED_IN_AT, now)
    last_seen_at = session.get(LAST_SEEN_AT, now)
    idle_left = settings.PERFSITE_IDLE_TIMEOUT_SECONDS - (now - last_seen_at)
    absolute_left = settings.SESSION_COOKIE_AGE - (now - signed_in_at)
    return int(min(idle_left, absolute_left))


def end_reason(session, now: float) -> str | None:
    """Why the session has ended, in words for the sign-in page, or None while it lasts."""
    if now - session.get(SIGNED_IN_AT, now) >= settings.SESSION_COOKIE_AGE:
        since = _words(settings.SESSION_COOKIE_AGE)
        return f"You have been signed out because you signed in more than {since} ago. Sign in again to carry on."
    if now - session.get(LAST_SEEN_AT, now) >= settings.PERFSITE_IDLE_TIMEOUT_SECONDS:
        idle = _words(settings.PERFSITE_IDLE_TIMEOUT_SECONDS)
        return f"You have been signed out because you did nothing for {idle}. Sign in again to carry on."
    return None


def _words(seconds: int) -> str:
    from perfsite.templatetags.perfsite_auth import duration_words

    return duration_words(seconds)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._status_path = None

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = end_reason(request.session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
            elif request.path != self.status_path:
                self._touch(request.session, now)
        return self.get_response(request)

    @property
    def status_path(self) -> str:
        if self._status_path is None:
            self._status_path = reverse("session_status")
        return self._status_path

    @staticmethod
    def _touch(session, now: float) -> None:
        if SIGNED_IN_AT not in session:  # a session from before these limits: its clock starts now
            session[SIGNED_IN_AT] = now
        if now - session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now


@never_cache
@require_POST
def keep_alive(request):
    """ "Stay signed in" on the timeout warning: counts as activity, answers the time now left."""
    now = time.time()
    request.session[LAST_SEEN_AT] = now
    return JsonResponse({"seconds_left": seconds_left(request.session, now)})


@never_cache
@require_GET
def status(request):
    """The time left, asked by the warning before it opens and before it leaves the page.

    Asking is not activity (the middleware does not count it): another tab may have kept the
    session alive, and a page left open must not keep it alive by itself.
    """
    return JsonResponse({"seconds_left": seconds_left(request.session, time.time())})


def session_timeout(request) -> dict:
    """Context for the timeout warning in base.html (signed-in pages only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "seconds_left": seconds_left(request.session, time.time()),
            "warning_seconds": settings.PERFSITE_IDLE_WARNING_SECONDS,
        }
    }
