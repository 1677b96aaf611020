"""The return's state machine, its recompute, and the database constraints behind every rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseloads.computed import AVERAGE_CODE, OVER_CODE
from caseloads.models import CaseloadLine, CaseloadReturn, ReminderSent, ReturnReopening, Worker
from caseloads.services.returns import (
    InvalidTransition,
    ReturnError,
    ReturnIncomplete,
    reopen_return,
    save_return,
)
from tests.caseloads.conftest import MARCH_2017, make_return, make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals(queued_recomputes):
    """The months whose computed caseload figures were queued for recompute."""
    return queued_recomputes


MARCH_RECOMPUTE = ((AVERAGE_CODE, OVER_CODE), (MARCH_2017.isoformat(),))


def test_lifecycle_and_signals(team, manager, officer, signals, django_capture_on_commit_callbacks):
    ann = make_worker(team)
    with django_capture_on_commit_callbacks(execute=True):
        draft = save_return(team=team, month=MARCH_2017, expected_version=0, figures={ann.pk: 3}, user=manager)
    assert signals == []  # saving a draft is not a status change
    with pytest.raises(ReturnIncomplete):
        save_return(team=team, month=MARCH_2017, expected_version=1, figures={}, user=manager, submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        save_return(team=team, month=MARCH_2017, expected_version=1, figures={ann.pk: 3}, user=manager, submit=True)
    pk = draft.caseload_return.pk
    assert signals == [MARCH_RECOMPUTE]
    assert CaseloadReturn.objects.get(pk=pk).status == "submitted"
    with pytest.raises(InvalidTransition):
        save_return(team=team, month=MARCH_2017, expected_version=2, figures={ann.pk: 4}, user=manager)
    with pytest.raises(PermissionDenied):
        reopen_return(caseload_return=CaseloadReturn.objects.get(), user=manager, reason="please")
    with pytest.raises(ReturnError, match="Enter the reason"):
        reopen_return(caseload_return=CaseloadReturn.objects.get(), user=officer, reason="   ")
    with django_capture_on_commit_callbacks(execute=True):
        reopen_return(caseload_return=CaseloadReturn.objects.get(), user=officer, reason="typo")
    assert signals == [MARCH_RECOMPUTE, MARCH_RECOMPUTE]
    assert CaseloadReturn.objects.get(pk=pk).status == "draft"
    with pytest.raises(InvalidTransition):
        reopen_return(caseload_return=CaseloadReturn.objects.get(), user=officer, reason="again")
    assert ReturnReopening.objects.count() == 1


def test_saving_nothing_new_does_not_bump_the_version(team, manager):
    ann = make_worker(team)
    save_return(team=team, month=MARCH_2017, expected_version=0, figures={ann.pk: 3}, user=manager)
    result = save_return(team=team, month=MARCH_2017, expected_version=1, figures={ann.pk: 3}, user=manager)
    assert (result.changed, result.caseload_return.version) == (False, 1)


def test_a_draft_takes_a_fresh_snapshot_at_each_save(team, manager):
    ann = make_worker(team, wte="1.00")
    save_return(team=team, month=MARCH_2017, expected_version=0, figures={ann.pk: 3}, user=manager)
    Worker.objects.filter(pk=ann.pk).update(wte=Decimal("0.50"))
    save_return(team=team, month=MARCH_2017, expected_version=1, figures={ann.pk: 3}, user=manager)
    assert CaseloadLine.objects.get().wte == Decimal("0.50")


def _violates(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_return_constraints(team):
    now = timezone.now()
    make_return(team, MARCH_2017, [])
    _violates(lambda: CaseloadReturn.objects.create(team=team, month=MARCH_2017, updated_at=now))  # one a month
    _violates(lambda: CaseloadReturn.objects.create(team=team, month=datetime.date(2017, 4, 2), updated_at=now))
    _violates(
        lambda: CaseloadReturn.objects.create(team=team, month=datetime.date(2017, 5, 1), updated_at=now, status="x")
    )
    _violates(
        lambda: CaseloadReturn.objects.create(
            team=team, month=datetime.date(2017, 5, 1), updated_at=now, status="submitted"
        )
    )
    _violates(
        lambda: CaseloadReturn.objects.create(team=team, month=datetime.date(2017, 5, 1), updated_at=now, version=0)
    )
    _violates(
        lambda: CaseloadReturn.objects.create(
            team=team, month=datetime.date(2017, 5, 1), updated_at=now, submitted_at=now
        )
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"cases": -1},
        {"wte": Decimal("0.00")},
        {"wte": Decimal("1.01")},
        {"role": "manager"},
        {"employment": "contractor"},
        {"cases": 5, "cases_child_protection": 4, "cases_looked_after": 2},  # split more than the total
        {"cases": None, "cases_early_help": 1},
        {"cases": 5, "cases_child_in_need": -1},
    ],
)
def test_line_constraints(team, fields):
    worker = make_worker(team)
    caseload_return = make_return(team, MARCH_2017, [])
    values = {"role": "social_worker", "employment": "permanent", "wte": Decimal("1.00"), "cases": 3, **fields}
    _violates(lambda: CaseloadLine.objects.create(caseload_return=caseload_return, worker=worker, **values))


def test_one_line_per_worker_and_a_split_within_the_total_is_fine(team):
    worker = make_worker(team)
    caseload_return = make_return(team, MARCH_2017, [(worker, 5)])
    _violates(
        lambda: CaseloadLine.objects.create(
            caseload_return=caseload_return, worker=worker, role="asye", employment="permanent", wte=1, cases=1
        )
    )
    CaseloadLine.objects.filter(worker=worker).update(cases_child_protection=3, cases_looked_after=2)


def test_reopening_needs_a_reason_and_reminders_are_once_a_month(team, officer):
    caseload_return = make_return(team, MARCH_2017, [])
    _violates(
        lambda: ReturnReopening.objects.create(
            caseload_return=caseload_return, reopened_by=officer, reopened_at=timezone.now(), reason="  "
        )
    )
    ReminderSent.objects.create(manager=officer, month=MARCH_2017, sent_at=timezone.now(), teams="A")
    _violates(lambda: ReminderSent.objects.create(manager=officer, month=MARCH_2017, sent_at=timezone.now(), teams="B"))
