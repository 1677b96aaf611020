"""The roll-up's month picker (``rollups.submitted_months``): for every team it walks the months down
their index, one probe a month; it must list exactly the months the plain query over every return
lists, whatever the drafts, the teams and the gaps between months."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseloads.models import CaseloadReturn, ReturnStatus, Team
from caseloads.rollups import submitted_months
from tests.caseloads.conftest import make_return, make_team, make_worker

pytestmark = pytest.mark.django_db


def every_return_scanned(teams=None) -> list[datetime.date]:
    returns = CaseloadReturn.objects.filter(status=ReturnStatus.SUBMITTED)
    if teams is not None:
        returns = returns.filter(team__in=teams)
    return list(returns.values_list("month", flat=True).distinct().order_by("-month"))


def test_no_returns_no_months():
    assert submitted_months() == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_months_are_those_of_the_submitted_returns(seed):
    rng = random.Random(seed)
    teams = [make_team(f"Team {n}") for n in range(4)]
    workers = {team.pk: make_worker(team) for team in teams}
    months = [datetime.date(2014 + n // 12, n % 12 + 1, 1) for n in range(40)]
    for team in teams:
        for month in rng.sample(months, 12):
            # Drafts and returns with no cases entered: only submitted ones count, with or without a tally.
            cases = rng.choice([None, 0, 12])
            make_return(team, month, [(workers[team.pk], cases)], submitted=rng.random() < 0.7)
    assert CaseloadReturn.objects.filter(status=ReturnStatus.DRAFT).exists()
    found = submitted_months()
    assert found == every_return_scanned() and found
    assert all(isinstance(month, datetime.date) for month in found)
    some = Team.objects.filter(pk__in=[teams[0].pk, teams[2].pk])
    assert submitted_months(teams=some) == every_return_scanned(some)


def test_one_query_however_many_months():
    team = make_team("Team A")
    worker = make_worker(team)
    for n in range(30):
        make_return(team, datetime.date(2015 + n // 12, n % 12 + 1, 1), [(worker, 10)])
    with CaptureQueriesContext(connection) as captured:
        assert len(submitted_months()) == 30
    assert len(captured) == 1
