"""Managing workers: add, change, move and end, by team managers for their teams and officers for all."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from caseloads.models import Worker
from tests.caseloads.conftest import make_worker

pytestmark = pytest.mark.django_db


def test_a_manager_adds_a_worker_to_their_team(client, manager, team):
    client.force_login(manager)
    url = reverse("caseloads:worker_add", kwargs={"team_id": team.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Eve Ede",
            "staff_number": "DC999",
            "role": "social_worker",
            "employment": "permanent",
            "wte": "0.6",
            "started_on_day": "1",
            "started_on_month": "9",
            "started_on_year": "2016",
        },
    )
    assert response.status_code == 302
    eve = Worker.objects.get(staff_number="DC999")
    assert (eve.team, eve.wte, eve.started_on) == (team, Decimal("0.60"), datetime.date(2016, 9, 1))
    assert eve.history.get().history_user == manager


def test_adding_a_worker_names_each_bad_field(client, manager, team):
    make_worker(team, staff_number="DC1")
    client.force_login(manager)
    url = reverse("caseloads:worker_add", kwargs={"team_id": team.pk})
    response = client.post(url, {"name": "", "staff_number": "DC1", "role": "", "employment": "agency", "wte": "1.5"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter the worker's name"]
    assert errors["role"] == ["Select a role"]
    assert errors["wte"] == ["The WTE must be 1.00 or less"]
    assert "Error: " in response.content.decode().split("</title>")[0]
    response = client.post(
        url, {"name": "Dup", "staff_number": "DC1", "role": "social_worker", "employment": "agency", "wte": "1"}
    )
    assert response.context["form"].errors["staff_number"] == ["Staff number DC1 is already used by another worker."]


def test_a_manager_changes_moves_and_ends_a_worker(client, manager, team, other_team):
    ann = make_worker(team, name="Ann Able")
    client.force_login(manager)
    response = client.post(
        reverse("caseloads:worker_edit", kwargs={"worker_id": ann.pk}),
        {"name": "Ann Able-Baker", "role": "senior_practitioner", "employment": "permanent", "wte": "0.8"},
    )
    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.name, ann.role, ann.wte) == ("Ann Able-Baker", "senior_practitioner", Decimal("0.80"))

    ben = make_worker(team, name="Ben Bold", started_on=datetime.date(2016, 5, 1))
    end_url = reverse("caseloads:worker_end", kwargs={"worker_id": ben.pk})
    response = client.post(end_url, {"ended_on_day": "1", "ended_on_month": "1", "ended_on_year": "2016"})
    assert response.context["form"].errors["ended_on"][0].startswith("The end date must be on or after the start")
    response = client.post(end_url, {"ended_on_day": "31", "ended_on_month": "3", "ended_on_year": "2017"})
    assert response.status_code == 302
    ben.refresh_from_db()
    assert ben.ended_on == datetime.date(2017, 3, 31)

    move_url = reverse("caseloads:worker_move", kwargs={"worker_id": ann.pk})
    assert client.get(move_url).status_code == 200
    response = client.post(move_url, {"team": other_team.pk})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.team == other_team
    assert ann.history.first().history_change_reason == "Moved from Assessment North to Safeguarding South"
    # Once moved out, Ann is in a team this manager does not manage.
    assert client.get(move_url).status_code == 404


def test_an_officer_manages_any_team(client, officer, other_team, team):
    worker = make_worker(other_team)
    client.force_login(officer)
    response = client.post(reverse("caseloads:worker_move", kwargs={"worker_id": worker.pk}), {"team": team.pk})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.team == team


def test_a_closed_team_is_not_offered(client, manager, team, other_team):
    other_team.active = False
    other_team.save()
    worker = make_worker(team)
    client.force_login(manager)
    response = client.post(reverse("caseloads:worker_move", kwargs={"worker_id": worker.pk}), {"team": other_team.pk})
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
