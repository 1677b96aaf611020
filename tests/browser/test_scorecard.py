"""A scrutiny member reads the demo's scorecards in Chromium and downloads the committee pack;
axe-core finds no violation on any scorecard page (members' and officers')."""

from __future__ import annotations

import contextlib
import io

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from perfsite.celery import app
from perfsite.demo import ensure_demo_users, load_app_demos
from tests.conftest import axe_violations, expect_error_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"
Q4_LABEL = "Quarter 4 2016/17 (Jan - Mar 2017)"
Q3_LABEL = "Quarter 3 2016/17 (Oct - Dec 2016)"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_demo_users(password=PASSWORD)
    load_app_demos(stdout=io.StringIO())


@pytest.fixture
def celery_worker_if_broker():
    """With Redis (CI) the pack is built by a real worker; without it Celery runs tasks eagerly."""
    if settings.REDIS_URL and not app.conf.task_always_eager:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield
    else:
        yield


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_member_reads_the_latest_scorecard_moves_back_a_quarter_and_downloads_the_pack(
    page, demo, celery_worker_if_broker
):
    sign_in(page, "member", PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Scorecards").first.click()
    assert page.locator("h1").inner_text() == "Quarterly scorecards"
    assert_accessible(page)

    # Chromium asks for gzip: the page arrives compressed around its frozen part (compressed once) and reads whole.
    with page.expect_response(lambda response: response.url.endswith("/scorecards/2016-17-q4/")) as answer:
        page.get_by_role("link", name=Q4_LABEL).click()
    assert answer.value.headers.get("content-encoding") == "gzip"
    assert page.locator("h1").inner_text() == f"Performance scorecard: {Q4_LABEL}"
    assert page.get_by_text("48.1% of audited case files (76 of 158) were graded good or above").is_visible()
    assert_accessible(page)
    # The first page summarises; each level, panel and Appendix 3 is a page of its own, reached by a link.
    back = "Back to the first page of the scorecard"
    page.get_by_role("link", name="Assessment and safeguarding services", exact=True).click()
    assert page.locator("h1").inner_text() == "Assessment and safeguarding services"
    assert page.get_by_text("target not met").first.is_visible()
    charts = page.locator("svg[role=img]").count()
    assert_accessible(page)
    page.get_by_role("link", name=back).click()
    page.get_by_role("link", name="Quality of case files: figures, charts and tables").click()
    assert page.locator("h1").inner_text() == "Quality of case files"
    charts += page.locator("svg[role=img]").count()
    assert_accessible(page)
    page.get_by_role("link", name=back).click()
    page.get_by_role("link", name="Read Appendix 3").click()
    assert page.locator("h1").inner_text() == "Appendix 3: summary of key performance indicators"
    assert_accessible(page)
    assert charts >= 6
    page.get_by_role("link", name=back).click()

    page.get_by_role("link", name=f"Previous quarter: {Q3_LABEL}").click()
    assert page.locator("h1").inner_text() == f"Performance scorecard: {Q3_LABEL}"
    assert page.get_by_role("link", name=f"Next quarter: {Q4_LABEL}").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Committee pack: PDF and spreadsheet").click()
    assert page.locator("h1").inner_text() == "Committee pack"
    assert_accessible(page)
    page.get_by_role("button", name="Build the committee pack").click()
    download_link = page.get_by_role("link", name="Download the PDF")
    download_link.wait_for(state="visible", timeout=90_000)
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "children-scorecard-2016-17-q3-v1.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_axe_finds_nothing_on_the_officer_scorecard_pages(page, demo):
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/scorecards/")
    assert_accessible(page)
    page.goto("/scorecards/2016-17-q4/preview/")
    assert page.get_by_text("Members read version").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add commentary on CASCYP 31").click()
    assert page.locator("h1").inner_text() == "Commentary on CASCYP 31"
    assert_accessible(page)
    page.get_by_role("button", name="Save the commentary").click()  # empty: the error summary
    expect_error_page(page)
    assert_accessible(page)
    page.get_by_label("Add to the generated message").check()
    page.get_by_label("Commentary").fill("Referrals with safeguarding concerns are processed within 4 hours.")
    page.get_by_role("button", name="Save the commentary").click()
    assert page.get_by_text("Referrals with safeguarding concerns are processed within 4 hours.").is_visible()
    page.get_by_role("link", name="Back to the first page of the preview").click()  # from the level's page
    page.get_by_role("link", name="Publish an amendment").click()
    assert_accessible(page)
    page.get_by_label("Reason for the amendment").fill("Commentary added on referrals")
    page.get_by_role("button", name="Publish the amendment").click()
    assert page.get_by_text("Reason: Commentary added on referrals").is_visible()
    assert_accessible(page)
    page.goto("/scorecards/2016-17-q2/preview/")
    assert_accessible(page)
    with contextlib.suppress(Exception):
        page.goto("/scorecards/2016-17-q4/versions/1/")
    assert "It has been amended since" in page.content()
    assert_accessible(page)
