"""Bulk writes of the imports (perfsite.imports.copying): rows and one history row each, on either database."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from audits.models import Case
from caseloads.models import Team
from perfsite.imports import copy_create_with_history, copy_update_with_history
from tests.conftest import make_user


@pytest.fixture
def team(db):
    return Team.objects.create(name="North", service_area="safeguarding")


def cases(team, count, *, prefix="BULK"):
    return [
        Case(case_ref=f"{prefix}-{n:04d}", case_type="cin", team=team, opened_on=datetime.date(2016, 1, 1 + n))
        for n in range(count)
    ]


def test_created_rows_get_keys_and_a_history_row_each(team):
    officer = make_user("bulk-officer")
    made = cases(team, 3)
    made[0]._change_reason = "From the extract"
    copy_create_with_history(made, Case, default_user=officer)
    assert [c.pk for c in made] == list(Case.objects.order_by("pk").values_list("pk", flat=True))
    history = Case.history.order_by("case_ref")
    assert [(h.case_ref, h.history_type, h.history_user_id) for h in history] == [
        (f"BULK-{n:04d}", "+", officer.pk) for n in range(3)
    ]
    assert history.first().history_change_reason == "From the extract"


def test_updated_rows_change_only_the_named_fields_with_a_history_row_each(team):
    officer = make_user("bulk-officer")
    made = cases(team, 3)
    copy_create_with_history(made, Case, default_user=officer)
    for case in made[:2]:
        case.case_type = "cp"
        case.case_ref = "NOT-WRITTEN"  # not a named field: stays as stored
    copy_update_with_history(made[:2], Case, ["case_type"], default_user=officer)
    assert list(Case.objects.order_by("pk").values_list("case_ref", "case_type")) == [
        ("BULK-0000", "cp"),
        ("BULK-0001", "cp"),
        ("BULK-0002", "cin"),
    ]
    assert Case.history.filter(history_type="~", history_user=officer).count() == 2


def test_a_clash_with_a_stored_key_raises_and_writes_nothing(team):
    Case.objects.create(case_ref="BULK-0001", case_type="cin", team=team, opened_on=datetime.date(2016, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_create_with_history(cases(team, 3), Case)
    assert Case.objects.count() == 1 and not Case.history.filter(history_type="+", case_ref="BULK-0000").exists()
