"""import_audit_results writes in bulk: queries that do not grow with the file, history in bulk, one recompute."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import lifecycle
from audits.choices import AuditStatus, Grade, RoundKind
from audits.computed import GOOD_OR_ABOVE_CODE
from audits.imports import results
from audits.imports.results import import_audit_results
from audits.lifecycle import Transition, TransitionRefused
from audits.models import Audit, AuditImportBatch, AuditRound, Case, Moderation
from perfsite.imports.batches import BatchState
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
HEADER = "case_ref,team,case_type,quarter,overall_grade,moderated_grade,completed_on"
# (quarter, a day in it), oldest first
QUARTERS = [("2015-16-q1", "2015-05-10"), ("2015-16-q2", "2015-08-10"), ("2015-16-q3", "2015-11-10")]
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]


def results_file(count: int, *, quarters: int = 2, shift: int = 0) -> bytes:
    """``count`` cases with a result in each of the first ``quarters`` quarters, two in three moderated.

    Shifted by one, every grade changes, and of every three cases one moderation is added, one
    changed and one dropped.
    """
    lines = [HEADER]
    for q, (quarter, day) in enumerate(QUARTERS[:quarters]):
        for n in range(count):
            grade = GRADES[(n + q + shift) % 4]
            moderated = GRADES[(n + shift) % 4] if (n + shift) % 3 else ""
            lines.append(f"C-{n:06d},North,cin,{quarter},{grade},{moderated},{day}")
    return ("\n".join(lines) + "\n").encode()


def run(data: bytes, **kwargs):
    result = import_audit_results(data, filename="results.csv", **kwargs)
    assert not result.errors, result.errors
    return result


def queries(data: bytes) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(data)
    return len(captured)


@pytest.fixture
def north(build):
    return build.team("North")


@pytest.mark.parametrize("step", ["new", "unchanged", "changed"])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(north, step):
    """6 results (3 cases x 2 quarters) against 30 (15 x 2), within one of SQLite's multi-row inserts
    (at most 999 values); on PostgreSQL each table is one COPY whatever the size."""
    counted = []
    for count in (3, 15):
        Moderation.objects.all().delete()
        Audit.objects.all().delete()
        AuditRound.objects.all().delete()
        Case.objects.all().delete()
        first = results_file(count)
        if step == "new":
            counted.append(queries(first))
            continue
        run(first)
        counted.append(queries(first if step == "unchanged" else results_file(count, shift=1)))
    assert counted[0] == counted[1]


def test_a_file_over_many_quarters_queues_one_recompute(north, queued_recomputes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(results_file(5, quarters=3))
    assert queued_recomputes == [((GOOD_OR_ABOVE_CODE,), ("2015-05-10", "2015-08-10", "2015-11-10"))]

    queued_recomputes.clear()
    moved = b"\n".join(
        line.replace(b"2015-08-10", b"2015-09-30") if line.startswith(b"C-000002,North,cin,2015-16-q2,") else line
        for line in results_file(5, quarters=3).split(b"\n")
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = run(moved)
    # The day it counted on and the day it counts on now, in one task for the file.
    assert queued_recomputes == [((GOOD_OR_ABOVE_CODE,), ("2015-08-10", "2015-09-30"))]
    assert (result.counts["updated"], result.counts["unchanged"]) == (1, 14)


def test_every_write_has_one_history_row_by_the_importer(north):
    officer = make_user("bulk-officer")
    run(results_file(3, quarters=1), user=officer)
    assert (
        sorted(Audit.history.filter(history_user=officer).values_list("history_type", "history_change_reason"))
        == [("+", "Imported")] * 3
    )
    assert Case.history.filter(history_type="+", history_user=officer).count() == 3
    assert AuditRound.history.filter(history_type="+", history_user=officer).count() == 1
    assert Moderation.history.filter(history_type="+", history_user=officer).count() == 2  # C-000001 and 2

    result = run(results_file(3, quarters=1, shift=1), user=officer)
    assert result.counts == {"created": 0, "updated": 3, "unchanged": 0}
    assert Audit.history.filter(history_type="~", history_change_reason="Re-imported").count() == 3
    moderations = Moderation.history.filter(history_user=officer).exclude(
        history_type="+", audit__case__case_ref__in=["C-000001", "C-000002"]
    )
    assert sorted(moderations.values_list("history_type", "audit__case__case_ref", "grade")) == [
        ("+", "C-000000", Grade.GOOD),
        ("-", "C-000002", Grade.REQUIRES_IMPROVEMENT),  # as it was
        ("~", "C-000001", Grade.REQUIRES_IMPROVEMENT),
    ]
    assert sorted(Moderation.objects.values_list("audit__case__case_ref", "grade")) == [
        ("C-000000", Grade.GOOD),
        ("C-000001", Grade.REQUIRES_IMPROVEMENT),
    ]


def test_results_are_recorded_closed_in_the_quarters_historic_round(north):
    run(results_file(2, quarters=2))
    assert set(Audit.objects.values_list("status", "round__kind", "auditor")) == {
        (AuditStatus.CLOSED, RoundKind.HISTORIC, None)
    }
    assert sorted(AuditRound.objects.values_list("quarter", "title")) == [
        ("2015-16-q1", results.HISTORIC_TITLE),
        ("2015-16-q2", results.HISTORIC_TITLE),
    ]


def test_each_result_is_recorded_through_the_lifecycle_and_a_refusal_writes_nothing(north, monkeypatch):
    """The record transition's guards are asked of every planned audit, as a single save would ask them."""
    asked = []

    def refuse_the_third(audit):
        asked.append(audit.case.case_ref)
        return "refused here" if len(asked) == 3 else None

    monkeypatch.setitem(lifecycle.GUARDS, Transition.RECORD, (refuse_the_third,))
    with pytest.raises(TransitionRefused, match="refused here"):
        import_audit_results(results_file(3, quarters=1), filename="results.csv")
    assert asked == ["C-000000", "C-000001", "C-000002"]
    assert not Audit.objects.exists() and not Case.objects.exists()


