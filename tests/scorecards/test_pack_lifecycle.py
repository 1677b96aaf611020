"""The committee pack's lifecycle (queued -> building -> ready | failed), its heartbeat and its atomic files.

A build whose worker died is seen within a minute as stopped, and the user can retry it with a clear
message; a redelivered task resumes its own build; a build taken over by another stops without
writing; no half-written file is ever at a pack's final name.
"""

from __future__ import annotations

import ast
import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from perfsite.celery import app
from perfsite.lifecycle import InvalidTransition
from scorecards import pack_files
from scorecards.models import PACK_LIFECYCLE, CommitteePack, PackStatus
from scorecards.packs import LOST_MESSAGE, build_pack, pack_is_lost, request_pack
from scorecards.publishing import publish
from tests.scorecards.conftest import Q4

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(small_scorecard, officer):
    return publish(quarter=Q4, user=officer)


def _pack(published, **fields) -> CommitteePack:
    now = timezone.now()
    defaults = {"status": PackStatus.QUEUED, "requested_at": now, "snapshot_sha256": published.sha256}
    return CommitteePack.objects.create(scorecard=published, **{**defaults, **fields})


def _ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("transition", "current", "allowed"),
    [
        ("start", PackStatus.QUEUED, True),
        ("start", PackStatus.BUILDING, False),
        ("finish", PackStatus.BUILDING, True),
        ("finish", PackStatus.QUEUED, False),
        ("fail", PackStatus.BUILDING, True),
        ("fail", PackStatus.READY, False),
        ("retry", PackStatus.FAILED, True),
        ("retry", PackStatus.READY, False),
        ("retry", PackStatus.BUILDING, False),
        ("rebuild", PackStatus.READY, True),
        ("lose", PackStatus.BUILDING, True),
        ("lose", PackStatus.READY, False),
    ],
)
def test_the_pack_lifecycle_table(transition, current, allowed):
    if allowed:
        assert PACK_LIFECYCLE.next_status(transition, current) in PackStatus.values
    else:
        with pytest.raises(InvalidTransition):
            PACK_LIFECYCLE.next_status(transition, current)


def test_the_database_refuses_a_status_outside_the_lifecycle(published):
    pack = _pack(published)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteePack.objects.filter(pk=pack.pk).update(status="halfway")


def test_a_build_seen_stopped_within_a_minute_is_offered_again_with_a_clear_message(
    client, published, member, django_capture_on_commit_callbacks
):
    assert settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS <= 60
    timeout = settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS
    pack = _pack(published, status=PackStatus.BUILDING, progress=15, step="Writing the PDF", started_at=_ago(120),
                 heartbeat_at=_ago(timeout + 1), task_id="dead-worker-task")  # fmt: skip
    client.force_login(member)
    status = client.get(reverse("scorecards:pack_status", kwargs={"quarter": Q4})).json()
    assert status["status"] == "stopped"
    page = client.get(reverse("scorecards:pack", kwargs={"quarter": Q4})).content.decode()
    assert "Building the pack stopped at 15%: the server building it stopped answering." in page
    assert "Try again" in page

    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.post(reverse("scorecards:pack", kwargs={"quarter": Q4}))
    assert response.status_code == 302 and len(sent) == 1
    pack.refresh_from_db()
    # In-process (no REDIS_URL) the retry builds at once; on a broker it waits for a worker.
    assert pack.status == (PackStatus.READY if app.conf.task_always_eager else PackStatus.QUEUED)
    assert pack.task_id != "dead-worker-task"


def test_a_live_build_is_not_offered_again(client, published, member):
    pack = _pack(published, status=PackStatus.BUILDING, started_at=_ago(600), heartbeat_at=_ago(1), task_id="alive")
    assert not pack_is_lost(pack)
    _, queued = request_pack(scorecard=published, user=member)
    assert not queued
    client.force_login(member)
    assert client.get(reverse("scorecards:pack_status", kwargs={"quarter": Q4})).json()["status"] == "building"


def test_retrying_a_lost_build_records_why_it_was_abandoned(
    published, member, monkeypatch, django_capture_on_commit_callbacks
):
    pack = _pack(published, status=PackStatus.BUILDING, started_at=_ago(600), heartbeat_at=_ago(600), task_id="gone")
    history = []
    original_save = CommitteePack.save

    def recording_save(self, *args, **kwargs):
        history.append((self.status, self.error))
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(CommitteePack, "save", recording_save)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, queued = request_pack(scorecard=published, user=member)
    assert queued and len(callbacks) == 1  # the build is sent once the retry commits
    assert history == [(PackStatus.FAILED, LOST_MESSAGE), (PackStatus.QUEUED, "")]
    pack.refresh_from_db()
    assert (pack.status, pack.heartbeat_at, pack.task_id) == (PackStatus.QUEUED, None, "")


