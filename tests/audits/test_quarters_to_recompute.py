"""The nightly recompute's quarters: every quarter with completed audits, found in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.choices import Grade
from audits.computed import quarters_to_recompute
from indicators.quarters import Quarter

pytestmark = pytest.mark.django_db


def slugs(quarters) -> list[str]:
    return [q.slug for q in quarters]


@pytest.fixture
def today(monkeypatch):
    """A fixed today: quarters ending on or after 15 Jun 2020 (six years before it) are always recomputed."""
    monkeypatch.setattr("audits.computed.timezone.localdate", lambda: datetime.date(2026, 6, 15))


def test_nothing_completed_nothing_to_recompute(today):
    assert quarters_to_recompute() == []


def test_old_quarters_only_where_audits_were_completed(build, today):
    build.completed(Grade.GOOD, completed_on=datetime.date(2006, 2, 1))  # 2005-06 Q4
    build.completed(Grade.GOOD, completed_on=datetime.date(2006, 3, 31))  # the same quarter's last day
    build.completed(Grade.GOOD, completed_on=datetime.date(2008, 8, 1))  # 2008-09 Q2
    assert slugs(quarters_to_recompute()) == ["2005-06-q4", "2008-09-q2"]


def test_quarters_inside_retention_are_kept_even_without_audits(build, today):
    # From the quarter holding the retention cut-off (15 Jun 2020) every quarter counts: a figure may need removing.
    build.completed(Grade.GOOD, completed_on=datetime.date(2020, 1, 10))  # 2019-20 Q4, before the cut-off
    build.completed(Grade.GOOD, completed_on=datetime.date(2021, 1, 10))  # 2020-21 Q4
    found = slugs(quarters_to_recompute())
    assert found == ["2019-20-q4", "2020-21-q1", "2020-21-q2", "2020-21-q3", "2020-21-q4"]
    assert Quarter.containing(datetime.date(2020, 6, 15)).slug in found


def queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_the_query_count_does_not_grow_with_the_quarters(build, today):
    build.completed(Grade.GOOD, completed_on=datetime.date(2006, 2, 1))
    build.completed(Grade.GOOD, completed_on=datetime.date(2007, 2, 1))
    few = queries(quarters_to_recompute)
    for year in range(2007, 2019):
        build.completed(Grade.GOOD, completed_on=datetime.date(year, 8, 1))
    assert len(quarters_to_recompute()) == 14
    assert queries(quarters_to_recompute) == few == 3
