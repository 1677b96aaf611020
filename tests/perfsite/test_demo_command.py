"""`manage.py demo --no-serve`: every app's demo loads, and running it twice changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from perfsite.demo import DEMO_USERS

pytestmark = pytest.mark.slow


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.name in {"indicators", "caseloads", "audits", "scorecards", "auth"}
        for model in config.get_models()
    }


def test_the_demo_loads_every_app_and_twice_changes_nothing(db, settings):
    settings.PERFSITE_DEMO_PASSWORD = "demo-password-for-tests"
    first = StringIO()
    call_command("demo", no_serve=True, stdout=first)
    assert "Created demo users auditor, moderator, manager, officer, member, admin" in first.getvalue()
    users = get_user_model().objects.filter(username__in=[u.username for u in DEMO_USERS])
    assert users.count() == 6
    assert all(user.check_password("demo-password-for-tests") for user in users)
    after_first = row_counts()
    for label in ("indicators.Indicator", "caseloads.CaseloadLine", "audits.Audit", "scorecards.PublishedScorecard"):
        assert after_first[label] > 0, f"the demo loaded no {label}"

    second = StringIO()
    call_command("demo", no_serve=True, stdout=second)
    assert "Demo users already exist; their passwords are unchanged." in second.getvalue()
    assert row_counts() == after_first


def test_a_generated_password_is_printed_once(db, settings):
    settings.PERFSITE_DEMO_PASSWORD = ""
    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "with password:" in line)
    password = line.rsplit(": ", 1)[1]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="member").check_password(password)
