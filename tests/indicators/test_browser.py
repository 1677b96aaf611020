"""The indicators pages in Chromium: axe finds no WCAG problems, and an officer can import a file."""

from __future__ import annotations

import io

import pytest

from indicators.demo import load_demo
from indicators.models import Indicator, IndicatorValue
from perfsite.demo import ensure_demo_users
from tests.conftest import axe_violations, expect_error_page, expect_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo(transactional_db, tmp_path):
    ensure_demo_users(password=PASSWORD)
    load_demo(stdout=io.StringIO(), ees_dir=tmp_path / "no-dfe-files")


@pytest.mark.parametrize(
    "path",
    [
        "/indicators/",
        "/indicators/?quarter=2016-17-q4&rag=AMBER",
        "/indicators/quarters/",
        "/indicators/quarters/2016-17-q4/",
        "CASCYP 28",
        "/indicators/imports/",
        "/indicators/imports/ees/upload/",
    ],
)
def test_axe_finds_nothing(page, demo, path):
    if not path.startswith("/"):
        path = f"/indicators/{Indicator.objects.get(code=path).pk}/"
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    page.goto(path)
    assert page.locator("h1").is_visible()
    assert axe_violations(page) == []


def test_an_officer_corrects_a_figure_through_the_form(page, demo):
    item = IndicatorValue.objects.get(indicator__code="CASCYP 31", series="actual", period_label="2016/17")
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/indicators/values/{item.pk}/edit/")
    page.get_by_label("Value").fill("abc")
    page.get_by_role("button", name="Save").click()
    expect_error_page(page)
    assert axe_violations(page) == []
    page.get_by_label("Value").fill("73.5")
    page.get_by_role("button", name="Save").click()
    assert "Figure corrected." in page.locator(".govuk-notification-banner").inner_text()
    item.refresh_from_db()
    assert str(item.figure) == "73.5"


def test_an_officer_imports_values_with_a_preview(page, demo, tmp_path):
    csv_file = tmp_path / "values.csv"
    csv_file.write_text(
        "code,series,period_label,period_start,period_end,value\nCASCYP 31,target,2017/18,2017-04-01,2018-03-31,86.0\n"
    )
    sign_in(page, "officer", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/indicators/imports/values/upload/")
    page.get_by_label("File").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    expect_text(page, "1 new, 0 changed, 0 unchanged")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm and import").click()
    assert "Imported values.csv: 1 new" in page.locator(".govuk-notification-banner").inner_text()
    assert IndicatorValue.objects.filter(indicator__code="CASCYP 31", period_label="2017/18").exists()
