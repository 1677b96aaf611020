"""Every hostile input is answered without a 500: the seven causes of issue 12, finding 5 (A-F here;
G, the broker being down, in tests/audits/test_submit_without_broker.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from indicators.quarters import Quarter, QuarterError
from perfsite.widgets import GovukDateInput
from tests.indicators.conftest import add, make_indicator

HUGE = "9" * 25
BAD_QUARTERS = ["9999-00-q4", "0000-01-q1", "0001-02-q1", "9998-99-q4", "1899-00-q4"]


@pytest.fixture
def quiet_client():
    """A client that shows the 500 page instead of raising, so the status code is what is asserted."""
    return Client(raise_request_exception=False)


# (A) A date part of 20+ digits ---------------------------------------------------------------------


@pytest.mark.parametrize("part", ["day", "month", "year"])
def test_a_huge_date_part_is_an_invalid_date_not_an_overflow(part):
    data = {"d_day": "1", "d_month": "4", "d_year": "2016"} | {f"d_{part}": HUGE}
    assert GovukDateInput().value_from_datadict(data, {}, "d").count("/") == 2


def test_a_huge_year_on_the_value_form_is_a_field_error(quiet_client, officer, db):
    indicator = make_indicator()
    quiet_client.force_login(officer)
    data = {"series": "actual", "period_label": "2016/17", "period_start_day": "1", "period_start_month": "4"}
    data |= {"period_start_year": HUGE, "period_end_day": "31", "period_end_month": "3", "period_end_year": "2017"}
    data |= {"value": "50"}
    response = quiet_client.post(reverse("indicators:value_add", args=[indicator.pk]), data)
    assert response.status_code == 200
    assert "period_start" in response.context["form"].errors


# (B, C) Quarter slugs whose years have no dates -------------------------------------------------------


@pytest.mark.parametrize("slug", BAD_QUARTERS)
def test_a_slug_outside_the_reporting_years_is_not_a_quarter(slug):
    with pytest.raises(QuarterError):
        Quarter.parse(slug)


@pytest.mark.parametrize("slug", BAD_QUARTERS)
def test_quarter_pages_exports_results_and_rollups_answer_404_or_a_message(quiet_client, officer, slug):
    quiet_client.force_login(officer)
    for url in (
        reverse("indicators:quarter", args=[slug]),
        reverse("indicators:quarter_export", args=[slug, "csv"]),
        reverse("indicators:quarter_export", args=[slug, "xlsx"]),
        f"/scorecards/{slug}/",
        f"/scorecards/{slug}/preview/",
    ):
        assert quiet_client.get(url).status_code == 404, url
    for url in (reverse("audits:results"), reverse("caseloads:rollup"), reverse("indicators:list")):
        assert quiet_client.get(url, {"quarter": slug}).status_code == 200, url


def test_the_first_and_last_reporting_quarters_still_render(quiet_client, officer):
    quiet_client.force_login(officer)
    for slug in ("1900-01-q1", "2998-99-q4"):
        assert quiet_client.get(reverse("indicators:quarter", args=[slug])).status_code == 200
        assert quiet_client.get(f"/scorecards/{slug}/", follow=True).status_code == 200


# (D) A page size below one or absurdly large -------------------------------------------------------


@pytest.mark.parametrize("per_page", ["-1", "0", "-999999999999", "99999999999999999999", "1"])
@pytest.mark.parametrize("name", ["audits:action_list", "audits:round_list", "audits:results", "audits:case_list"])
def test_lists_take_any_page_size(quiet_client, officer, name, per_page):
    quiet_client.force_login(officer)
    assert quiet_client.get(reverse(name), {"per_page": per_page, "page": "-3"}).status_code == 200


@pytest.mark.parametrize("per_page", ["-1", "0", "99999999999999999999"])
def test_the_indicator_list_takes_any_page_size(quiet_client, officer, per_page):
    indicator = make_indicator()
    add(indicator, "actual", "2017-01-01", "2017-03-31", "50")
    quiet_client.force_login(officer)
    assert quiet_client.get(reverse("indicators:list"), {"per_page": per_page}).status_code == 200


# (E) Export formats other than CSV and XLSX ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "ods", "tsv", "json", "latex", "xls", "html", ""])
def test_the_list_export_accepts_only_csv_and_xlsx(quiet_client, officer, fmt):
    quiet_client.force_login(officer)
    response = quiet_client.get(reverse("indicators:list"), {"_export": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# (F) NUL characters in the address or the query string ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/indicators/indicator/?q=%00",
        "/admin/indicators/indicator/?code__exact=a%00b",
        "/admin/audits/case/?q=C-%00",
        "/admin/caseloads/worker/?%00=1",
        "/indicators/?search=%00",
        "/audits/cases/?case_ref=%00",
    ],
)
def test_a_nul_in_the_query_string_is_a_bad_request(quiet_client, admin_user, url):
    quiet_client.force_login(admin_user)
    response = quiet_client.get(url)
    assert response.status_code == 400
    assert "problem with the address" in response.text


# Found by the fuzz test (test_fuzz.py): a history version that is not a number ------------------------------


@pytest.mark.parametrize("tail", ["1/history/abc/", "abc/history/1/", "1/history/%C3%B2/", "1/history/99999999999/"])
def test_an_admin_history_version_that_is_not_a_key_is_not_found(quiet_client, admin_user, tail):
    indicator = make_indicator()
    quiet_client.force_login(admin_user)
    response = quiet_client.get(f"/admin/indicators/indicator/{tail}".replace("1/", f"{indicator.pk}/", 1))
    assert response.status_code == 404
