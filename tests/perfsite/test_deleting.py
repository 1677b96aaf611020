"""Bulk deletes of the imports (perfsite.imports.deleting): rows gone, one "-" history row each, fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import Case
from caseloads.models import Team
from perfsite.imports.deleting import delete_with_history
from tests.conftest import make_user


@pytest.fixture
def team(db):
    return Team.objects.create(name="North", service_area="safeguarding")


def cases(team, count):
    return [
        Case.objects.create(case_ref=f"DEL-{n:04d}", case_type="cin", team=team, opened_on=datetime.date(2016, 1, 1))
        for n in range(count)
    ]


def test_deleted_rows_leave_a_history_row_each_as_they_were(team):
    officer = make_user("bulk-officer")
    made = cases(team, 3)
    assert delete_with_history(made[:2], Case, default_user=officer, reason="Imported") == 2
    assert list(Case.objects.values_list("case_ref", flat=True)) == ["DEL-0002"]
    gone = Case.history.filter(history_type="-").order_by("case_ref")
    assert [(h.case_ref, h.id, h.team_id, h.history_user_id, h.history_change_reason) for h in gone] == [
        (made[0].case_ref, made[0].pk, team.pk, officer.pk, "Imported"),
        (made[1].case_ref, made[1].pk, team.pk, officer.pk, "Imported"),
    ]


@pytest.mark.parametrize("count", [2, 20])
def test_two_statements_whatever_the_number_of_rows(team, count):
    made = cases(team, count)
    with CaptureQueriesContext(connection) as captured:
        delete_with_history(made, Case)
    assert len(captured) == 2 and not Case.objects.exists()


def test_nothing_to_delete_costs_nothing(db):
    with CaptureQueriesContext(connection) as captured:
        assert delete_with_history([], Case) == 0
    assert len(captured) == 0
