"""Until the second factor is given, a signed-in person reaches only the two-factor pages."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from perfsite.mfa.policy import Step, pending_step

# The pages someone half-way through signing in may reach: the second-factor pages themselves,
# signing out, and the session endpoints the timeout warning calls.
ALLOWED_URL_NAMES = {
    "mfa:verify",
    "mfa:enrol",
    "mfa:recovery_codes",
    "logout",
    "session_status",
    "session_keep_alive",
}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        step = pending_step(request)
        if step is None or request.resolver_match.view_name in ALLOWED_URL_NAMES:
            return None
        if not getattr(view_func, "login_required", True):  # public pages: sign-in, health check
            return None
        target = reverse("mfa:verify" if step == Step.VERIFY else "mfa:enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