def test_a_case_someone_else_creates_meanwhile_refuses_the_whole_file(north, monkeypatch):
    """After the cases were looked up, another officer's case list adds one of them: nothing is written."""
    planned = results._plan

    def meanwhile(item, *args, **kwargs):
        if not Case.objects.filter(case_ref="C-000001").exists():
            Case.objects.create(case_ref="C-000001", case_type="cin", team=north)
        return planned(item, *args, **kwargs)

    monkeypatch.setattr(results, "_plan", meanwhile)
    result = import_audit_results(results_file(3, quarters=1), filename="results.csv")
    assert [str(problem) for problem in result.errors] == [results.RACED]
    assert not Audit.objects.exists() and not Case.objects.exists()


def test_a_large_results_upload_is_checked_by_a_worker_then_confirmed(
    client, officer, north, settings, django_capture_on_commit_callbacks
):
    from perfsite.celery import app

    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    file = SimpleUploadedFile("results.csv", results_file(4), content_type="text/csv")
    with django_capture_on_commit_callbacks() as queued:
        preview_url = client.post(reverse("audits:import_upload", args=["results"]), {"file": file})["Location"]
    batch = AuditImportBatch.objects.get()
    assert batch.state == BatchState.CHECKING and len(queued) == 1
    assert "Checking your file" in client.get(preview_url).content.decode()

    saved, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        queued[0]()
    finally:
        app.conf.task_always_eager = saved
    batch.refresh_from_db()
    assert batch.state == BatchState.PREVIEWED and not Audit.objects.exists()
    assert "8 result(s) created" in client.get(preview_url).content.decode()
    client.post(reverse("audits:import_confirm", args=[batch.pk]))
    assert Audit.objects.count() == 8 and Audit.history.filter(history_user=officer).count() == 8
