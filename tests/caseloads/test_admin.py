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
