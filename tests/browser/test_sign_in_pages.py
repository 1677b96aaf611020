"""The two-factor and lockout pages in Chromium: an officer enrols, keeps the codes, signs in
again with a code; too many wrong passwords pause sign-in. axe finds nothing on any of them."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from perfsite.demo import ensure_demo_users, totp_code_now
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.mfa, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo_users(transactional_db):
    ensure_demo_users(password=PASSWORD)


def test_an_officer_enrols_keeps_the_recovery_codes_and_signs_in_with_a_code(page, demo_users):
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    assert page.locator("h1").inner_text() == "Set up two-factor sign-in"
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue").click()
    assert "Enter the code from your authenticator app" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    device = TOTPDevice.objects.get(user__username="officer", confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(totp_code_now(device))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    assert page.locator("#recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Children's services performance"

    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("heading", name="You have signed out").wait_for()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your security code").wait_for()
    assert axe_violations(page) == []


def test_too_many_wrong_passwords_pause_sign_in(page, demo_users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(page, "auditor", "not-the-password")
    sign_in(page, "auditor", PASSWORD)
    assert page.locator("h1").inner_text() == "Sign-in is paused"
    assert "You can try again in 30 minutes" in page.locator("main").inner_text()
    assert axe_violations(page) == []
