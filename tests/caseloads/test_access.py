"""Who may open which caseload page: managers and officers only; scrutiny members never see a worker's name."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from caseloads.apps import CaseloadsConfig
from perfsite.navigation import nav_links
from tests.caseloads.conftest import make_return, make_worker

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2017, 3, 1)


@pytest.fixture
def pages(team):
    worker = make_worker(team, name="Ann Able")
    make_return(team, MARCH, [(worker, 21)])
    return [
        reverse("caseloads:index"),
        reverse("caseloads:rollup"),
        reverse("caseloads:rollup") + "?month=2017-03",
        reverse("caseloads:team", kwargs={"team_id": team.pk}),
        reverse("caseloads:return", kwargs={"team_id": team.pk, "month": MARCH}),
        reverse("caseloads:reopen", kwargs={"team_id": team.pk, "month": MARCH}),
        reverse("caseloads:worker_add", kwargs={"team_id": team.pk}),
        reverse("caseloads:worker_edit", kwargs={"worker_id": worker.pk}),
        reverse("caseloads:worker_move", kwargs={"worker_id": worker.pk}),
        reverse("caseloads:worker_end", kwargs={"worker_id": worker.pk}),
    ]


def test_scrutiny_members_cannot_open_any_caseload_page(client, member, pages):
    client.force_login(member)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Ann Able" not in response.content.decode()
        assert client.post(url, {}).status_code == 403, url


@pytest.mark.parametrize("who", ["outsider", "auditor", "moderator"])
def test_other_roles_are_refused(client, request, pages, who):
    client.force_login(request.getfixturevalue(who))
    for url in pages:
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_sign_in(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_officers_and_admins_open_every_page(client, officer, admin_user, pages):
    for user in (officer, admin_user):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code in (200, 302), url


def test_managers_open_their_pages_but_not_reopen(client, manager, pages):
    client.force_login(manager)
    for url in pages:
        expected = 403 if url.endswith("/reopen/") else 200
        assert client.get(url).status_code == expected, url


def test_nav_links_follow_roles(manager, officer, member, outsider):
    config = CaseloadsConfig.create("caseloads")
    assert [link.label for link in config.nav_links(manager)] == ["Caseloads", "Caseload figures"]
    assert [link.label for link in config.nav_links(officer)] == ["Caseloads", "Caseload figures"]
    assert config.nav_links(member) == []
    assert config.nav_links(outsider) == []
    assert "Caseloads" in [link.label for link in nav_links(manager)]
    assert "Caseloads" not in [link.label for link in nav_links(member)]
