"""The demo: about 10 teams and 120 workers, 15 months, the reference's picture, idempotent."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from caseloads.models import CaseloadLine, CaseloadReturn, Employment, ReturnStatus, Team, Worker
from caseloads.rollups import month_rollup, monthly_trend
from perfsite.demo import ensure_demo_users

pytestmark = pytest.mark.django_db
D = datetime.date


def load():
    apps.get_app_config("caseloads").load_demo(stdout=io.StringIO())


def counts():
    return (
        Team.objects.count(),
        Worker.objects.count(),
        CaseloadReturn.objects.count(),
        CaseloadLine.objects.count(),
        CaseloadLine.history.count(),
        get_user_model().objects.count(),
        list(CaseloadLine.objects.order_by("pk").values_list("cases", flat=True)),
    )


def test_demo_follows_the_reference_and_is_idempotent():
    ensure_demo_users(password="not-used-in-this-test")
    load()
    first = counts()
    load()
    assert counts() == first

    assert 9 <= Team.objects.count() <= 11
    assert 110 <= Worker.objects.count() <= 135
    assert Worker.objects.filter(employment=Employment.AGENCY).count() >= 10
    assert Worker.objects.filter(wte__lt=1).count() >= 10
    assert {t.service_area for t in Team.objects.all()} >= {
        "assessment",
        "safeguarding",
        "looked_after",
        "care_leavers",
        "disability",
    }
    manager = get_user_model().objects.get(username="manager")
    assert Team.objects.managed_by(manager).count() == 2
    assert Team.objects.exclude(managers=manager).filter(managers__isnull=False).count() == 8
    months = sorted(set(CaseloadReturn.objects.values_list("month", flat=True)))
    assert months[0] == D(2016, 2, 1) and months[-1] == D(2017, 4, 1) and len(months) == 15
    assert CaseloadReturn.objects.filter(status=ReturnStatus.DRAFT).count() == 1

    trend = {point.month: point for point in monthly_trend(start=D(2016, 2, 1), end=D(2017, 4, 1))}
    baseline, december, march = trend[D(2016, 2, 1)], trend[D(2016, 12, 1)], trend[D(2017, 3, 1)]
    # Caseloads have come down from the February 2016 baseline...
    assert march.average_per_wte < baseline.average_per_wte
    assert all(point.average_per_wte < baseline.average_per_wte for point in list(trend.values())[6:])
    # ...but more practitioners held over 20 cases in the last quarter than at the end of the one before.
    assert march.over_20_count > december.over_20_count
    assert month_rollup(month=D(2017, 3, 1)).over_20_pct > month_rollup(month=D(2016, 12, 1)).over_20_pct
