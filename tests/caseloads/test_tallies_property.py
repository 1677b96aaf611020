"""Property: whatever returns are filed, reopened and filed again, the roll-ups read from the tallies equal
the same roll-ups counted from the lines (the direct aggregate, kept as the oracle)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseloads.models import CaseloadReturn, Employment, Team, Worker, WorkerRole
from caseloads.rollups import month_rollup, month_rollup_from_lines, monthly_trend, monthly_trend_from_lines
from caseloads.services.returns import reopen_return, save_return
from perfsite.roles import Role
from tests.caseloads.conftest import make_return, make_team, make_worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
MONTHS = [datetime.date(2017, 1, 1), datetime.date(2017, 2, 1), datetime.date(2017, 3, 1)]
TEAMS = ("Property North", "Property South", "Property East")

line = st.tuples(
    st.sampled_from(list(WorkerRole)),
    st.sampled_from(list(Employment)),
    st.integers(min_value=1, max_value=100).map(lambda h: Decimal(h) / 100),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60)),  # a submitted line may lack cases (none entered)
)
# For each team and month: no return, or a return with its lines, submitted or draft, and what happens next.
filed = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "lines": st.lists(line, max_size=6),
            "submitted": st.booleans(),
            "then": st.sampled_from(["nothing", "reopen", "reopen and resubmit"]),
            "resubmitted_cases": st.integers(min_value=0, max_value=60),
        }
    ),
)
plan = st.lists(filed, min_size=len(TEAMS) * len(MONTHS), max_size=len(TEAMS) * len(MONTHS))


def _users():
    officer = get_user_model().objects.filter(username="property-officer").first()
    return officer or make_user("property-officer", Role.PERFORMANCE_OFFICER)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plan)
def test_the_tallied_rollups_equal_the_rollups_counted_from_the_lines(plan):
    CaseloadReturn.objects.all().delete()  # their lines and tallies go with them
    Worker.objects.all().delete()
    Team.objects.all().delete()
    officer = _users()
    teams = [make_team(name) for name in TEAMS]
    specs = iter(plan)
    for team in teams:
        for month in MONTHS:
            spec = next(specs)
            if spec is None:
                continue
            workers = [
                (make_worker(team, role=role, employment=employment, wte=wte), cases)
                for role, employment, wte, cases in spec["lines"]
            ]
            caseload_return = make_return(team, month, workers, submitted=spec["submitted"])
            if not spec["submitted"] or spec["then"] == "nothing":
                continue
            reopened = reopen_return(caseload_return=caseload_return, user=officer, reason="Property test")
            if spec["then"] == "reopen and resubmit" and workers:
                figures = {worker.pk: spec["resubmitted_cases"] for worker, _ in workers}
                save_return(
                    team=team,
                    month=month,
                    expected_version=reopened.version,
                    figures=figures,
                    confirmed=set(figures),
                    user=officer,
                    submit=True,
                )

    for month in MONTHS:
        for scope in (None, teams[:1], Team.objects.filter(name__in=TEAMS[1:])):
            assert month_rollup(month=month, teams=scope) == month_rollup_from_lines(month=month, teams=scope)
    for scope in (None, teams[1:2]):
        assert monthly_trend(start=MONTHS[0], end=MONTHS[-1], teams=scope) == monthly_trend_from_lines(
            start=MONTHS[0], end=MONTHS[-1], teams=scope
        )
