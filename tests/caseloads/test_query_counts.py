"""Saving a return and showing the roll-ups take a bounded number of queries, whatever the size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseloads.models import CaseloadLine
from caseloads.months import add_months, first_of_month
from tests.caseloads.conftest import make_return, make_team, make_worker

pytestmark = pytest.mark.django_db


def last_month():
    return add_months(first_of_month(timezone.localdate()), -1)


def _save_queries(client, team, size, *, action="save", version=0, value=10):
    workers = list(team.workers.all()) or [make_worker(team) for _ in range(size)]
    url = reverse("caseloads:return", kwargs={"team_id": team.pk, "month": last_month()})
    data = {"version": version, "action": action, **{f"cases_{w.pk}": value for w in workers}}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(queries)


def test_saving_a_30_worker_return_takes_a_bounded_number_of_queries(client, manager):
    small, large = make_team("Small", managers=[manager]), make_team("Large", managers=[manager])
    client.force_login(manager)
    # First save (creates the return and its lines), then a change to every line, then submit.
    small_counts = [
        _save_queries(client, small, 3),
        _save_queries(client, small, 3, version=1, value=11),
        _save_queries(client, small, 3, version=2, value=11, action="submit"),
    ]
    large_counts = [
        _save_queries(client, large, 30),
        _save_queries(client, large, 30, version=1, value=11),
        _save_queries(client, large, 30, version=2, value=11, action="submit"),
    ]
    assert large_counts == small_counts
    assert max(large_counts) <= 25
    assert CaseloadLine.objects.filter(caseload_return__team=large, cases=11).count() == 30


def _rollup_queries(client, month):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("caseloads:rollup"), {"month": month.strftime("%Y-%m")})
    assert response.status_code == 200
    return len(queries)


def _add_data(teams, months, workers_per_team):
    for team in teams:
        workers = [make_worker(team) for _ in range(workers_per_team)]
        for month in months:
            make_return(team, month, [(w, 15 + i % 9) for i, w in enumerate(workers)])


def test_the_rollup_page_does_not_grow_with_workers_or_months(client, officer):
    client.force_login(officer)
    march = datetime.date(2017, 3, 1)
    _add_data([make_team("A"), make_team("B")], [datetime.date(2017, 2, 1), march], 3)
    small = _rollup_queries(client, march)
    _add_data(
        [make_team(f"Team {n}") for n in range(6)],
        [datetime.date(2016, m, 1) for m in range(2, 13)] + [datetime.date(2017, 1, 1), march],
        12,
    )
    assert _rollup_queries(client, march) == small


def test_the_rollup_page_for_a_manager_does_not_grow_either(client, manager):
    client.force_login(manager)
    march = datetime.date(2017, 3, 1)
    mine = make_team("Mine", managers=[manager])
    _add_data([mine], [march], 2)
    small = _rollup_queries(client, march)
    _add_data(
        [make_team("Also mine", managers=[manager]), make_team("Not mine")], [march, datetime.date(2016, 2, 1)], 20
    )
    assert _rollup_queries(client, march) == small


def test_the_return_page_does_not_grow_with_the_team(client, manager):
    client.force_login(manager)
    counts = []
    for size in (3, 30):
        team = make_team(f"Size {size}", managers=[manager])
        workers = [make_worker(team) for _ in range(size)]
        make_return(team, add_months(last_month(), -1), [(w, 12) for w in workers])
        make_return(team, last_month(), [(w, 14) for w in workers], submitted=False)
        url = reverse("caseloads:return", kwargs={"team_id": team.pk, "month": last_month()})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_team_page_pages_its_returns_and_does_not_grow_with_them(client, manager):
    """A team's returns, one a month for years, come 50 to a page, newest first, in the same queries."""
    client.force_login(manager)
    counts = []
    for months in (3, 70):
        team = make_team(f"Returns {months}", managers=[manager])
        workers = [make_worker(team) for _ in range(2)]
        for n in range(months):
            make_return(team, add_months(last_month(), -n), [(w, 10) for w in workers])
        url = reverse("caseloads:team", kwargs={"team_id": team.pk})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        html = response.content.decode()
        shown = html.count('<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/caseloads/')
        assert shown == min(months, 50)
    assert counts[0] == counts[1]
    second = client.get(url, {"returns_page": 2}).content.decode()
    assert 'aria-label="Pages of returns"' in second
    assert second.count('<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/caseloads/') == 20
    oldest = f">{add_months(last_month(), -69).strftime('%B %Y')}</a></th>"
    assert oldest in second and oldest not in html


def _index(client, month, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("caseloads:index"), {"month": month.strftime("%Y-%m"), **query})
    assert response.status_code == 200
    return response, len(queries)


def _teams_with_returns(first: int, last: int, month) -> None:
    for n in range(first, last):
        team = make_team(f"Team {n:03d}")
        make_return(team, month, [(make_worker(team), 12)], submitted=n % 2 == 0)


def test_the_caseloads_home_shows_a_page_of_teams_in_the_same_queries_at_any_size(client, officer):
    """Every team's row was built on one page; now a page of teams, with the month's count over all."""
    client.force_login(officer)
    march = datetime.date(2017, 3, 1)
    _teams_with_returns(0, 5, march)
    small_page, small = _index(client, march)
    assert "3 of 5 submitted" in small_page.content.decode()
    assert 'aria-label="Pages of teams"' not in small_page.content.decode()
    _teams_with_returns(5, 120, march)
    first, large = _index(client, march)
    assert large == small
    html = first.content.decode()
    assert "60 of 120 submitted" in html  # the count covers every team, not the page
    assert "Showing teams 1 to 50 of 120" in html and 'aria-label="Pages of teams"' in html
    assert [team.name for team, _ in first.context["rows"]] == [f"Team {n:03d}" for n in range(50)]
    last, last_count = _index(client, march, page=3)
    assert last_count == small
    assert [team.name for team, _ in last.context["rows"]] == [f"Team {n:03d}" for n in range(100, 120)]
    assert all(r is not None for _, r in last.context["rows"])  # each shown team's return is found
    # A hostile page number answers the last page, never an error.
    assert _index(client, march, page="999")[0].context["rows"] == last.context["rows"]
