"""Factories for caseloads tests: teams, workers and submitted returns built line by line."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from model_bakery import baker

from caseloads.models import CaseloadLine, CaseloadReturn, Employment, ServiceArea, Team, Worker, WorkerRole
from caseloads.tallies import refresh_tallies

_staff_numbers = itertools.count(1000)


def make_team(name="Assessment North", *, managers=(), service_area=ServiceArea.ASSESSMENT, **extra) -> Team:
    team = Team.objects.create(name=name, service_area=service_area, **extra)
    if managers:
        team.managers.add(*managers)
    return team


def make_worker(
    team, *, name=None, role=WorkerRole.SOCIAL_WORKER, employment=Employment.PERMANENT, wte="1.00", **extra
):
    number = next(_staff_numbers)
    return Worker.objects.create(
        team=team,
        name=name or f"Worker {number}",
        staff_number=extra.pop("staff_number", f"S{number}"),
        role=role,
        employment=employment,
        wte=Decimal(wte),
        **extra,
    )


def make_return(team, month, lines, *, submitted=True, user=None) -> CaseloadReturn:
    """``lines``: iterable of (worker, cases); the snapshot comes from the worker."""
    now = timezone.now()
    caseload_return = CaseloadReturn.objects.create(
        team=team,
        month=month,
        status="submitted" if submitted else "draft",
        updated_at=now,
        updated_by=user,
        submitted_at=now if submitted else None,
        submitted_by=user if submitted else None,
        first_submitted_at=now if submitted else None,
    )
    CaseloadLine.objects.bulk_create(
        CaseloadLine(
            caseload_return=caseload_return,
            worker=worker,
            role=worker.role,
            employment=worker.employment,
            wte=worker.wte,
            cases=cases,
        )
        for worker, cases in lines
    )
    # Written straight to the tables, so counted as every writer must (caseloads.tallies).
    refresh_tallies(returns=[caseload_return])
    return caseload_return


MARCH_2017 = datetime.date(2017, 3, 1)


@pytest.fixture
def team(manager):
    return make_team("Assessment North", managers=[manager])


@pytest.fixture
def other_team(db):
    other_manager = baker.make("auth.User", username="other-manager")
    return make_team("Safeguarding South", managers=[other_manager], service_area=ServiceArea.SAFEGUARDING)
