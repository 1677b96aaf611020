"""The embedded default runs background work in the background (issue 10 part 2): without Redis,
`manage.py demo` serves with a real Celery worker beside the web server on kombu's filesystem
transport, and a task queued by the web side is run by that worker, not in the request."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from perfsite.management.commands.demo import stop_processes, worker_command

pytestmark = pytest.mark.slow

QUEUE_FROM_THE_WEB_SIDE = """
import django
django.setup()
from django.conf import settings
assert not settings.CELERY_TASK_ALWAYS_EAGER and settings.CELERY_BROKER_URL == "filesystem://"
from perfsite.tasks import ping
print(ping.delay(41).get(timeout=60))
"""


def embedded_env(var_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return env | {
        "DJANGO_SETTINGS_MODULE": "perfsite.settings",
        "DJANGO_DEBUG": "1",
        "PERFSITE_VAR_DIR": str(var_dir),
        "PERFSITE_EMBEDDED_WORKER": "1",
    }


def test_a_task_queued_by_the_web_side_is_run_by_the_embedded_worker(tmp_path):
    env = embedded_env(tmp_path)
    worker = subprocess.Popen(
        worker_command(tmp_path / "beat-schedule"),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        queued = subprocess.run(
            [sys.executable, "-c", QUEUE_FROM_THE_WEB_SIDE],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert queued.returncode == 0, queued.stderr[-3000:]
        assert queued.stdout.strip() == "42"
        assert worker.poll() is None  # the worker ran it and is still waiting for work
    finally:
        stop_processes([worker], timeout=30)
    assert worker.returncode is not None


def test_without_the_switch_tasks_stay_in_process(settings):
    """Commands (imports, the demo's loading) and the test suite keep eager tasks: no worker needed."""
    if settings.REDIS_URL:
        pytest.skip("with REDIS_URL, Celery always uses Redis")
    assert settings.PERFSITE_EMBEDDED_WORKER is False
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


SHARED_CACHE = """
import django
django.setup()
from django.core.cache import cache
print(cache.get("perfsite:test:shared") or "")
cache.set("perfsite:test:shared", "seen")
"""


def test_the_web_server_and_the_worker_share_one_cache(tmp_path):
    """What the worker writes to the cache (an upload's rows read) the web process can read."""
    env = embedded_env(tmp_path)
    run = [sys.executable, "-c", SHARED_CACHE]
    first = subprocess.run(run, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    second = subprocess.run(run, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert (first.stdout.strip(), second.stdout.strip()) == ("", "seen")
