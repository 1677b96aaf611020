"""The caseload return's declared lifecycle: every transition from every state, and every writer through it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

import caseloads.services.returns as return_services
from caseloads.lifecycle import RETURN_LIFECYCLE, InvalidTransition, ReturnStatus, Transition, reopen, submit
from caseloads.models import CaseloadReturn
from perfsite import lifecycle
from tests.caseloads.conftest import MARCH_2017, make_return, make_worker

D, S = ReturnStatus.DRAFT, ReturnStatus.SUBMITTED
ALLOWED = {
    (Transition.SAVE_FIGURES, D): D,
    (Transition.SUBMIT, D): S,
    (Transition.REOPEN, S): D,
    (Transition.REPLACE, S): S,
}


@pytest.mark.parametrize(("transition", "status"), [(t, s) for t in Transition for s in ReturnStatus])
def test_every_transition_from_every_state(transition, status):
    expected = ALLOWED.get((transition, status))
    assert RETURN_LIFECYCLE.can(transition, status) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition, match=f"A caseload return cannot {transition.value} when it is"):
            RETURN_LIFECYCLE.next_status(transition, status)
    else:
        assert RETURN_LIFECYCLE.next_status(transition, status) == expected


def test_there_is_one_invalid_transition():
    assert InvalidTransition is lifecycle.InvalidTransition
    assert return_services.InvalidTransition is lifecycle.InvalidTransition
    assert not issubclass(InvalidTransition, return_services.ReturnError)


def test_submit_and_reopen_keep_the_submission_fields_with_the_status():
    at = timezone.now()
    draft = CaseloadReturn(month=MARCH_2017)
    submit(draft, user=None, at=at)
    assert (draft.status, draft.submitted_at, draft.first_submitted_at) == (S, at, at)
    with pytest.raises(InvalidTransition):
        submit(draft, user=None, at=at)
    reopen(draft)
    assert (draft.status, draft.submitted_at, draft.submitted_by, draft.first_submitted_at) == (D, None, None, at)
    with pytest.raises(InvalidTransition):
        reopen(draft)


@pytest.mark.django_db
def test_the_database_refuses_a_status_outside_the_lifecycle(team):
    caseload_return = make_return(team, MARCH_2017, [], submitted=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadReturn.objects.filter(pk=caseload_return.pk).update(status="approved")


@pytest.mark.django_db
def test_an_import_over_a_submitted_return_is_a_declared_replace(tmp_path, team, queued_recomputes):
    worker = make_worker(team, staff_number="S1")
    submitted = make_return(team, MARCH_2017, [(worker, 3)], submitted=True)
    first = submitted.first_submitted_at
    path = tmp_path / "caseloads.csv"
    path.write_text(
        "month,team,staff_number,worker_name,role,employment,wte,cases\n"
        f"2017-03,{team.name},S1,{worker.name},social_worker,permanent,1,5\n",
        encoding="utf-8",
    )
    call_command("import_caseloads", str(path))
    submitted.refresh_from_db()
    assert submitted.status == S and submitted.lines.get().cases == 5
    assert submitted.first_submitted_at == first  # the workers stay fixed from the first submission
    assert submitted.history.first().history_change_reason == "Imported"
