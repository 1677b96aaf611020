"""A performance action's notes and change history are paged, the pages together word every change as the
whole history does, in the same queries at any size; the officers' list holds ?per_page= in bounds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from indicators.action_models import ActionNote, PerformanceAction
from indicators.actions import services
from indicators.actions.selectors import history_entries
from perfsite.pagination import PER_PAGE
from tests.audits.test_query_counts import queries
from tests.indicators.conftest import make_indicator

pytestmark = pytest.mark.django_db

HOSTILE = ["0", "-1", "abc", "2.5", "99999999999999999999999", "", "%00", "1e3", "<script>", "last"]


@pytest.fixture
def action(officer):
    return services.action_create(
        indicator=make_indicator("CASCYP 40"), quarter="2016-17-q4", description="Pilot the joint referral procedure",
        owner=None, owner_service="First Contact Service", due_on=datetime.date(2017, 6, 30), user=officer,
    )  # fmt: skip


def changed(action, officer, times: int) -> None:
    """The action's due date moved ``times`` times, a day each: one history record, one entry, each time."""
    for _ in range(times):
        action.refresh_from_db()
        services.action_update(
            action=action, description=action.description, owner=None, owner_service=action.owner_service,
            due_on=action.due_on + datetime.timedelta(days=1), user=officer,
        )  # fmt: skip


def noted(action, officer, count: int) -> None:
    start = datetime.date(2010, 1, 1)
    ActionNote.objects.bulk_create(
        ActionNote(action=action, text=f"Note {n:03d}", written_on=start + datetime.timedelta(days=n), author=officer)
        for n in range(count)
    )


def detail(action) -> str:
    return reverse("indicators:action_detail", args=[action.pk])


def whole_history(action) -> list[dict]:
    """The oracle: every record worded against the one before it, as the page worded them unpaged."""
    return history_entries(action.history.select_related("history_user").order_by("history_date", "history_id"))


def test_the_pages_of_changes_together_are_the_whole_history(client, officer, action):
    changed(action, officer, PER_PAGE + 8)
    client.force_login(officer)
    response = client.get(detail(action))
    assert 'aria-label="Pages of this action\'s changes"' in response.content.decode()
    first = response.context["history"]
    second = client.get(detail(action), {"history_page": 2}).context["history"]
    assert len(first["entries"]) == PER_PAGE and len(second["entries"]) == 9
    assert first["entries"] + second["entries"] == whole_history(action)
    # The page's oldest change is worded against the record on the next page, not as the creation.
    assert first["entries"][-1]["changes"][0].startswith("Due date: ")
    assert second["entries"][-1]["changes"] == ["Added"]


def test_the_notes_are_paged_newest_first(client, officer, action):
    noted(action, officer, PER_PAGE + 3)
    client.force_login(officer)
    first = client.get(detail(action))
    second = client.get(detail(action), {"notes_page": 2})
    texts = [n.text for n in first.context["notes"]] + [n.text for n in second.context["notes"]]
    assert texts == [f"Note {n:03d}" for n in reversed(range(PER_PAGE + 3))]
    html = first.content.decode()
    assert 'aria-label="Pages of progress notes"' in html and "notes_page=2" in html


def test_the_action_page_makes_the_same_queries_at_two_sizes(client, officer, action):
    client.force_login(officer)
    url = detail(action)
    changed(action, officer, PER_PAGE + 2)
    noted(action, officer, PER_PAGE + 2)
    small = [queries(client, url), queries(client, url + "?history_page=2&notes_page=2")]
    changed(action, officer, 2 * PER_PAGE)
    noted(action, officer, 2 * PER_PAGE)
    assert [queries(client, url), queries(client, url + "?history_page=2&notes_page=2")] == small


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_notes_or_changes_answers_a_page(client, officer, action, value):
    changed(action, officer, PER_PAGE + 1)
    noted(action, officer, PER_PAGE + 1)
    client.force_login(officer)
    response = client.get(detail(action), {"history_page": value, "notes_page": value})
    assert response.status_code == 200
    assert response.context["history"]["page"].number in (1, 2) and response.context["notes"].number in (1, 2)


@pytest.mark.parametrize("per_page", ["-1", "0", "-999999999999", "99999999999999999999"])
def test_the_officers_list_takes_any_page_size(client, officer, action, per_page):
    client.force_login(officer)
    url = reverse("indicators:action_list")
    assert client.get(url, {"per_page": per_page}).status_code == 200
    # The list view answers a page number it cannot show with a 404 (Django's ListView), never an error.
    assert client.get(url, {"per_page": per_page, "page": "-3"}).status_code in (200, 404)


def test_members_still_read_no_action_page(client, officer, member, action):
    changed(action, officer, PER_PAGE + 1)
    client.force_login(member)
    assert client.get(detail(action), {"history_page": 2, "notes_page": 2}).status_code == 403
    assert PerformanceAction.objects.count() == 1
