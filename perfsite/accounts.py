"""The sign-in page and password reset, as the settings allow."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from perfsite.forms import GovukAuthenticationForm


class SignInView(auth_views.LoginView):
    authentication_form = GovukAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "council_sign_in": settings.PERFSITE_OIDC_ENABLED,
            "council_provider_name": settings.OIDC_PROVIDER_NAME,
            "password_reset_enabled": settings.PERFSITE_PASSWORD_RESET_ENABLED,
        }


_password_reset = auth_views.PasswordResetView.as_view()


@login_not_required
def password_reset(request, *args, **kwargs):
    """Without SMTP in production the reset link could only go to a log, so there is no reset."""
    if not settings.PERFSITE_PASSWORD_RESET_ENABLED:
        return render(request, "registration/password_reset_unavailable.html")
    return _password_reset(request, *args, **kwargs)
