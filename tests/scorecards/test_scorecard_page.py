"""The scorecard page: members read published versions only, exactly as published, in constant queries."""

import re

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from scorecards.publishing import amend, publish
from tests.scorecards.conftest import Q3, Q4, add_value, make_indicator, make_return, make_team, make_worker
from tests.scorecards.published import whole_scorecard

pytestmark = pytest.mark.django_db


def url(quarter=Q4, name="scorecards:scorecard", **kwargs):
    return reverse(name, kwargs={"quarter": quarter, **kwargs})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_member_reads_the_published_scorecard(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    response = client.get(url())
    assert response.status_code == 200
    first = text_of(response)
    # The first page carries the headline, key issues and summaries; the rest is on the pages it links to.
    for heading in ("Headline", "Key performance issues", "Indicators by level", "Quality of case files",
                    "Social work caseloads", "Appendix 3: summary of key performance indicators"):  # fmt: skip
        assert heading in first
    assert f'href="{url(name="scorecards:appendix")}"' in first
    assert f'href="{url(name="scorecards:panel", panel="caseload")}"' in first
    page = re.sub(r"\s+", " ", whole_scorecard(client, url()))
    assert "Performance scorecard: Quarter 4 2016/17 (Jan - Mar 2017)" in page
    assert (
        "73.4% of statutory referrals processed within 1 working day (Jan - Mar 2017), "
        "against a target of 85.0%: target not met" in page
    )
    assert 'class="govuk-tag govuk-tag--red">Red</strong>' in page
    assert "Key performance messages" in page  # each level's page
    assert page.count('role="img"') >= 6
    assert "Data for: Average caseload per WTE, by month, against the optimum" in page
    assert "Committee pack: PDF and spreadsheet" in page
    assert "Preview today" not in page  # officers only


def test_members_cannot_see_an_unpublished_quarter(client, member, small_scorecard):
    client.force_login(member)
    assert client.get(url()).status_code == 404


def test_officers_are_sent_to_the_preview_of_an_unpublished_quarter(client, officer, small_scorecard):
    client.force_login(officer)
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"] == url(name="scorecards:preview")


def test_a_published_scorecard_is_served_from_its_snapshot(client, member, officer, small_scorecard, monkeypatch):
    publish(quarter=Q4, user=officer)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="99.9"
    )

    def refuse(*args, **kwargs):
        raise AssertionError("a published scorecard must not be rebuilt from live data")

    monkeypatch.setattr("scorecards.publishing.gather_sources", refuse)
    monkeypatch.setattr("scorecards.sources.quarter_rows", refuse)
    client.force_login(member)
    page = text_of(client.get(url()))
    assert "73.4% of statutory referrals" in page
    assert "99.9" not in page


def test_an_amendment_shows_with_its_reason_and_the_earlier_version_stays_readable(
    client, member, officer, small_scorecard
):
    publish(quarter=Q4, user=officer)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    amend(quarter=Q4, user=officer, reason="The service refreshed its referrals data")
    client.force_login(member)
    page = text_of(client.get(url()))
    whole = re.sub(r"\s+", " ", whole_scorecard(client, url()))
    assert "Amendment 1" in page
    assert "Reason:</strong> The service refreshed its referrals data" in page
    assert "CASCYP 31: latest figure changed from 73.4 (Jan - Mar 2017) to 74.1 (Jan - Mar 2017)." in page
    assert "74.1% of statutory referrals" in whole
    original = re.sub(r"\s+", " ", whole_scorecard(client, url(name="scorecards:version", version=1)))
    assert "73.4% of statutory referrals" in original
    assert "74.1% of statutory referrals" not in original
    assert "It has been amended since" in original


def test_quarter_navigation_links_published_neighbours(client, member, officer, small_scorecard):
    publish(quarter=Q3, user=officer)
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    page = text_of(client.get(url()))
    assert f'href="{url(Q3)}">Previous quarter: {Q3.label}' in page
    assert "Next quarter" not in page
    assert f'href="{url(Q4)}">Next quarter: {Q4.label}' in text_of(client.get(url(Q3)))


def test_a_bad_quarter_is_not_found(client, member):
    client.force_login(member)
    assert client.get("/scorecards/2016-18-q4/").status_code == 404
    assert client.get("/scorecards/2016-17-q5/").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, small_scorecard):
    response = client.get(url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_users_without_a_role_are_refused(client, outsider, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(outsider)
    assert client.get(url()).status_code == 403
    assert client.get(reverse("scorecards:index")).status_code == 403


def _grow(extra_indicators: int, extra_workers: int, extra_audits: int):
    """More indicators, returns and audits, to show the page does not query per row."""
    from tests.scorecards.conftest import completed_audits, grades

    for n in range(extra_indicators):
        indicator = make_indicator(
            f"EXTRA {n}", ref=300 + n, framework_level=["universal", "corporate_parenting"][n % 2]
        )
        for quarter in (Q3, Q4):
            add_value(indicator, "actual", str(quarter.start), str(quarter.end), f"{50 + n}.0", quarter.period_label)
            add_value(indicator, "target", str(quarter.start), str(quarter.end), "60.0", quarter.period_label)
        add_value(indicator, "national", "2016-03-31", "2016-03-31", "55.0", "As at Mar 2016")
    team = make_team(f"Extra team {extra_workers}")
    import datetime

    workers = [make_worker(team) for _ in range(extra_workers)]
    make_return(team, datetime.date(2017, 3, 1), [(w, 18 + i % 8) for i, w in enumerate(workers)])
    completed_audits(team, Q4, grades(good=extra_audits // 2, requires_improvement=extra_audits - extra_audits // 2))


@pytest.mark.parametrize("name", ["scorecards:preview", "scorecards:scorecard"])
def test_query_count_does_not_grow_with_the_data(client, officer, small_scorecard, django_assert_max_num_queries, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    if name == "scorecards:scorecard":
        publish(quarter=Q4, user=officer)
    # A published page is rendered on its first view and cached; the data's size must not show in either.
    # The second view is measured at both sizes (the first view at the larger size has an amendment to read).
    client.get(url(name=name))
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(name=name)).status_code == 200
    _grow(extra_indicators=40, extra_workers=30, extra_audits=60)
    if name == "scorecards:scorecard":
        amend(quarter=Q4, user=officer, reason="More data")
    client.get(url(name=name))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(name=name)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
