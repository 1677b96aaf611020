"""Each demo role signs in through the real form in Chromium; axe finds nothing on login and home.

The demo's officer and admin give a code from their enrolled authenticator after the password
(``sign_in`` generates it), with the second-factor requirement on, as in production.
"""

import pytest

from perfsite.demo import DEMO_USERS, ensure_demo_second_factors, ensure_demo_users
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.mfa, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo_users(transactional_db):
    ensure_demo_users(password=PASSWORD)
    ensure_demo_second_factors()


@pytest.mark.parametrize("spec", DEMO_USERS, ids=[user.username for user in DEMO_USERS])
def test_each_demo_role_signs_in_and_lands_on_home(page, demo_users, spec):
    sign_in(page, spec.username, PASSWORD)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Children's services performance"
    roles = page.locator(".govuk-summary-list").inner_text()
    assert (spec.role.value if spec.role else "Administrator") in roles
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_wrong_password_shows_the_error_summary(page, demo_users):
    sign_in(page, "auditor", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert "Enter a correct username and password" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []


def test_empty_fields_are_named_in_the_error_summary(page, demo_users):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter your username" in summary
    assert "Enter your password" in summary
    page.get_by_role("link", name="Enter your username").click()
    assert page.evaluate("document.activeElement.id") == "id_username"


def test_axe_finds_nothing_on_the_login_page(page, demo_users):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []


@pytest.mark.parametrize("username", ["officer", "member"])
def test_axe_finds_nothing_on_the_home_page(page, demo_users, username):
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")
    assert axe_violations(page) == []


def test_sign_out_returns_to_login(page, demo_users):
    sign_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.locator("h1").inner_text()
    page.goto("/")
    assert "/accounts/login/" in page.url
