"""A large upload is checked by a worker: the page answers at once, then shows the usual preview.

Uses the caseload return upload; the threshold is lowered so a small file counts as large.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError

from caseloads.models import CaseloadImportBatch, Worker
from perfsite import tabular
from perfsite.imports import background
from perfsite.imports.batches import BatchState, cancel_batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_in_process():
    """The queued check runs in this process (Celery's eager mode), with or without REDIS_URL: these
    tests are about what the check does; tests/perfsite/test_celery.py covers a real worker."""
    from perfsite.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


HEADER = "month,team,staff_number,worker_name,role,employment,wte,cases\n"
GOOD = (
    "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18\n"
    "2017-02,Assessment North,S2,Ben Bold,senior_practitioner,agency,0.6,24\n"
)
BAD = GOOD + "2017-02,Assessment North,S3,Cal Cole,manager,permanent,1.5,4\n"


def upload(client, content: str):
    file = SimpleUploadedFile("caseloads.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("caseloads:import_upload", args=["returns"]), {"file": file})


def checked_at_once(client, settings, content: str) -> CaseloadImportBatch:
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 1024 * 1024
    upload(client, content)
    return CaseloadImportBatch.objects.latest("pk")


@pytest.mark.parametrize(("content", "state"), [(GOOD, BatchState.PREVIEWED), (BAD, BatchState.REJECTED)])
def test_a_large_upload_answers_at_once_and_the_worker_finds_what_the_request_would(
    client, officer, settings, django_capture_on_commit_callbacks, content, state
):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    with django_capture_on_commit_callbacks() as queued:
        preview_url = upload(client, HEADER + content)["Location"]
    batch = CaseloadImportBatch.objects.get()
    assert batch.state == BatchState.CHECKING and batch.preview == {} and len(queued) == 1
    page = client.get(preview_url).content.decode()
    assert "Checking your file" in page and "Waiting for the check to start" in page
    assert "Confirm and import" not in page and "js/import-progress.mjs" in page
    assert client.get(preview_url + "progress/").json() == {"state": "checking", "rows_read": 0, "not_queued": False}

    queued[0]()  # the commit hook queues the task; eager without a broker, as in production without Redis
    batch.refresh_from_db()
    assert batch.state == state
    assert batch.preview == checked_at_once(client, settings, HEADER + content).preview
    assert client.get(preview_url + "progress/").json()["state"] == state
    assert "Checking your file" not in client.get(preview_url).content.decode()
    assert not Worker.objects.exists()


def test_a_small_upload_is_still_checked_in_the_request(client, officer, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, HEADER + GOOD)
    assert CaseloadImportBatch.objects.get().state == BatchState.PREVIEWED and not queued


def test_a_broker_outage_leaves_the_upload_to_try_again(
    client, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10

    def refuse(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(background.check_upload_batch, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        preview_url = upload(client, HEADER + GOOD)["Location"]
    page = client.get(preview_url).content.decode()
    assert "The file could not be sent for checking" in page and "Try again" in page
    assert client.get(preview_url + "progress/").json()["not_queued"] is True
    assert CaseloadImportBatch.objects.get().state == BatchState.CHECKING

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(preview_url + "check/")["Location"] == preview_url
    assert CaseloadImportBatch.objects.get().state == BatchState.PREVIEWED
    assert "Nothing is saved until you confirm" in client.get(preview_url).content.decode()


def test_the_task_run_twice_changes_nothing_and_skips_a_cancelled_upload(client, officer, settings):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    upload(client, HEADER + GOOD)
    upload(client, HEADER + GOOD)
    first, second = CaseloadImportBatch.objects.order_by("pk")
    label = first._meta.label
    assert background.check_upload_batch(label, first.pk) is True
    first.refresh_from_db()
    kept = (first.state, first.preview)
    assert background.check_upload_batch(label, first.pk) is False
    first.refresh_from_db()
    assert (first.state, first.preview) == kept
    cancel_batch(batch=second)
    assert background.check_upload_batch(label, second.pk) is False
    assert CaseloadImportBatch.objects.get(pk=second.pk).state == BatchState.CANCELLED
    assert background.check_upload_batch(label, 10_000) is False


def test_a_file_still_being_checked_cannot_be_confirmed(client, officer, settings):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    preview_url = upload(client, HEADER + GOOD)["Location"]
    page = client.post(preview_url + "confirm/", follow=True).content.decode()
    assert "still being checked" in page
    assert CaseloadImportBatch.objects.get().state == BatchState.CHECKING and not Worker.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "manager", "member", "outsider"])
def test_only_officers_see_or_retry_a_check(client, officer, request, settings, who):
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    client.force_login(officer)
    preview_url = upload(client, HEADER + GOOD)["Location"]
    client.logout()
    assert client.get(preview_url + "progress/")["Location"].startswith(reverse("login"))
    client.force_login(request.getfixturevalue(who))
    assert client.get(preview_url).status_code == 403
    assert client.get(preview_url + "progress/").status_code == 403
    assert client.post(preview_url + "check/").status_code == 403
    assert CaseloadImportBatch.objects.get().state == BatchState.CHECKING


def test_the_reader_reports_the_rows_read_as_it_goes():
    csv = "a,b\n" + "".join(f"{n},x\n" for n in range(1, 1201))
    heard = []
    table = tabular.read_table(csv.encode(), filename="big.csv", on_row=heard.append)
    assert len(table.rows) == 1200 and heard == [500, 1000]


def test_the_checking_page_shows_the_rows_read_so_far(client, officer, settings):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    preview_url = upload(client, HEADER + GOOD)["Location"]
    batch = CaseloadImportBatch.objects.get()
    cache.set(background.progress_key(batch), 1499)
    assert "1499 rows read so far" in client.get(preview_url).content.decode()
    assert client.get(preview_url + "progress/").json()["rows_read"] == 1499
    cache.delete(background.progress_key(batch))


def test_a_check_not_done_within_the_time_limit_can_be_tried_again(
    client, officer, settings, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    settings.PERFSITE_IMPORT_BACKGROUND_BYTES = 10
    with django_capture_on_commit_callbacks():  # no worker takes it
        preview_url = upload(client, HEADER + GOOD)["Location"]
    assert "Try again" not in client.get(preview_url).content.decode()
    settings.CELERY_TASK_TIME_LIMIT = 0
    page = client.get(preview_url).content.decode()
    assert "taking much longer than it should" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(preview_url + "check/")
    assert CaseloadImportBatch.objects.get().state == BatchState.PREVIEWED
