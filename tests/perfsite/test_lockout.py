"""Issue 12 finding 2: wrong passwords lock a username and an address out, on both sign-in forms.

A locked sign-in is refused even with the right password, with the service's page; an
administrator unlocks it; every attempt is recorded.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse

from perfsite.lockout import client_address
from tests.conftest import PASSWORD

LOGIN = {"service": "login", "admin": "admin:login"}


def attempt(client, form, username, password, address="192.0.2.10"):
    return client.post(reverse(LOGIN[form]), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def limit_of_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.mark.parametrize("form", LOGIN)
def test_a_username_is_locked_after_the_limit_even_from_new_addresses(client, officer, form):
    for n in range(3):
        attempt(client, form, "officer", "wrong-password", address=f"192.0.2.{n + 1}")
    response = attempt(client, form, "officer", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "Sign-in is paused" in response.text
    assert "govuk-template" in response.text
    assert "You can try again in 30 minutes" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("form", LOGIN)
def test_an_address_is_locked_after_the_limit_whatever_the_username(client, officer, auditor, form):
    for username in ("someone", "anyone", "auditor"):
        attempt(client, form, username, "wrong-password")
    assert attempt(client, form, "officer", PASSWORD).status_code == 429
    # The same right password from another address is let in: the lock was the address's.
    response = attempt(client, form, "officer", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_below_the_limit_the_right_password_still_works(client, auditor):
    for _ in range(2):
        assert attempt(client, "service", "auditor", "wrong-password").status_code == 200
    assert attempt(client, "service", "auditor", PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_the_settings(client, auditor, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = None
    attempt(client, "service", "auditor", "wrong-password")
    response = attempt(client, "service", "auditor", PASSWORD)
    assert response.status_code == 429
    assert "ask an administrator to unlock your account" in response.text
    assert "try again in" not in response.text


def test_every_attempt_is_recorded(client, auditor):
    attempt(client, "service", "auditor", "wrong-password")
    attempt(client, "service", "auditor", "wrong-password")
    attempt(client, "service", "auditor", PASSWORD)
    failures = AccessFailureLog.objects.filter(username="auditor")
    assert failures.count() == 2
    assert {failure.ip_address for failure in failures} == {"192.0.2.10"}
    assert AccessLog.objects.filter(username="auditor").count() == 1


def test_an_administrator_unlocks_a_username_with_the_command(client, auditor):
    for _ in range(3):
        attempt(client, "service", "auditor", "wrong-password")
    assert attempt(client, "service", "auditor", PASSWORD).status_code == 429
    call_command("axes_reset_username", "auditor")
    assert attempt(client, "service", "auditor", PASSWORD, address="198.51.100.7").status_code == 302


def test_an_administrator_unlocks_in_admin(client, auditor, admin_user):
    for _ in range(3):
        attempt(client, "service", "auditor", "wrong-password", address="198.51.100.9")
    locked = AccessAttempt.objects.get(username="auditor")
    admin = client.__class__()
    admin.force_login(admin_user)
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "auditor" in changelist.text
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [locked.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(client, "service", "auditor", PASSWORD, address="198.51.100.7").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left is ignored
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not through them
    ],
)
def test_the_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.PERFSITE_TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == expected


def test_behind_a_proxy_one_address_is_locked_not_everyone(client, officer, settings):
    settings.PERFSITE_TRUSTED_PROXY_COUNT = 1
    for username in ("a", "b", "c"):
        client.post(
            reverse("login"),
            {"username": username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    response = client.post(
        reverse("login"),
        {"username": "officer", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


def test_test_client_login_and_force_login_still_work(client, auditor):
    assert client.login(username="auditor", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(auditor)
    assert client.get(reverse("home")).status_code == 200


# Issue 10 part 7: the admin is for staff; anyone else gets the service's own 403 page.
@pytest.mark.parametrize("who", ["member", "auditor", "moderator", "manager", "outsider"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/auth/user/"])
def test_signed_in_people_without_admin_access_get_the_service_403_page(client, request, who, path):
    client.force_login(request.getfixturevalue(who))
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text
    assert '<h1 class="govuk-heading-l">' in response.text
    assert "Django administration" not in response.text


def test_staff_still_reach_the_admin_and_strangers_its_sign_in(client, officer):
    assert client.get("/admin/").status_code == 302
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200
