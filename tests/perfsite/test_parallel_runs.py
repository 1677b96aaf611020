"""Parallel test runs (pytest-xdist): each worker process has its own Redis database and media folder."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from perfsite.celery import app
from tests.conftest import redis_url_for_xdist_worker


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379/0", "gw1", "redis://127.0.0.1:6379/2"),
        ("redis://127.0.0.1:6379/5", "gw1", "redis://127.0.0.1:6379/7"),
        ("redis://127.0.0.1:6379", "gw0", "redis://127.0.0.1:6379/1"),
        ("rediss://:secret@cache.example:6380/2", "gw3", "rediss://:secret@cache.example:6380/6"),
    ],
)
def test_each_worker_gets_the_next_database_numbers(url, worker, expected):
    assert redis_url_for_xdist_worker(url, worker) == expected


def test_a_database_number_beyond_redis_default_sixteen_is_refused():
    with pytest.raises(pytest.UsageError, match="Redis database 16"):
        redis_url_for_xdist_worker("redis://127.0.0.1:6379/10", "gw5")


def test_this_process_uses_its_own_redis_database_and_media_folder():
    assert "var" not in settings.MEDIA_ROOT.parts  # a per-session temporary folder, not the shared var/
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and settings.REDIS_URL):
        pytest.skip("only a parallel run with REDIS_URL moves to a database of its own")
    own = settings.REDIS_URL
    assert own.endswith(f"/{int(os.environ['REDIS_URL'].rsplit('/', 1)[-1] or 0) + 1 + int(worker[2:])}")
    assert settings.CACHES["default"]["LOCATION"] == own
    assert (app.conf.broker_url, app.conf.result_backend) == (own, own)
