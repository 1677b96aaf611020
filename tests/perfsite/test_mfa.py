"""Issue 12 finding 4 (local accounts): TOTP two-factor with recovery codes, required of officers and admins."""

import re
from base64 import b32encode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from perfsite.demo import DEMO_USERS, ensure_demo_second_factors, ensure_demo_users, totp_code_now
from perfsite.mfa.services import recovery_codes_issue
from tests.conftest import PASSWORD

pytestmark = pytest.mark.mfa


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.mark.parametrize("who", ["officer", "admin_user"])
def test_officers_and_admins_must_enrol_before_any_page(client, request, who):
    user = request.getfixturevalue(who)
    sign_in(client, user.username)
    for url in [reverse("home"), reverse("indicators:list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("mfa:enrol")), url


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, officer):
    sign_in(client, "officer")
    page = client.get(reverse("mfa:enrol") + "?next=/indicators/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    # A wrong code is named on the field; the device stays unconfirmed.
    wrong = client.post(reverse("mfa:enrol"), {"code": "000000", "next": "/indicators/"})
    assert "Enter the code your authenticator app shows now" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next try wait a second (test_wrong_codes_are_throttled)
    response = client.post(reverse("mfa:enrol"), {"code": totp_code_now(device), "next": "/indicators/"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa:recovery_codes"))
    codes_page = client.get(response.url)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.text)
    assert len(codes) == 10
    assert 'href="/indicators/"' in codes_page.text
    assert set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == set(codes)
    # Shown once only.
    again = client.get(reverse("mfa:recovery_codes"))
    assert not re.findall(r"<li><code>", again.text)
    assert "You have 10 unused recovery codes" in again.text
    assert client.get(reverse("indicators:list")).status_code == 200


def test_an_enrolled_person_gives_a_code_after_the_password(client, auditor):
    device = enrolled(auditor)
    response = sign_in(client, "auditor")
    assert client.get(reverse("home")).url.startswith(reverse("mfa:verify"))
    wrong = client.post(reverse("mfa:verify"), {"code": "123456", "next": "/"})
    assert wrong.status_code == 200
    assert "Enter a correct security code" in wrong.text
    assert 'class="govuk-error-summary"' in wrong.text
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("mfa:verify"), {"code": totp_code_now(device), "next": "/audits/"})
    assert response.status_code == 302
    assert response.url == "/audits/"
    assert client.get(reverse("home")).status_code == 200


def test_a_code_cannot_be_used_twice(client, auditor):
    device = enrolled(auditor)
    code = totp_code_now(device)
    sign_in(client, "auditor")
    assert client.post(reverse("mfa:verify"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "auditor")
    assert client.post(reverse("mfa:verify"), {"code": code}).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, officer):
    enrolled(officer)
    codes = recovery_codes_issue(user=officer)
    sign_in(client, "officer")
    response = client.post(reverse("mfa:verify"), {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response.status_code == 302
    assert "9 left" in client.get(reverse("home")).text
    client.logout()
    sign_in(client, "officer")
    assert client.post(reverse("mfa:verify"), {"code": codes[0]}).status_code == 200
    StaticDevice.objects.get(user=officer).throttle_reset()
    assert client.post(reverse("mfa:verify"), {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_need_a_verified_session_and_replace_the_old(client, officer):
    device = enrolled(officer)
    old = recovery_codes_issue(user=officer)
    sign_in(client, "officer")
    assert client.post(reverse("mfa:recovery_codes")).status_code == 403
    client.post(reverse("mfa:verify"), {"code": totp_code_now(device)})
    response = client.post(reverse("mfa:recovery_codes"))
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(response.url).text)
    assert len(new) == 10
    assert not set(old) & set(StaticToken.objects.values_list("token", flat=True))


def test_wrong_codes_are_throttled(client, auditor):
    device = enrolled(auditor)
    sign_in(client, "auditor")
    client.post(reverse("mfa:verify"), {"code": "000000"})
    # django-otp makes the next try wait; even the right code is refused inside that wait.
    assert client.post(reverse("mfa:verify"), {"code": totp_code_now(device)}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_other_roles_need_no_second_factor_but_may_enrol(client, auditor):
    sign_in(client, "auditor")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("mfa:enrol")).status_code == 200


def test_the_requirement_is_a_setting(client, officer, settings):
    settings.PERFSITE_MFA_REQUIRED = False
    sign_in(client, "officer")
    assert client.get(reverse("home")).status_code == 200


def test_someone_half_signed_in_reaches_only_the_two_factor_pages_and_sign_out(client, officer):
    enrolled(officer)
    sign_in(client, "officer")
    assert 'class="govuk-service-navigation__list"' not in client.get(reverse("mfa:verify")).text
    assert client.get(reverse("mfa:enrol")).url.startswith(reverse("mfa:verify"))
    assert client.post(reverse("session_keep_alive")).status_code == 200
    assert client.post(reverse("logout")).status_code == 200
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_the_verify_page_sends_nobody_off_site(client, auditor):
    device = enrolled(auditor)
    sign_in(client, "auditor")
    response = client.post(reverse("mfa:verify"), {"code": totp_code_now(device), "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_the_demo_enrols_officer_and_admin_and_prints_their_codes(db, capsys, settings):
    settings.DEBUG = True  # the demo runs in debug mode; pytest-django turns it off
    ensure_demo_users(password="demo-password-for-tests")
    ensure_demo_second_factors()
    with_app = {spec.username for spec in DEMO_USERS if spec.second_factor}
    assert with_app == {"officer", "admin"}
    assert set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)) == with_app
    ensure_demo_second_factors()
    assert TOTPDevice.objects.count() == 2
    call_command("demo_code", "officer")
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__username="officer")
    assert TOTP(device.bin_key).verify(int(code), tolerance=1)


def test_demo_code_refuses_outside_debug_and_for_other_users(db, settings):
    from django.core.management.base import CommandError

    ensure_demo_users(password="demo-password-for-tests")
    ensure_demo_second_factors()
    settings.DEBUG = True
    with pytest.raises(CommandError, match="not a demo user with an authenticator"):
        call_command("demo_code", "auditor")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in debug mode"):
        call_command("demo_code", "officer")
