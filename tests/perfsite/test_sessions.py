"""Issue 12 finding 3: idle timeout with a warning, the absolute limit, no-store and Permissions-Policy."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perfsite.sessions import LAST_SEEN_AT, SIGNED_IN_AT, TOUCH_EVERY_SECONDS


def set_clock(client, *, signed_in_ago: float, last_seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - last_seen_ago
    session.save()


@pytest.fixture
def signed_in(client, auditor):
    client.force_login(auditor)
    return client


def test_a_session_idle_for_30_minutes_ends_on_the_server(signed_in):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=30 * 60 + 1)
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response.url)
    assert "You have been signed out because you did nothing for 30 minutes" in page.text


def test_a_session_used_within_the_idle_timeout_goes_on(signed_in):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=29 * 60)
    assert signed_in.get(reverse("home")).status_code == 200
    # ...and that request counted as activity.
    assert time.time() - signed_in.session[LAST_SEEN_AT] < 5
    assert signed_in.get(reverse("home")).status_code == 200


def test_the_idle_timeout_is_a_setting(signed_in, settings):
    settings.PERFSITE_IDLE_TIMEOUT_SECONDS = 10 * 60
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=10 * 60 + 1)
    assert signed_in.get(reverse("home")).status_code == 302


def test_the_absolute_limit_holds_however_active_the_session(signed_in):
    set_clock(signed_in, signed_in_ago=8 * 3600 + 1, last_seen_ago=10)
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302
    assert "signed in more than 8 hours ago" in signed_in.get(response.url).text


def test_stay_signed_in_counts_as_activity_and_answers_the_time_left(signed_in):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=28 * 60)
    response = signed_in.post(reverse("session_keep_alive"))
    assert response.status_code == 200
    assert 30 * 60 - 5 <= response.json()["seconds_left"] <= 30 * 60
    assert "no-store" in response["Cache-Control"]


def test_stay_signed_in_cannot_pass_the_absolute_limit(signed_in):
    set_clock(signed_in, signed_in_ago=8 * 3600 - 60, last_seen_ago=60)
    assert signed_in.post(reverse("session_keep_alive")).json()["seconds_left"] <= 60


def test_asking_the_time_left_is_not_activity(signed_in):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=25 * 60)
    before = signed_in.session[LAST_SEEN_AT]
    response = signed_in.get(reverse("session_status"))
    assert response.status_code == 200
    assert 5 * 60 - 5 <= response.json()["seconds_left"] <= 5 * 60
    assert signed_in.session[LAST_SEEN_AT] == before
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=30 * 60)
    assert signed_in.get(reverse("session_status")).status_code == 302


def test_keep_alive_needs_a_post_and_a_session(client, signed_in):
    assert signed_in.get(reverse("session_keep_alive")).status_code == 405
    signed_in.logout()
    assert signed_in.post(reverse("session_keep_alive")).status_code == 302


def test_signed_in_pages_carry_the_timeout_warning_without_inline_script(signed_in):
    set_clock(signed_in, signed_in_ago=60, last_seen_ago=60)
    html = signed_in.get(reverse("home")).text
    dialog = re.search(r"<dialog[^>]*id=\"session-timeout\"[^>]*>", html, re.S).group(0)
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', dialog).group(1))
    assert 30 * 60 - 70 <= seconds_left <= 30 * 60
    assert 'data-warning-seconds="120"' in dialog
    assert "Stay signed in" in html
    assert "js/session-timeout.mjs" in html
    # The strict CSP: every script is a file, or carries the request's nonce.
    for tag in re.findall(r"<script[^>]*>", html):
        assert " src=" in tag or " nonce=" in tag, tag


def test_signed_out_pages_have_no_timeout_warning(client, db):
    assert "session-timeout" not in client.get(reverse("login")).text


def test_every_signed_in_page_is_no_store(signed_in, officer, client):
    for url in [reverse("home"), reverse("indicators:list"), reverse("mfa:recovery_codes")]:
        response = signed_in.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    client.force_login(officer)
    assert "no-store" in client.get("/admin/")["Cache-Control"]


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz", "/no-such-page/"])
def test_every_response_has_a_permissions_policy(signed_in, url):
    policy = signed_in.get(url)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def _session_writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


@pytest.mark.parametrize(
    ("last_seen_ago", "recorded"),
    [
        (0, False),  # just recorded
        (TOUCH_EVERY_SECONDS - 2, False),  # within the step: the stored time stands
        (TOUCH_EVERY_SECONDS + 1, True),  # past the step: this request is the new activity
        (29 * 60, True),
    ],
)
def test_activity_is_recorded_at_most_once_a_step(signed_in, last_seen_ago, recorded):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=last_seen_ago)
    before = signed_in.session[LAST_SEEN_AT]
    with CaptureQueriesContext(connection) as captured:
        assert signed_in.get(reverse("home")).status_code == 200
    after = signed_in.session[LAST_SEEN_AT]
    if recorded:
        assert time.time() - after < 5
        assert len(_session_writes(captured)) == 1
    else:
        assert after == before
        assert _session_writes(captured) == []  # no database write for a page view


def test_pages_in_a_row_save_the_session_once(signed_in):
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=TOUCH_EVERY_SECONDS + 1)
    with CaptureQueriesContext(connection) as captured:
        for _ in range(5):
            assert signed_in.get(reverse("home")).status_code == 200
    assert len(_session_writes(captured)) == 1


def test_the_step_never_lets_a_session_outlive_the_idle_timeout(signed_in, settings):
    """Activity recorded up to a step late can only end a session earlier than exactly idle, never later:
    the stored time is never later than the real last activity."""
    idle = settings.PERFSITE_IDLE_TIMEOUT_SECONDS
    # Last recorded just inside a step ago, then idle: ends at the timeout counted from the recorded time.
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=idle - 1)
    assert signed_in.get(reverse("home")).status_code == 200
    set_clock(signed_in, signed_in_ago=3600, last_seen_ago=idle)
    assert signed_in.get(reverse("home")).status_code == 302
