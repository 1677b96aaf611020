"""Sessions through the shared cache (perfsite/session_cache.py): a query less a page, and no session outlives sign-out.

The store is switched on in these tests with the test settings' memory cache (one process here);
settings.py switches it on only with REDIS_URL, a cache every web process shares.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfsite.session_cache import SessionStore
from perfsite.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.perfsite.test_sessions import set_clock
from tests.perfsite.test_settings import ROOT

CACHED = "perfsite.session_cache"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED
    cache.clear()
    yield
    cache.clear()


def session_engine(env: dict[str, str], tmp_path) -> str:
    """SESSION_ENGINE as the settings module makes it in a fresh interpreter with exactly ``env``."""
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **env}
    code = "import perfsite.settings as s; print(getattr(s, 'SESSION_ENGINE', 'Django default'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_only_a_shared_cache_carries_sessions(tmp_path):
    assert session_engine({"REDIS_URL": "redis://127.0.0.1:6379/5"}, tmp_path) == CACHED
    # The embedded default's memory cache is per process: sessions stay in the database.
    assert session_engine({}, tmp_path) == "Django default"  # django.contrib.sessions.backends.db
    assert session_engine({"PERFSITE_EMBEDDED_WORKER": "1"}, tmp_path) == "Django default"


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
    cache.clear()
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
    assert cache.get(SessionStore.cache_key_prefix + key) is None
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
    cache.clear()  # what a restarted Redis would hold
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
    assert cache.get(SessionStore.cache_key_prefix + old) is None
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
    assert cache.get(SessionStore.cache_key_prefix + key) is not None


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
