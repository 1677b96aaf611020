"""The shared upload pages in Chromium: an officer uploads caseloads and a case list; axe finds nothing."""

from __future__ import annotations

import pytest

from caseloads.models import CaseloadImportBatch, CaseloadReturn, Team
from perfsite.demo import ensure_demo_users
from perfsite.imports import background
from tests.conftest import axe_violations, expect_error_page, expect_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-password-for-tests"


@pytest.fixture
def officer_page(page, transactional_db):
    ensure_demo_users(password=PASSWORD)
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    return page


def test_an_officer_uploads_caseload_returns_with_a_preview(officer_page, tmp_path):
    page = officer_page
    file = tmp_path / "caseloads.csv"
    file.write_text(
        "month,team,staff_number,worker_name,role,employment,wte,cases\n"
        "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18\n"
    )
    page.goto("/caseloads/")
    page.get_by_role("link", name="Upload caseload returns").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Upload caseload returns").first.click()
    assert axe_violations(page) == []
    page.get_by_label("File").set_input_files(str(file))
    page.get_by_role("button", name="Check the file").click()
    expect_text(page, "Would write 1 rows")
    assert not Team.objects.exists()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm and import").click()
    assert "Imported caseloads.csv: Wrote 1 rows" in page.locator(".govuk-notification-banner").inner_text()
    assert CaseloadReturn.objects.count() == 1
    assert axe_violations(page) == []


def test_a_rejected_case_list_shows_each_problem(officer_page, tmp_path):
    page = officer_page
    file = tmp_path / "cases.csv"
    file.write_text("case_ref,case_type,team,opened_on\nC-000001,adoption,Nowhere,2016-04-01\n")
    page.goto("/audits/imports/cases/upload/")
    page.get_by_label("File").set_input_files(str(file))
    page.get_by_role("button", name="Check the file").click()
    expect_error_page(page)
    assert "no team is called 'Nowhere'" in page.locator("#problems").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Discard this upload").click()
    expect_text(page, "Cancelled")


def test_a_large_upload_shows_checking_your_file_then_the_preview(officer_page, tmp_path, settings, monkeypatch):
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    queued = []
    # Hold the task as a broker would until a worker takes it, so the page is seen checking.
    monkeypatch.setattr(background.check_upload_batch, "delay", lambda *args: queued.append(args))
    page = officer_page
    file = tmp_path / "caseloads.csv"
    file.write_text(
        "month,team,staff_number,worker_name,role,employment,wte,cases\n"
        "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18\n"
    )
    page.goto("/caseloads/imports/returns/upload/")
    page.get_by_label("File").set_input_files(str(file))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_role("heading", name="Checking your file").is_visible()
    assert axe_violations(page) == []
    assert queued == [(CaseloadImportBatch._meta.label, CaseloadImportBatch.objects.get().pk)]
    background.check_upload_batch(*queued[0])  # the worker takes it; the page's poll sees it done
    page.get_by_text("Nothing is saved until you confirm").wait_for(timeout=10_000)
    expect_text(page, "Would write 1 rows")
    assert not Team.objects.exists()
