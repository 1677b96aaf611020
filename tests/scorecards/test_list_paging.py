"""The scorecard lists that grow with the years are paged: the published quarters (four a year) and a
commentary's versions; each in the same queries at any size, and no error on any ?page=."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from perfsite.pagination import PER_PAGE
from scorecards.commentary import save_commentary
from scorecards.models import PublishedScorecard
from tests.audits.test_query_counts import queries
from tests.scorecards.conftest import Q4, make_indicator

pytestmark = pytest.mark.django_db

HOSTILE = ["0", "-1", "abc", "2.5", "99999999999999999999999", "", "%00", "1e3", "<script>", "last"]


def slug(n: int) -> str:
    year = 1990 + n // 4
    return f"{year}-{(year + 1) % 100:02d}-q{1 + n % 4}"


def publish_quarters(user, numbers) -> None:
    """Quarters ``numbers`` published, with an amendment to every third: the index shows each quarter once."""
    PublishedScorecard.objects.bulk_create(
        PublishedScorecard(
            quarter=slug(n),
            version=version,
            snapshot={"headline": {"counts": {"RED": n}}},
            sha256="0" * 64,
            reason="" if version == 1 else "Corrected",
            published_by=user,
            published_at=timezone.now(),
        )
        for n in numbers
        for version in ((1, 2) if n % 3 == 0 else (1,))
    )


def shown_quarters(response) -> list[str]:
    return [item["quarter"].slug for item in response.context["published"]]


@pytest.mark.parametrize("reader", ["officer", "member"])
def test_the_published_quarters_are_paged_newest_first_each_once(client, request, officer, reader):
    publish_quarters(officer, range(PER_PAGE + 6))
    client.force_login(request.getfixturevalue(reader))
    first = client.get(reverse("scorecards:index"))
    second = client.get(reverse("scorecards:index"), {"page": 2})
    assert shown_quarters(first) + shown_quarters(second) == [slug(n) for n in reversed(range(PER_PAGE + 6))]
    assert [item["version"] for item in first.context["published"][:3]] == [1, 2, 1]  # the latest of each
    assert 'aria-label="Pages of published quarters"' in first.content.decode()


def test_the_index_makes_the_same_queries_at_two_sizes(client, officer):
    client.force_login(officer)
    url = reverse("scorecards:index") + "?page=2"
    publish_quarters(officer, range(PER_PAGE + 2))
    small = queries(client, url)
    publish_quarters(officer, range(PER_PAGE + 2, 3 * PER_PAGE))
    assert queries(client, url) == small


def test_an_officer_is_still_offered_the_quarter_after_the_latest_on_any_page(client, officer):
    publish_quarters(officer, range(PER_PAGE + 2))
    client.force_login(officer)
    response = client.get(reverse("scorecards:index"), {"page": 2})
    assert response.context["next_quarter"].slug == slug(PER_PAGE + 2)
    assert slug(PER_PAGE + 1) not in [q.slug for q in response.context["unpublished"]]


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_quarters_answers_a_page(client, member, officer, value):
    publish_quarters(officer, range(PER_PAGE + 1))
    client.force_login(member)
    response = client.get(reverse("scorecards:index"), {"page": value})
    assert response.status_code == 200 and response.context["page"].number in (1, 2)


def rewritten(indicator, officer, times: int, start: int = 0) -> None:
    for n in range(start, start + times):
        save_commentary(indicator=indicator, quarter=Q4, mode="add", text=f"Version {n:03d}", user=officer)


def commentary_url(indicator) -> str:
    return reverse("scorecards:commentary", kwargs={"quarter": Q4, "indicator_id": indicator.pk})


def test_every_version_of_a_commentary_is_listed_a_page_at_a_time(client, officer):
    indicator = make_indicator("CASCYP 50")
    rewritten(indicator, officer, PER_PAGE + 4)
    client.force_login(officer)
    first = client.get(commentary_url(indicator))
    second = client.get(commentary_url(indicator), {"history_page": 2})
    texts = [entry.text for entry in first.context["history"]] + [entry.text for entry in second.context["history"]]
    assert texts == [f"Version {n:03d}" for n in reversed(range(PER_PAGE + 4))]
    assert 'aria-label="Pages of this commentary\'s history"' in first.content.decode()


def test_the_commentary_page_makes_the_same_queries_at_two_sizes(client, officer):
    indicator = make_indicator("CASCYP 51")
    client.force_login(officer)
    url = commentary_url(indicator) + "?history_page=2"
    rewritten(indicator, officer, PER_PAGE + 2)
    small = queries(client, url)
    rewritten(indicator, officer, 2 * PER_PAGE, start=PER_PAGE + 2)
    assert queries(client, url) == small


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_a_commentary_s_history_answers_a_page(client, officer, value):
    indicator = make_indicator("CASCYP 52")
    rewritten(indicator, officer, PER_PAGE + 1)
    client.force_login(officer)
    response = client.get(commentary_url(indicator), {"history_page": value})
    assert response.status_code == 200 and response.context["history"].number in (1, 2)


def test_members_still_open_no_commentary_page(client, officer, member):
    indicator = make_indicator("CASCYP 53")
    rewritten(indicator, officer, PER_PAGE + 1)
    client.force_login(member)
    assert client.get(commentary_url(indicator), {"history_page": 2}).status_code == 403
