"""``ScorecardsConfig.published_through``: the end of the latest published quarter, for the member horizon."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from indicators.horizon import member_horizon
from scorecards.models import PublishedScorecard
from scorecards.publishing import publish
from tests.scorecards.conftest import Q4

pytestmark = pytest.mark.django_db


def published(slug: str, *, user, version: int = 1) -> PublishedScorecard:
    return PublishedScorecard.objects.create(
        quarter=slug,
        version=version,
        snapshot={},
        sha256="0" * 64,
        reason="" if version == 1 else "Corrected",
        published_by=user,
        published_at=timezone.now(),
    )


def hook():
    return apps.get_app_config("scorecards").published_through


def test_nothing_published_is_none(officer):
    assert hook()() is None
    assert member_horizon() is None


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        (["2016-17-q3"], datetime.date(2016, 12, 31)),
        (["2016-17-q3", "2016-17-q4"], datetime.date(2017, 3, 31)),
        # published out of order, and across a financial year: the latest quarter wins
        (["2017-18-q1", "2016-17-q4", "2015-16-q2"], datetime.date(2017, 6, 30)),
        (["2019-20-q4", "2020-21-q1"], datetime.date(2020, 6, 30)),
        (["2009-10-q4", "2010-11-q3"], datetime.date(2010, 12, 31)),
    ],
)
def test_the_end_of_the_latest_published_quarter(officer, slugs, expected):
    for slug in slugs:
        published(slug, user=officer)
    assert hook()() == expected
    assert member_horizon() == expected


def test_amendments_do_not_move_it(officer):
    published("2016-17-q3", user=officer)
    published("2016-17-q3", user=officer, version=2)
    assert hook()() == datetime.date(2016, 12, 31)


def test_one_query_whatever_the_number_published(officer, django_assert_num_queries):
    published("2016-17-q3", user=officer)
    with django_assert_num_queries(1):
        hook()()
    for slug in ("2014-15-q1", "2014-15-q2", "2014-15-q3", "2015-16-q4", "2016-17-q4"):
        published(slug, user=officer)
    with django_assert_num_queries(1):
        assert hook()() == datetime.date(2017, 3, 31)


def test_publishing_a_scorecard_moves_the_member_horizon(small_scorecard, officer):
    assert member_horizon() is None
    publish(quarter=Q4, user=officer)
    assert member_horizon() == Q4.end
