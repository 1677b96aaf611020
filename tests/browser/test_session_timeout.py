"""The idle-timeout warning in Chromium: it opens before the end, "Stay signed in" extends the
session, and when the time runs out the page leaves for the sign-in page. Short timeouts here."""

import pytest

from perfsite.demo import ensure_demo_users
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def short_timeout(transactional_db, settings):
    ensure_demo_users(password=PASSWORD)
    settings.PERFSITE_IDLE_TIMEOUT_SECONDS = 8
    settings.PERFSITE_IDLE_WARNING_SECONDS = 5


def test_the_warning_opens_stay_signed_in_works_and_then_the_session_ends(page, short_timeout):
    sign_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    dialog = page.locator("#session-timeout")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=8_000)
    assert "You're about to be signed out" in dialog.inner_text()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert "/accounts/login/" not in page.url

    # Nothing more is done: the warning comes back, then the page goes to sign-in with the reason.
    dialog.wait_for(state="visible", timeout=8_000)
    page.wait_for_url("**/accounts/login/**", timeout=12_000)
    assert "You have been signed out because you did nothing" in page.locator("main").inner_text()


def test_activity_in_another_tab_keeps_this_one_open(page, short_timeout, settings, monkeypatch):
    monkeypatch.setattr("perfsite.sessions.TOUCH_EVERY_SECONDS", 0)  # every request counts, at test speed
    settings.PERFSITE_IDLE_TIMEOUT_SECONDS = 12
    settings.PERFSITE_IDLE_WARNING_SECONDS = 4
    sign_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    dialog = page.locator("#session-timeout")
    dialog.wait_for(state="visible", timeout=12_000)

    other = page.context.new_page()
    other.goto("/scorecards/")
    # This tab's time was up; it asks the server, finds the session alive and closes the warning.
    dialog.wait_for(state="hidden", timeout=8_000)
    assert "/accounts/login/" not in page.url
    assert page.locator("h1").inner_text() == "Children's services performance"
