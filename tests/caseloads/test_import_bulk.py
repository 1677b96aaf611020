"""import_caseloads writes in bulk: queries that do not grow with the file, history in bulk, one recompute."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseloads.computed import AVERAGE_CODE, OVER_CODE
from caseloads.models import CaseloadLine, CaseloadReturn, ReturnStatus, ServiceArea, Team, Worker
from caseloads.services import imports
from caseloads.services.imports import import_file
from tests.caseloads.conftest import make_return, make_team, make_worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HEADER = "month,team,staff_number,worker_name,role,employment,wte,cases"
TODAY = datetime.date(2018, 1, 15)


def csv_file(*, teams: int, workers: int, months: int, cases=lambda n, m: 10 + (n + m) % 15) -> bytes:
    """``workers`` on each of ``teams`` teams, a line each for ``months`` months from April 2017."""
    lines = [HEADER]
    for m in range(months):
        for t in range(teams):
            for w in range(workers):
                n = t * workers + w
                lines.append(
                    f"2017-{4 + m:02d},Assessment {t},S{n},Worker {n},social_worker,permanent,1.00,{cases(n, m)}"
                )
    return ("\n".join(lines) + "\n").encode()


def run(data: bytes, **kwargs):
    result = import_file(data, filename="returns.csv", today=TODAY, **kwargs)
    assert not result.errors, result.errors
    return result


def queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(data)
    return len(captured)


@pytest.mark.parametrize(
    "step",
    ["new", "unchanged", "changed"],
)
def test_the_queries_of_an_import_do_not_grow_with_its_rows(step):
    """2 teams x 2 workers x 2 months (8 rows) against 3 teams x 4 workers x 4 months (48 rows).

    Both sizes fit one of SQLite's multi-row inserts (at most 999 values); on PostgreSQL each table
    is one COPY whatever the size (scripts/bench_scale.py counts them at 100,000 rows).
    """
    counted = []
    for sizes in ({"teams": 2, "workers": 2, "months": 2}, {"teams": 3, "workers": 4, "months": 4}):
        CaseloadLine.objects.all().delete()
        CaseloadReturn.objects.all().delete()
        Worker.objects.all().delete()
        Team.objects.all().delete()
        first = csv_file(**sizes)
        if step == "new":
            counted.append(queries(first))
            continue
        run(first)
        again = first if step == "unchanged" else csv_file(**sizes, cases=lambda n, m: 11 + (n + m) % 15)
        counted.append(queries(again))
    assert counted[0] == counted[1]


def test_a_file_over_many_months_queues_one_recompute_of_the_months_it_changed(
    queued_recomputes, django_capture_on_commit_callbacks
):
    data = csv_file(teams=3, workers=2, months=3)
    with django_capture_on_commit_callbacks(execute=True):
        run(data)
    assert queued_recomputes == [((AVERAGE_CODE, OVER_CODE), ("2017-04-01", "2017-05-01", "2017-06-01"))]

    queued_recomputes.clear()
    changed = data.replace(
        b"2017-05,Assessment 1,S2,Worker 2,social_worker,permanent,1.00,",
        b"2017-05,Assessment 1,S2,Worker 2,social_worker,permanent,0.50,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = run(changed)
    assert queued_recomputes == [((AVERAGE_CODE, OVER_CODE), ("2017-05-01",))]
    assert (result.counts["returns_changed"], result.counts["returns_unchanged"]) == (1, 8)


def test_every_new_changed_and_removed_line_has_one_history_row_by_the_importer():
    officer = make_user("bulk-officer")
    team = make_team("Assessment 0")
    leaver = make_worker(team, name="Leaver", staff_number="S99")
    make_return(team, datetime.date(2017, 4, 1), [(leaver, 7)], submitted=False)
    result = run(csv_file(teams=1, workers=3, months=1), user=officer)
    assert result.counts["returns_changed"] == 1

    april = CaseloadReturn.objects.get(team=team, month=datetime.date(2017, 4, 1))
    assert sorted(april.lines.values_list("worker__staff_number", flat=True)) == ["S0", "S1", "S2"]
    history = CaseloadLine.history.filter(history_user=officer, history_change_reason="Imported")
    assert sorted(history.values_list("history_type", "worker__staff_number")) == [
        ("+", "S0"),
        ("+", "S1"),
        ("+", "S2"),
        ("-", "S99"),
    ]
    removed = history.get(history_type="-")
    assert (removed.cases, removed.caseload_return_id) == (7, april.pk)  # the line as it was
    returned = april.history.filter(history_user=officer).get()
    assert (returned.history_type, returned.status, returned.version) == ("~", ReturnStatus.SUBMITTED, 2)
    assert Worker.history.filter(history_type="+", history_change_reason="Imported").count() == 3


def test_a_draft_is_submitted_and_a_submitted_return_replaced_through_the_lifecycle():
    team = make_team("Assessment 0")
    worker = make_worker(team, name="Worker 0", staff_number="S0")
    make_return(team, datetime.date(2017, 4, 1), [(worker, 3)], submitted=False)
    submitted = make_return(team, datetime.date(2017, 5, 1), [(worker, 3)])
    first_submitted = submitted.first_submitted_at
    run(csv_file(teams=1, workers=1, months=2))

    draft_now, replaced = CaseloadReturn.objects.filter(team=team).order_by("month")
    assert (draft_now.status, draft_now.version) == (ReturnStatus.SUBMITTED, 2)
    assert draft_now.submitted_at is not None and draft_now.first_submitted_at == draft_now.submitted_at
    assert (replaced.status, replaced.version) == (ReturnStatus.SUBMITTED, 2)
    assert replaced.first_submitted_at == first_submitted  # its workers were fixed at its first submission


def test_a_team_someone_else_creates_meanwhile_refuses_the_whole_file(monkeypatch):
    """Between the check and the write another officer adds a team of the same name: nothing is written."""
    checked = imports._check_not_on_other_teams

    def meanwhile(rows):
        checked(rows)
        Team.objects.create(name="Assessment 1", service_area=ServiceArea.ASSESSMENT)

    monkeypatch.setattr(imports, "_check_not_on_other_teams", meanwhile)
    result = import_file(csv_file(teams=2, workers=2, months=1), filename="returns.csv", today=TODAY)
    assert [str(problem) for problem in result.errors] == [imports.RACED]
    assert not result.applied
    assert (Team.objects.count(), Worker.objects.count(), CaseloadReturn.objects.count()) == (0, 0, 0)
