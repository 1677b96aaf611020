"""Shared fixtures: one named user per role, and an outsider with no role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from model_bakery import baker

from perfsite.roles import Role

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *roles: Role, **extra):
    user = baker.make("auth.User", username=username, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    """Officers and administrators must enrol a second factor (PERFSITE_MFA_REQUIRED, on by default).

    Tests that are not about signing in log users in with ``force_login`` and would all meet the
    enrolment page instead; tests marked ``mfa`` keep the requirement on (tests/perfsite/test_mfa.py,
    tests/browser/test_login.py).
    """
    if request.node.get_closest_marker("mfa") is None:
        settings.PERFSITE_MFA_REQUIRED = False


@pytest.fixture
def auditor(db):
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def moderator(db):
    return make_user("moderator", Role.MODERATOR)


@pytest.fixture
def manager(db):
    return make_user("manager", Role.TEAM_MANAGER)


@pytest.fixture
def officer(db):
    return make_user("officer", Role.PERFORMANCE_OFFICER, is_staff=True)


@pytest.fixture
def member(db):
    return make_user("member", Role.SCRUTINY_MEMBER)


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return make_user("outsider")


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


# Browser tests ---------------------------------------------------------------
# Playwright drives Debian's Chromium (never a downloaded browser). Its sync API
# runs an event loop in this thread, so Django's async-safety guard must be told
# that the ORM calls made by fixtures here are deliberate.

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    # bypass_csp lets the test inject axe-core; the app's own pages get no such exemption.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the current page; return the violations."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the form, giving the code of the user's authenticator when it is asked for."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.get_by_role("heading", name="Enter your security code").count():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from perfsite.demo import totp_code_now

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Security code").fill(totp_code_now(device))
        page.get_by_role("button", name="Continue").click()