def test_a_redelivered_task_resumes_its_own_build(published):
    pack = _pack(published, status=PackStatus.BUILDING, started_at=_ago(5), heartbeat_at=_ago(1), task_id="task-1")
    assert build_pack(pack.pk, task_id="task-2") == "busy"  # another build is alive: left alone
    pack.refresh_from_db()
    assert (pack.status, pack.task_id) == (PackStatus.BUILDING, "task-1")
    assert build_pack(pack.pk, task_id="task-1") == "built"  # acks_late redelivered the same task
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.progress == 100


def test_a_build_taken_over_stops_without_marking_the_pack(published, monkeypatch):
    pack = _pack(published)
    import scorecards.pack_pdf

    real_render = scorecards.pack_pdf.render_pdf

    def render_while_taken_over(snapshot, meta, **options):
        # While this build renders, its heartbeat is presumed dead and another build claims the pack.
        CommitteePack.objects.filter(pk=pack.pk).update(task_id="the-other-build", heartbeat_at=timezone.now())
        return real_render(snapshot, meta, **options)

    monkeypatch.setattr(scorecards.pack_pdf, "render_pdf", render_while_taken_over)
    assert build_pack(pack.pk, task_id="first") == "superseded"
    pack.refresh_from_db()
    assert (pack.status, pack.task_id, pack.pdf.name) == (PackStatus.BUILDING, "the-other-build", "")


def test_a_failing_build_is_marked_failed_with_its_error(published, monkeypatch):
    pack = _pack(published)

    def broken(snapshot, meta):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("scorecards.pack_xlsx.render_xlsx", broken)
    assert build_pack(pack.pk, task_id="t") == "failed"
    pack.refresh_from_db()
    assert (pack.status, pack.error, pack.pdf.name) == (PackStatus.FAILED, "no fonts", "")


def test_a_write_interrupted_midway_leaves_the_previous_file_whole_and_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "packs" / "pack.pdf"
    pack_files.write_atomically(target, b"%PDF-the whole previous pack")

    def killed(fd):
        raise OSError("worker killed while writing")

    monkeypatch.setattr(os, "fsync", killed)
    with pytest.raises(OSError):
        pack_files.write_atomically(target, b"%PDF-half")
    assert target.read_bytes() == b"%PDF-the whole previous pack"
    assert sorted(p.name for p in target.parent.iterdir()) == ["pack.pdf"]


def test_a_build_sweeps_partial_files_left_by_a_killed_worker(published, settings):
    pack = _pack(published)
    folder = Path(settings.MEDIA_ROOT) / "scorecards" / "packs" / Q4.slug / "v1"
    folder.mkdir(parents=True)
    (folder / f"{pack_files.PARTIAL_PREFIX}abc.pdf").write_bytes(b"%PDF-half")
    assert build_pack(pack.pk) == "built"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"children-scorecard-{Q4.slug}-v1.pdf", f"children-scorecard-{Q4.slug}-v1.xlsx"]


def test_the_pack_task_acknowledges_late_and_the_broker_waits_longer_than_any_task():
    app.loader.import_default_modules()
    task = app.tasks["scorecards.tasks.build_committee_pack"]
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_packs_and_tasks_do_not_import_each_other():
    assert "scorecards.tasks" not in _imported_modules(ROOT / "scorecards" / "packs.py")
    assert "scorecards.packs" in _imported_modules(ROOT / "scorecards" / "tasks.py")


def test_a_pack_no_worker_picked_up_is_offered_again(client, published, member):
    timeout = settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS
    _pack(published, status=PackStatus.QUEUED, requested_at=_ago(timeout + 1))
    client.force_login(member)
    page = client.get(reverse("scorecards:pack", kwargs={"quarter": Q4})).content.decode()
    assert "No server has started building the pack. Try again" in page


def test_a_broker_that_refuses_the_build_leaves_the_pack_queued_not_an_error(
    client, published, member, monkeypatch, django_capture_on_commit_callbacks
):
    task = app.tasks["scorecards.tasks.build_committee_pack"]

    def refused(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(task, "delay", refused)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scorecards:pack", kwargs={"quarter": Q4}))
    assert response.status_code == 302
    assert CommitteePack.objects.get().status == PackStatus.QUEUED
