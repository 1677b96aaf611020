"""A real Celery worker round-trip through the Redis broker (CI always sets REDIS_URL)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from perfsite.celery import app
from perfsite.tasks import heartbeat, ping

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL and not os.environ.get("CI"),
    reason="needs REDIS_URL (CI always sets it)",
)


def test_ci_has_redis():
    if os.environ.get("CI"):
        assert settings.REDIS_URL, "CI must run with REDIS_URL so Celery is tested through a real broker"


def test_celery_is_configured_from_settings():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert "healthz-heartbeat" in app.conf.beat_schedule


@needs_redis
@pytest.mark.redis
def test_a_task_round_trips_through_a_real_worker_on_redis():
    assert app.conf.task_always_eager is False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay(41)
        assert result.get(timeout=20) == 42
        assert heartbeat.delay().get(timeout=20)


def test_eager_mode_without_redis(settings):
    if settings.REDIS_URL:
        pytest.skip("eager mode applies only without REDIS_URL")
    assert app.conf.task_always_eager is True
    assert ping.delay(1).get() == 2


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"
