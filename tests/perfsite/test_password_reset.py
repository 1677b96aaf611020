"""Issue 12 finding 11: without SMTP in production, reset links never reach a log.

Password reset is switched off with a message, nothing is printed, and the deploy check warns.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.urls import reverse

from perfsite.checks import email_for_password_reset
from perfsite.mail import UnsentEmailBackend

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "s3cr3t-" * 10,
    "DJANGO_ALLOWED_HOSTS": "perfsite.example",
}


def production_settings(tmp_path, **env) -> list[str]:
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **PRODUCTION, **env}
    code = "import perfsite.settings as s; print(s.EMAIL_BACKEND, s.PERFSITE_PASSWORD_RESET_ENABLED)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_without_email_host_sends_nothing_and_turns_reset_off(tmp_path):
    assert production_settings(tmp_path) == ["perfsite.mail.UnsentEmailBackend", "False"]


def test_production_with_email_host_uses_smtp_and_offers_reset(tmp_path):
    assert production_settings(tmp_path, EMAIL_HOST="smtp.council.example") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "True",
    ]


def test_debug_without_email_host_prints_emails_as_before(tmp_path):
    assert production_settings(tmp_path, DJANGO_DEBUG="1") == ["django.core.mail.backends.console.EmailBackend", "True"]


@pytest.fixture
def reset_off(settings):
    settings.PERFSITE_PASSWORD_RESET_ENABLED = False
    settings.EMAIL_BACKEND = "perfsite.mail.UnsentEmailBackend"


def test_with_reset_off_the_reset_page_says_so_and_sends_nothing(client, auditor, reset_off):
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert "Resetting your password is not available" in page.text
    response = client.post(reverse("password_reset"), {"email": auditor.email or "auditor@perfsite.example"})
    assert "Resetting your password is not available" in response.text
    assert mail.outbox == []


def test_with_reset_off_the_sign_in_page_points_to_an_administrator(client, db, reset_off):
    page = client.get(reverse("login")).text
    assert "Forgotten your password? Ask an administrator" in page
    assert reverse("password_reset") not in page


def test_with_reset_on_the_link_is_offered_and_sent(client, auditor, settings):
    auditor.email = "auditor@perfsite.example"
    auditor.save()
    assert reverse("password_reset") in client.get(reverse("login")).text
    response = client.post(reverse("password_reset"), {"email": "auditor@perfsite.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_the_unsent_backend_logs_a_count_never_the_text(caplog, settings):
    settings.EMAIL_BACKEND = "perfsite.mail.UnsentEmailBackend"
    with caplog.at_level(logging.WARNING, logger="perfsite.mail"):
        sent = send_mail("Reset", "https://perfsite.example/reset/MQ/secret-token/", "a@x.example", ["b@x.example"])
    assert sent == 0
    assert "1 email(s) not sent: EMAIL_HOST is not set." in caplog.text
    assert "secret-token" not in caplog.text
    assert UnsentEmailBackend().send_messages([]) == 0


def test_the_deploy_check_warns_without_email_host(settings):
    settings.DEBUG = False
    settings.EMAIL_HOST = ""
    assert [warning.id for warning in email_for_password_reset(None)] == ["perfsite.W001"]
    settings.EMAIL_HOST = "smtp.council.example"
    assert email_for_password_reset(None) == []


def test_the_check_runs_only_with_deploy(tmp_path):
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **PRODUCTION}
    run = [sys.executable, "manage.py", "check", "--fail-level", "WARNING"]
    plain = subprocess.run(run, cwd=ROOT, env=environ, capture_output=True, text=True)
    assert "perfsite.W001" not in plain.stderr + plain.stdout
    deploy = subprocess.run([*run, "--deploy"], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert deploy.returncode != 0
    assert "perfsite.W001" in deploy.stderr + deploy.stdout
