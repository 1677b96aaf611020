"""A real Celery worker is killed in the middle of building a committee pack (issue 12, finding 9).

The worker runs in its own process on the Redis broker and the PostgreSQL test database (CI has
both). Killing the pool process that builds is survived by acks_late + reject_on_worker_lost: the
task is handed back and resumed. Killing the whole worker leaves the build without a heartbeat:
within the timeout the pack page says it stopped and offers a retry, which a new worker completes.
Either way the files at the pack's final names are whole, and nothing half-built is served.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from perfsite.celery import app
from perfsite.roles import Role
from scorecards import pack_files
from scorecards.models import CommitteePack, PackStatus
from scorecards.packs import request_pack
from scorecards.publishing import publish
from tests.conftest import make_user
from tests.scorecards.conftest import Q4

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_TIMEOUT = 4

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI has both)",
    ),
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS = HEARTBEAT_TIMEOUT
    return tmp_path


@pytest.fixture
def workers(var_dir):
    """Starts worker processes sharing this test's database, broker and media; stops them all after."""
    started: list[subprocess.Popen] = []
    marker = var_dir / "slow-render-pid"

    def start(*options: str, slow: bool = False) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_DEBUG": "1",
            "PERFSITE_VAR_DIR": str(var_dir),
            "PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT_TIMEOUT),
        }
        env.pop("PACK_TEST_SLOW_ONCE", None)
        if slow:
            env["PACK_TEST_SLOW_ONCE"] = str(marker)
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.scorecards.pack_worker", *options],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    app.control.purge()
    start.marker = marker
    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _pack() -> CommitteePack | None:
    return CommitteePack.objects.select_related("scorecard").first()


def _building_the_pdf(marker: Path) -> int:
    pid = _wait_for(lambda: marker.exists() and marker.read_text(), 60, "the worker to start rendering the PDF")
    _wait_for(lambda: (p := _pack()) and p.status == PackStatus.BUILDING and p.progress == 15, 10, "progress 15%")
    return int(pid)


def _assert_whole_files(pack: CommitteePack) -> None:
    assert pack.status == PackStatus.READY and pack.progress == 100
    pdf = Path(pack.pdf.path).read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    openpyxl.load_workbook(io.BytesIO(Path(pack.xlsx.path).read_bytes()))
    leftovers = list(Path(pack.pdf.path).parent.glob(f"{pack_files.PARTIAL_PREFIX}*"))
    assert leftovers == []


@pytest.fixture
def published(small_scorecard, officer):
    return publish(quarter=Q4, user=officer)


def test_killing_the_process_that_builds_hands_the_task_back_and_it_completes(workers, published):
    workers("--pool", "prefork", "--concurrency", "1", slow=True)
    pack, queued = request_pack(scorecard=published, user=None)
    assert queued
    building_pid = _building_the_pdf(workers.marker)
    task_id = _pack().task_id
    os.kill(building_pid, signal.SIGKILL)  # the pool process dies mid-build; its parent lives

    pack = _wait_for(lambda: (p := _pack()) and p.status == PackStatus.READY and p, 90, "the pack to be rebuilt")
    assert pack.task_id == task_id  # the same task, redelivered and resumed
    _assert_whole_files(pack)


def test_a_killed_worker_is_seen_stopped_and_a_retry_completes_the_pack(workers, published, client):
    member = make_user("pack-member", Role.SCRUTINY_MEMBER)
    client.force_login(member)
    pack_url = reverse("scorecards:pack", kwargs={"quarter": Q4})
    status_url = reverse("scorecards:pack_status", kwargs={"quarter": Q4})

    worker = workers("--pool", "solo", slow=True)
    assert client.post(pack_url).status_code == 302
    assert _building_the_pdf(workers.marker) == worker.pid
    worker.kill()  # the whole worker dies: nobody hands the task back until the visibility timeout
    worker.wait()

    killed_at = time.monotonic()
    _wait_for(lambda: client.get(status_url).json()["status"] == "stopped", 30, "the build to be seen stopped")
    assert time.monotonic() - killed_at < 60
    page = client.get(pack_url).content.decode()
    assert "Building the pack stopped at 15%" in page and "Try again" in page
    pack = _pack()
    assert pack.pdf.name == "" and pack.xlsx.name == ""  # nothing half-written was recorded
    download = reverse("scorecards:pack_download", kwargs={"quarter": Q4, "version": 1, "fmt": "pdf"})
    assert client.get(download).status_code == 404

    workers("--pool", "solo")
    assert client.post(pack_url).status_code == 302
    status = _wait_for(lambda: (s := client.get(status_url).json())["status"] == "ready" and s, 90, "the retry")
    response = client.get(status["pdf"])
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    _assert_whole_files(_pack())
