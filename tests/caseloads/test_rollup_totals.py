"""A month's totals alone (``month_rollup(per_team=False)``, the scorecard's first page) are summed in
the database in one row; they must be exactly the totals of the roll-up with a row per team, read
from the tallies or, under other settings, counted from the lines."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseloads.models import Employment, Team, WorkerRole
from caseloads.rollups import month_rollup
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

pytestmark = pytest.mark.django_db

FEBRUARY_2017 = datetime.date(2017, 2, 1)


def _teams_with_returns(seed: int) -> list[Team]:
    rng = random.Random(seed)
    teams = []
    for n in range(6):
        team = make_team(f"Team {n}")
        teams.append(team)
        workers = [
            make_worker(
                team,
                role=rng.choice(list(WorkerRole)),
                employment=rng.choice(list(Employment)),
                wte=rng.choice(["0.50", "0.80", "1.00"]),
            )
            for _ in range(rng.randint(1, 8))
        ]
        for month in (FEBRUARY_2017, MARCH_2017):
            if rng.random() < 0.8:
                lines = [(w, rng.choice([None, 0, 7, 19, 21, 33])) for w in workers]
                make_return(team, month, lines, submitted=rng.random() < 0.85)
    return teams


def _totals_of_the_rows(**kwargs):
    return dataclasses.replace(month_rollup(**kwargs), by_team=[])


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_totals_alone_are_the_totals_of_the_rows(seed, settings):
    teams = _teams_with_returns(seed)
    scopes = (None, teams[:3], Team.objects.filter(pk__in=[t.pk for t in teams[2:]]))
    for month in (FEBRUARY_2017, MARCH_2017, datetime.date(2017, 4, 1)):
        for scope in scopes:
            assert month_rollup(month=month, teams=scope, per_team=False) == _totals_of_the_rows(
                month=month, teams=scope
            ), (month, scope)
    # Tallies counted under another optimum: both count from the lines, and still agree.
    settings.PERFSITE_CASELOAD_OPTIMUM = 24
    for scope in scopes:
        assert month_rollup(month=MARCH_2017, teams=scope, per_team=False) == _totals_of_the_rows(
            month=MARCH_2017, teams=scope
        )


def test_the_totals_alone_read_the_same_queries_at_any_number_of_teams():
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            month_rollup(month=MARCH_2017, per_team=False)
        return len(captured)

    first = make_team("Team A")
    make_return(first, MARCH_2017, [(make_worker(first), 12)])
    small = count()
    for n in range(20):
        team = make_team(f"Team B{n}")
        make_return(team, MARCH_2017, [(make_worker(team), 15)])
    assert count() == small == 2
