"""Caseload lists that grow with the years are paged: a team's former workers, a worker's history, a
return's history and its figures' changes; each in the same queries at any size, and no error on any ?page=."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from caseloads.models import CaseloadLine
from caseloads.months import add_months
from perfsite.pagination import PER_PAGE
from tests.audits.test_query_counts import queries
from tests.caseloads.conftest import make_return, make_team, make_worker
from tests.caseloads.test_query_counts import last_month

HOSTILE = ["0", "-1", "abc", "2.5", "99999999999999999999999", "", "%00", "1e3", "<script>", "last"]
LEFT = datetime.date(2015, 3, 31)


def leavers(team, count: int) -> list:
    return [make_worker(team, name=f"Leaver {n:03d}", ended_on=LEFT) for n in range(count)]


def team_url(team) -> str:
    return reverse("caseloads:team", kwargs={"team_id": team.pk})


def test_a_team_s_former_workers_are_paged_and_those_in_post_shown_whole(client, manager):
    team = make_team("Leavers", managers=[manager])
    in_post = [make_worker(team, name=f"In post {n:03d}") for n in range(PER_PAGE + 2)]
    leavers(team, PER_PAGE + 6)
    client.force_login(manager)
    first = client.get(team_url(team))
    assert len(first.context["current_workers"]) == len(in_post)
    assert len(first.context["former_workers"]) == PER_PAGE
    html = first.content.decode()
    assert f"Workers who have left or not yet started ({PER_PAGE + 6})" in html
    assert 'aria-label="Pages of workers who have left"' in html and "former_page=2" in html
    second = client.get(team_url(team), {"former_page": 2})
    names = [w.name for w in first.context["former_workers"]] + [w.name for w in second.context["former_workers"]]
    assert names == [f"Leaver {n:03d}" for n in range(PER_PAGE + 6)]
    # Opened on a later page, the list is shown open: its page links would otherwise lead to a closed box.
    assert '<details class="govuk-details" open>' in second.content.decode()


def test_the_team_page_makes_the_same_queries_at_two_sizes_of_leavers(client, manager):
    team = make_team("Leavers", managers=[manager])
    make_worker(team)
    client.force_login(manager)
    url = team_url(team) + "?former_page=2"
    leavers(team, PER_PAGE + 3)
    small = queries(client, url)
    leavers(team, 2 * PER_PAGE)
    assert queries(client, url) == small


def worker_changes(worker, count: int) -> None:
    for n in range(count):
        worker.name = f"Renamed {n:03d}"
        worker.save()


def worker_url(worker) -> str:
    return reverse("caseloads:worker_edit", kwargs={"worker_id": worker.pk})


def test_a_worker_s_history_is_paged_newest_first(client, manager):
    worker = make_worker(make_team("History", managers=[manager]))
    worker_changes(worker, PER_PAGE + 4)  # and the record of its creation
    client.force_login(manager)
    first, second = client.get(worker_url(worker)), client.get(worker_url(worker), {"history_page": 2})
    assert len(first.context["history"]) == PER_PAGE and len(second.context["history"]) == 5
    shown = [h.history_id for h in first.context["history"]] + [h.history_id for h in second.context["history"]]
    assert shown == list(worker.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True))
    assert 'aria-label="Pages of this worker\'s history"' in first.content.decode()


def test_a_worker_s_page_makes_the_same_queries_at_two_sizes(client, manager):
    worker = make_worker(make_team("History", managers=[manager]))
    client.force_login(manager)
    url = worker_url(worker) + "?history_page=2"
    worker_changes(worker, PER_PAGE + 3)
    small = queries(client, url)
    worker_changes(worker, 2 * PER_PAGE)
    assert queries(client, url) == small


def saved_again(caseload_return, line, times: int) -> None:
    """A return saved ``times`` more, its one figure changed each time: a history row for each."""
    for n in range(times):
        caseload_return.version += 1
        caseload_return.save()
        line.cases = n % 30
        line.save()


def return_url(team) -> str:
    return reverse("caseloads:return", kwargs={"team_id": team.pk, "month": last_month()})


def test_a_return_s_history_and_its_figures_changes_are_paged(client, manager):
    team = make_team("Saved often", managers=[manager])
    worker = make_worker(team)
    caseload_return = make_return(team, last_month(), [(worker, 10)])
    line = CaseloadLine.objects.get(caseload_return=caseload_return)
    saved_again(caseload_return, line, PER_PAGE + 5)
    client.force_login(manager)
    first = client.get(return_url(team))
    assert len(first.context["events"]) == PER_PAGE and len(first.context["line_changes"]) == PER_PAGE
    html = first.content.decode()
    assert f"Changes to figures ({PER_PAGE + 5})" in html  # bulk-created lines keep no history of their own
    assert 'aria-label="Pages of this return\'s history"' in html
    assert 'aria-label="Pages of changes to figures"' in html
    second = client.get(return_url(team), {"history_page": 2, "changes_page": 2})
    assert len(second.context["events"]) == 6 and len(second.context["line_changes"]) == 5
    versions = [e.version for e in first.context["events"]] + [e.version for e in second.context["events"]]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == PER_PAGE + 6


def test_the_return_page_makes_the_same_queries_at_two_sizes_of_history(client, manager):
    team = make_team("Saved often", managers=[manager])
    worker = make_worker(team)
    caseload_return = make_return(team, last_month(), [(worker, 10)])
    make_return(team, add_months(last_month(), -1), [(worker, 9)])
    line = CaseloadLine.objects.get(caseload_return=caseload_return)
    client.force_login(manager)
    url = return_url(team) + "?history_page=2&changes_page=2"
    saved_again(caseload_return, line, PER_PAGE + 3)
    small = queries(client, url)
    saved_again(caseload_return, line, 2 * PER_PAGE)
    assert queries(client, url) == small


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_any_caseload_list_answers_a_page(client, manager, value):
    team = make_team("Hostile", managers=[manager])
    worker = make_worker(team)
    leavers(team, PER_PAGE + 1)
    worker_changes(worker, PER_PAGE + 1)
    caseload_return = make_return(team, last_month(), [(worker, 10)])
    saved_again(caseload_return, CaseloadLine.objects.get(caseload_return=caseload_return), PER_PAGE + 1)
    client.force_login(manager)
    team_page = client.get(team_url(team), {"former_page": value, "returns_page": value})
    assert team_page.status_code == 200 and team_page.context["former_workers"].number in (1, 2)
    worker_page = client.get(worker_url(worker), {"history_page": value})
    assert worker_page.status_code == 200 and worker_page.context["history"].number in (1, 2)
    return_page = client.get(return_url(team), {"history_page": value, "changes_page": value})
    assert return_page.status_code == 200 and return_page.context["events"].number in (1, 2)


def test_members_still_open_no_paged_caseload_page(client, manager, member):
    team = make_team("Closed to members", managers=[manager])
    worker = make_worker(team)
    leavers(team, PER_PAGE + 1)
    make_return(team, last_month(), [(worker, 10)])
    client.force_login(member)
    assert client.get(team_url(team), {"former_page": 2}).status_code == 403
    assert client.get(worker_url(worker), {"history_page": 2}).status_code == 403
    assert client.get(return_url(team), {"history_page": 2, "changes_page": 2}).status_code == 403
