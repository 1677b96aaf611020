"""Sessions through the shared cache (perfsite/session_cache.py): a query less a page, and no session outlives sign-out.

settings.py keeps the copies in a cache every web process shares: Redis with REDIS_URL, else files
under PERFSITE_VAR_DIR (never the per-process memory cache).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfsite.session_cache import SessionStore
from perfsite.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.perfsite.test_sessions import set_clock
from tests.perfsite.test_settings import ROOT

CACHED = "perfsite.session_cache"


def shared():
    """The cache the sessions' copies are kept in."""
    return caches[django_settings.SESSION_CACHE_ALIAS]


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED
    shared().clear()
    yield
    shared().clear()


def session_engine(env: dict[str, str], tmp_path) -> str:
    """SESSION_ENGINE as the settings module makes it in a fresh interpreter with exactly ``env``."""
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **env}
    code = "import perfsite.settings as s; print(getattr(s, 'SESSION_ENGINE', 'Django default'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def session_cache_of(env: dict[str, str], tmp_path) -> dict:
    """The cache settings the sessions' copies go to, as the settings module makes them with ``env``."""
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **env}
    code = "import json, perfsite.settings as s; print(json.dumps(s.CACHES[s.SESSION_CACHE_ALIAS]))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_only_a_shared_cache_carries_sessions(tmp_path):
    for env in ({"REDIS_URL": "redis://127.0.0.1:6379/5"}, {}, {"PERFSITE_EMBEDDED_WORKER": "1"}):
        assert session_engine(env, tmp_path) == CACHED
    assert session_cache_of({"REDIS_URL": "redis://127.0.0.1:6379/5"}, tmp_path)["BACKEND"].endswith("RedisCache")
    # Without Redis: files every process on the machine reads, never the per-process memory cache.
    for env in ({}, {"PERFSITE_EMBEDDED_WORKER": "1"}):
        found = session_cache_of(env, tmp_path)
        assert found["BACKEND"].endswith("FileBasedCache") and found["LOCATION"] == str(tmp_path / "sessions")


def test_a_sign_out_removes_the_copy_another_process_would_read(cached_sessions, auditor):
    """Another web process (here a fresh interpreter) sees the copy go at once: it shares the files."""
    if not django_settings.CACHES[django_settings.SESSION_CACHE_ALIAS]["BACKEND"].endswith("FileBasedCache"):
        pytest.skip("the sessions' copies are in Redis here, which every process shares by design")
    store = SessionStore()
    store["_auth_user_id"] = str(auditor.pk)
    store.create()
    key = SessionStore.cache_key_prefix + store.session_key
    location = django_settings.CACHES[django_settings.SESSION_CACHE_ALIAS]["LOCATION"]
    code = (
        "import sys; from django.conf import settings; settings.configure(); "
        "from django.core.cache.backends.filebased import FileBasedCache; "
        "print(FileBasedCache(sys.argv[1], {}).get(sys.argv[2]) is not None)"
    )

    def other_process_sees_it() -> bool:
        result = subprocess.run(
            [sys.executable, "-c", code, location, key], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return result.stdout.strip() == "True"

    assert other_process_sees_it()
    store.delete()
    assert not other_process_sees_it()


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_a_signed_in_page_reads_no_session_row(client, auditor, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # whatever REDIS_URL chose
    client.force_login(auditor)
    url = reverse("home")
    client.get(url)
    from_database = count_queries(lambda: client.get(url))
    settings.SESSION_ENGINE = CACHED
    shared().clear()
    cached = Client()
    cached.force_login(auditor)
    cached.get(url)
    assert count_queries(lambda: cached.get(url)) == from_database - 1


def test_signing_out_ends_the_session_everywhere(cached_sessions, client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    other = Client()  # another browser tab, or another web process, with the same cookie
    other.cookies = client.cookies
    client.post(reverse("logout"))
    assert shared().get(SessionStore.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_idle_timeout_still_ends_a_cached_session(cached_sessions, client, auditor):
    client.force_login(auditor)
    set_clock(client, signed_in_ago=3600, last_seen_ago=30 * 60 + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_activity_is_written_through_to_the_database(cached_sessions, client, auditor):
    client.force_login(auditor)
    set_clock(client, signed_in_ago=3600, last_seen_ago=10 * 60)
    client.get(reverse("home"))
    key = client.session.session_key
    shared().clear()  # what a restarted Redis would hold
    stored = SessionStore(key).load()
    assert time.time() - stored[LAST_SEEN_AT] < 5 and SIGNED_IN_AT in stored


def test_signing_in_gives_a_new_key_and_forgets_the_old(cached_sessions, client, auditor, db):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "sign-in"
    session.save()
    old = session.session_key
    auditor.set_password("a-Long-enough-password-1")
    auditor.save()
    response = client.post(reverse("login"), {"username": auditor.username, "password": "a-Long-enough-password-1"})
    assert response.status_code == 302
    assert client.session.session_key != old
    assert shared().get(SessionStore.cache_key_prefix + old) is None
    assert not Session.objects.filter(session_key=old).exists()


def test_a_sign_out_that_cannot_reach_the_cache_fails_and_keeps_both_copies(cached_sessions, auditor):
    store = SessionStore()
    store["_auth_user_id"] = str(auditor.pk)
    store.create()
    key = store.session_key
    with (
        mock.patch.object(store._cache, "delete", side_effect=ConnectionError("cache down")),
        pytest.raises(ConnectionError),
    ):
        store.delete()
    assert Session.objects.filter(session_key=key).exists()  # the row, not only the cached copy
    assert shared().get(SessionStore.cache_key_prefix + key) is not None


def test_an_unreachable_cache_falls_back_to_the_database(cached_sessions, auditor):
    store = SessionStore()
    store["_auth_user_id"] = str(auditor.pk)
    store.create()
    reader = SessionStore(store.session_key)
    with (
        mock.patch.object(reader._cache, "get", side_effect=ConnectionError("cache down")),
        mock.patch.object(reader._cache, "set", side_effect=ConnectionError("cache down")),
    ):
        assert reader.load()["_auth_user_id"] == str(auditor.pk)
