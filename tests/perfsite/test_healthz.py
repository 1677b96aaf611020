from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse

from perfsite.celery import app as celery_app

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_200_without_login_when_all_is_up(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    if settings.REDIS_URL:
        assert body["checks"]["broker"] == "ok"


def test_healthz_answers_503_naming_the_database_when_it_is_down(client, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["database"]
    assert body["checks"]["database"] == "down (OperationalError)"
    assert body["checks"]["cache"] == "ok"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    },
    # Sessions stay off the broken cache; healthz needs no session anyway.
    SESSION_ENGINE="django.contrib.sessions.backends.db",
)
def test_healthz_answers_503_naming_the_cache_when_it_is_unreachable(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert "cache" in response.json()["down"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.skipif(not settings.REDIS_URL, reason="the broker is checked only when REDIS_URL is set")
def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(client, db):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = UNREACHABLE_REDIS
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_healthz_refuses_other_methods(client, db):
    assert client.post(reverse("healthz")).status_code == 405
