"""Admin: teams, workers and returns (lines inline), with their history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.caseloads.conftest import make_return, make_worker

pytestmark = pytest.mark.django_db


def test_admin_pages_and_history(client, admin_user, team):
    worker = make_worker(team, name="Ann Able")
    caseload_return = make_return(team, datetime.date(2017, 3, 1), [(worker, 12)])
    client.force_login(admin_user)
    for url in (
        reverse("admin:caseloads_team_changelist"),
        reverse("admin:caseloads_team_change", args=[team.pk]),
        reverse("admin:caseloads_team_history", args=[team.pk]),
        reverse("admin:caseloads_worker_changelist"),
        reverse("admin:caseloads_worker_history", args=[worker.pk]),
        reverse("admin:caseloads_caseloadreturn_changelist"),
        reverse("admin:caseloads_caseloadline_changelist"),
        reverse("admin:caseloads_remindersent_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    change = client.get(reverse("admin:caseloads_caseloadreturn_change", args=[caseload_return.pk]))
    assert change.status_code == 200
    assert "Ann Able" in change.content.decode()  # the lines are inline
    history = client.get(reverse("admin:caseloads_caseloadreturn_history", args=[caseload_return.pk]))
    assert history.status_code == 200


def test_a_submitted_returns_lines_are_read_only_in_admin(client, admin_user, team):
    """Changing a submitted figure goes through reopening, which records who and why."""
    worker = make_worker(team, name="Ann Able")
    submitted = make_return(team, datetime.date(2017, 3, 1), [(worker, 12)])
    draft = make_return(team, datetime.date(2017, 4, 1), [(worker, 13)], submitted=False)
    client.force_login(admin_user)
    page = client.get(reverse("admin:caseloads_caseloadreturn_change", args=[submitted.pk])).content.decode()
    assert 'name="lines-0-cases"' not in page
    draft_page = client.get(reverse("admin:caseloads_caseloadreturn_change", args=[draft.pk])).content.decode()
    assert 'name="lines-0-cases"' in draft_page
    line = submitted.lines.get()
    response = client.post(
        reverse("admin:caseloads_caseloadline_change", args=[line.pk]),
        {"caseload_return": submitted.pk, "worker": worker.pk, "cases": 40},
    )
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.cases == 12
