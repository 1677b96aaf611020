"""axe-core finds no violation on the sample check (round and results pages), the performance-action
pages (list, an action, its forms with errors) and the member's scorecard with both additions."""

from __future__ import annotations

import io

import pytest

from audits.models import AuditRound
from indicators.action_models import PerformanceAction
from perfsite.demo import ensure_demo_users, load_app_demos
from tests.conftest import axe_violations, expect_error_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_demo_users(password=PASSWORD)
    load_app_demos(stdout=io.StringIO())


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], violations


def test_axe_finds_nothing_on_the_new_pages(page, demo):
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    random_round = AuditRound.objects.get(quarter="2016-17-q4", kind="random")
    page.goto(f"/audits/rounds/{random_round.pk}/")
    assert page.get_by_role("heading", name="Is the sample representative?").is_visible()
    assert_accessible(page)
    page.goto("/audits/results/?quarter=2016-17-q4")
    assert_accessible(page)
    page.goto("/indicators/actions/")
    assert_accessible(page)
    action = PerformanceAction.objects.filter(status="in_progress").order_by("pk").first()
    page.goto(f"/indicators/actions/{action.pk}/")
    assert_accessible(page)
    page.get_by_label("Drop it (give the reason)").check()
    page.get_by_role("button", name="Change the status").click()
    expect_error_page(page)
    assert_accessible(page)
    page.goto("/indicators/actions/new/")
    page.get_by_role("button", name="Save").click()
    expect_error_page(page)
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/scorecards/2016-17-q4/")
    assert page.get_by_text("What is being done").first.is_visible()
    assert_accessible(page)
    # The sample check is part of the audit panel, which has its own page.
    page.get_by_role("link", name="Quality of case files: figures, charts and tables").click()
    assert page.get_by_role("heading", name="Is the audit sample representative?").is_visible()
    assert_accessible(page)
