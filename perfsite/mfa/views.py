from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from perfsite.mfa.forms import EnrolForm, SecondFactorForm
from perfsite.mfa.policy import Step, pending_step, step_done
from perfsite.mfa.services import (
    recovery_codes_issue,
    second_factor_check,
    totp_device_confirm,
    totp_device_start,
    totp_qr_data_uri,
    totp_secret_text,
)

NEW_CODES_SESSION_KEY = "perfsite_new_recovery_codes"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': next_url})}"


def _second_factor_given(request, device) -> None:
    otp_login(request, device)
    step_done(request)
    # A new key once the sign-in is complete, as Django does after the password.
    request.session.cycle_key()


@never_cache
def verify(request):
    next_url = _next_url(request)
    if pending_step(request) != Step.VERIFY:
        return redirect(next_url)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_check(user=request.user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                "Enter a correct security code. Each recovery code works once; after several wrong codes "
                "you must wait longer before the next try.",
            )
        else:
            _second_factor_given(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. You can make new ones on the recovery codes page.",
                )
            return redirect(next_url)
    return render(request, "mfa/verify.html", {"form": form, "next": next_url})


@never_cache
def enrol(request):
    user = request.user
    if pending_step(request) == Step.VERIFY or (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified()
    ):
        return redirect(_with_next("mfa:verify", _next_url(request)))
    device = totp_device_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            _second_factor_given(request, device)
            request.session[NEW_CODES_SESSION_KEY] = recovery_codes_issue(user=user)
            return redirect(_with_next("mfa:recovery_codes", _next_url(request)))
        form.add_error(
            "code", "Enter the code your authenticator app shows now for this service; codes change every 30 seconds."
        )
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": totp_qr_data_uri(device),
        "secret": totp_secret_text(device),
        "required": pending_step(request) == Step.ENROL,
    }
    return render(request, "mfa/enrol.html", context)


@never_cache
def recovery_codes(request):
    if request.method == "POST":
        if not request.user.is_verified():
            raise PermissionDenied
        request.session[NEW_CODES_SESSION_KEY] = recovery_codes_issue(user=request.user)
        return redirect("mfa:recovery_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    context = {"codes": codes, "left": left, "next": _next_url(request), "verified": request.user.is_verified()}
    return render(request, "mfa/recovery_codes.html", context)
