"""Roll-ups against figures computed by hand for a small month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from caseloads.models import Employment, ServiceArea, WorkerRole
from caseloads.rollups import BandCount, month_rollup, monthly_trend, quarter_rollup
from indicators.quarters import Quarter
from tests.caseloads.conftest import MARCH_2017, make_return, make_team, make_worker

pytestmark = pytest.mark.django_db
SW, SP = WorkerRole.SOCIAL_WORKER, WorkerRole.SENIOR_PRACTITIONER
FEB_2017 = datetime.date(2017, 2, 1)


@pytest.fixture
def small_month():
    """Hand-computed figures are in the comments; see test_month_rollup_overall."""
    a = make_team("Team A")
    b = make_team("Team B", service_area=ServiceArea.SAFEGUARDING)
    c = make_team("Team C", service_area=ServiceArea.LOOKED_AFTER)
    make_team("Team D", service_area=ServiceArea.DISABILITY)
    make_team("Team E (closed)", active=False)
    a_lines = [
        (make_worker(a, role=SW, wte="1.00"), 18),  # 18.0 per WTE, 16-20
        (make_worker(a, role=SW, wte="0.40"), 8),  # exactly 20.0 per WTE: 16-20, not over 20
        (make_worker(a, role=SP, employment=Employment.AGENCY, wte="0.60"), 24),  # agency: 1.0 WTE, 24.0
        (make_worker(a, role=WorkerRole.TEAM_MANAGER, wte="1.00"), 5),  # excluded
        (make_worker(a, role=WorkerRole.ASYE, wte="1.00"), 12),  # excluded
    ]
    b_lines = [
        (make_worker(b, role=SW, wte="0.80"), 26),  # 32.5 per WTE: over 30
        (make_worker(b, role=SW, wte="1.00"), 9),  # 0-10
        (make_worker(b, role=WorkerRole.STUDENT, employment=Employment.AGENCY, wte="0.50"), 6),  # excluded
        (make_worker(b, role=WorkerRole.CONSULTANT_SOCIAL_WORKER, wte="1.00"), 10),  # excluded
    ]
    make_return(a, MARCH_2017, a_lines)
    make_return(b, MARCH_2017, b_lines)
    make_return(c, MARCH_2017, [(make_worker(c, role=SW), 30)], submitted=False)  # a draft does not count
    # February: Team A only, so the trend has something to compare.
    make_return(a, FEB_2017, [(worker, cases + 2) for worker, cases in a_lines[:3]])
    return a, b, c


def test_month_rollup_overall(small_month):
    rollup = month_rollup(month=MARCH_2017)
    # Counted: the two social workers and the agency senior practitioner of A, the two social workers of B.
    assert rollup.counted_staff == 5
    assert rollup.counted_wte == Decimal("4.20")  # 1.0 + 0.4 + 1.0 (agency) + 0.8 + 1.0
    assert rollup.counted_cases == 85  # 18 + 8 + 24 + 26 + 9
    assert rollup.average_per_wte == Decimal("20.2")  # 85 / 4.2 = 20.238
    assert rollup.over_20_count == 2  # 24.0 and 32.5; the 0.4 WTE worker at exactly 20.0 is not over
    assert rollup.over_20_pct == Decimal("40.0")
    assert rollup.excluded_staff == 4
    assert rollup.bands == [
        BandCount("0-10", 1, Decimal("20.0")),
        BandCount("11-15", 0, Decimal("0.0")),
        BandCount("16-20", 2, Decimal("40.0")),
        BandCount("21-25", 1, Decimal("20.0")),
        BandCount("26-30", 0, Decimal("0.0")),
        BandCount("over 30", 1, Decimal("20.0")),
    ]
    assert rollup.returns_submitted == 2
    assert rollup.teams_missing == ["Team C", "Team D"]


def test_month_rollup_by_team(small_month):
    by_team = {r.team: r for r in month_rollup(month=MARCH_2017).by_team}
    assert list(by_team) == ["Team A", "Team B"]
    a, b = by_team["Team A"], by_team["Team B"]
    assert (a.counted_staff, a.counted_wte, a.counted_cases) == (3, Decimal("2.40"), 50)
    assert a.average_per_wte == Decimal("20.8")  # 50 / 2.4 = 20.83
    assert (a.over_20_count, a.over_20_pct, a.excluded_staff) == (1, Decimal("33.3"), 2)
    assert (b.counted_staff, b.counted_wte, b.counted_cases) == (2, Decimal("1.80"), 35)
    assert b.average_per_wte == Decimal("19.4")  # 35 / 1.8 = 19.44
    assert (b.over_20_count, b.over_20_pct, b.excluded_staff) == (1, Decimal("50.0"), 2)
    assert [band.count for band in b.bands] == [1, 0, 0, 0, 0, 1]


def test_month_rollup_for_some_teams(small_month):
    a, _b, c = small_month
    rollup = month_rollup(month=MARCH_2017, teams=[a, c])
    assert (rollup.counted_staff, rollup.counted_cases, rollup.average_per_wte) == (3, 50, Decimal("20.8"))
    assert [r.team for r in rollup.by_team] == ["Team A"]
    assert rollup.teams_missing == ["Team C"]


def test_a_month_without_returns_is_empty_not_an_error(small_month):
    rollup = month_rollup(month=datetime.date(2016, 5, 1))
    assert (rollup.counted_staff, rollup.average_per_wte, rollup.over_20_pct) == (0, None, None)
    assert [band.pct for band in rollup.bands] == [None] * 6
    assert not rollup.has_data


def test_a_quarter_uses_its_last_month(small_month):
    assert quarter_rollup(quarter=Quarter.parse("2016-17-q4")) == month_rollup(month=MARCH_2017)


def test_monthly_trend(small_month):
    trend = monthly_trend(start=datetime.date(2017, 1, 1), end=datetime.date(2017, 4, 1))
    assert [point.month for point in trend] == [datetime.date(2017, m, 1) for m in (1, 2, 3, 4)]
    assert [point.average_per_wte for point in trend] == [None, Decimal("23.3"), Decimal("20.2"), None]
    # February, Team A: 20 + 10 + 26 = 56 cases over 2.4 WTE = 23.33; 10/0.4 = 25 and 26 are over 20.
    assert trend[1].counted_cases == 56
    assert trend[1].over_20_count == 2


def test_trend_and_rollup_query_counts_do_not_grow_with_data(small_month, django_assert_num_queries):
    with django_assert_num_queries(2):
        month_rollup(month=MARCH_2017)
    with django_assert_num_queries(1):
        monthly_trend(start=datetime.date(2016, 2, 1), end=datetime.date(2017, 4, 1))
    a, *_ = small_month
    for month in (11, 12):
        make_return(a, datetime.date(2016, month, 1), [(make_worker(a), n) for n in range(20)])
    with django_assert_num_queries(2):
        month_rollup(month=MARCH_2017)
    with django_assert_num_queries(1):
        monthly_trend(start=datetime.date(2016, 2, 1), end=datetime.date(2017, 4, 1))
