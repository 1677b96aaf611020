"""The auditor's worklist is paged: 50 audits a list at most, the same queries at any size, no error on any ?page=."""

import pytest
from django.urls import reverse

from audits.choices import AuditStatus, Grade
from audits.models import Moderation
from tests.audits.test_query_counts import queries


def give(build, auditor, count):
    team, round_ = build.team(), build.round()
    for i in range(count):
        build.audit(build.case(team), auditor=auditor, round=round_, status=AuditStatus.ALLOCATED)
        build.completed(Grade(1 + i % 4), team=team, auditor=auditor, round=round_)


def test_each_list_shows_a_page_and_the_total(client, build, auditor):
    give(build, auditor, 60)
    client.force_login(auditor)
    response = client.get(reverse("audits:worklist"))
    assert len(response.context["to_do"]) == 50 and len(response.context["done"]) == 50
    html = response.content.decode()
    assert "To do (60)" in html and "Submitted (60)" in html
    assert 'class="govuk-pagination"' in html and "to_do_page=2" in html and "done_page=2" in html
    second = client.get(reverse("audits:worklist") + "?to_do_page=2")
    assert len(second.context["to_do"]) == 10 and second.context["done"].number == 1


def test_queries_are_the_same_at_two_sizes_past_one_page(client, build, auditor):
    client.force_login(auditor)
    url = reverse("audits:worklist") + "?to_do_page=2&done_page=2"
    give(build, auditor, 55)
    small = queries(client, url)
    give(build, auditor, 120)
    assert queries(client, url) == small


@pytest.mark.parametrize(
    "value", ["0", "-1", "abc", "2.5", "99999999999999999999999", "", "%00", "1e3", "<script>", "last"]
)
def test_hostile_page_numbers_answer_a_page(client, build, auditor, value):
    give(build, auditor, 55)
    client.force_login(auditor)
    response = client.get(reverse("audits:worklist"), {"to_do_page": value, "done_page": value})
    assert response.status_code == 200
    assert response.context["to_do"].number in (1, 2)


def send_for_moderation(build, auditor, moderator, count):
    team, round_ = build.team(), build.round()
    for i in range(count):
        audit = build.completed(Grade(1 + i % 4), team=team, auditor=auditor, round=round_)
        Moderation.objects.create(audit=audit, moderator=moderator)
        done = build.completed(Grade(1 + i % 4), team=team, auditor=auditor, round=round_)
        Moderation.objects.create(audit=done, moderator=moderator, grade=2)


def test_the_moderation_queue_is_paged_with_the_same_queries_at_two_sizes(client, build, auditor, moderator):
    client.force_login(moderator)
    url = reverse("audits:moderation_queue") + "?pending_page=2&done_page=2"
    send_for_moderation(build, auditor, moderator, 55)
    small = queries(client, url)
    send_for_moderation(build, auditor, moderator, 70)
    assert queries(client, url) == small
    response = client.get(reverse("audits:moderation_queue"), {"pending_page": "-1", "done_page": "abc"})
    assert response.status_code == 200
    # Below the first page answers the last; not a number answers the first.
    assert response.context["pending"].number == 3 and len(response.context["pending"]) == 25
    assert response.context["done"].number == 1 and len(response.context["done"]) == 50
    assert "To moderate (125)" in response.content.decode()
