"""Property: the database roll-up and the Python counting rules agree on any month's lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseloads import counting
from caseloads.models import CaseloadLine, CaseloadReturn, Employment, Team, WorkerRole
from caseloads.rollups import month_rollup, one_dp, percentage
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

pytestmark = pytest.mark.django_db

lines = st.lists(
    st.tuples(
        st.sampled_from(list(WorkerRole)),
        st.sampled_from(list(Employment)),
        st.integers(min_value=1, max_value=100).map(lambda h: Decimal(h) / 100),
        st.integers(min_value=0, max_value=90),
    ),
    min_size=0,
    max_size=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=lines)
def test_database_rollup_matches_the_python_rules(lines):
    CaseloadLine.objects.all().delete()
    CaseloadReturn.objects.all().delete()
    team = Team.objects.filter(name="Property team").first() or make_team("Property team")
    workers = [
        (make_worker(team, role=role, employment=employment, wte=wte), cases) for role, employment, wte, cases in lines
    ]
    make_return(team, MARCH_2017, workers)

    figures = [
        counting.line_figures(role=w.role, employment=w.employment, wte=w.wte, cases=cases) for w, cases in workers
    ]
    counted = [f for f in figures if f.counted]
    counted_wte = sum((f.counted_wte for f in counted), Decimal(0))
    counted_cases = sum(f.counted_cases for f in counted)
    rollup = month_rollup(month=MARCH_2017)

    assert rollup.counted_staff == len(counted)
    assert rollup.excluded_staff == len(figures) - len(counted)
    assert rollup.counted_wte == counted_wte
    assert rollup.counted_cases == counted_cases
    assert rollup.average_per_wte == one_dp(
        counting.average_per_wte(counted_cases=counted_cases, counted_wte=counted_wte)
    )
    over = sum(1 for f in counted if f.over_optimum)
    assert (rollup.over_20_count, rollup.over_20_pct) == (over, percentage(over, len(counted)))
    assert [b.count for b in rollup.bands] == [
        sum(1 for f in counted if f.band.label == band.label) for band in counting.bands()
    ]
