"""Settings: bad values stop start-up with a message naming the variable; no environment at all works."""

import ast
import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

from perfsite import settings as perfsite_settings
from perfsite.env import env_bool, env_decimal, env_int, env_list, env_month, env_str, env_url

ROOT = Path(__file__).resolve().parents[2]


def load_settings(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly ``env``."""
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **env}
    code = (
        "import perfsite.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)


def test_no_environment_runs_the_embedded_default(tmp_path):
    result = load_settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ]


def test_redis_url_switches_cache_and_broker_to_redis(tmp_path):
    result = load_settings({"REDIS_URL": "redis://127.0.0.1:6379/5"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.redis.RedisCache False" in result.stdout


def test_a_configured_database_turns_debug_off_and_needs_a_secret_key(tmp_path):
    result = load_settings({"DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must be a URL starting with one of"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must be a URL starting with one of"),
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be at least 50 characters"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 20 + "abcdefghij" * 4}, "DJANGO_ALLOWED_HOSTS must be set"),
        ({"DJANGO_ALLOWED_HOSTS": "a.example,,b.example"}, "DJANGO_ALLOWED_HOSTS has an empty item"),
        ({"EMAIL_HOST": "smtp.example", "EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
        ({"EMAIL_HOST": "smtp.example", "EMAIL_PORT": "70000"}, "EMAIL_PORT must be at most 65535"),
        ({"PERFSITE_AUDIT_TARGET_PCT": "120"}, "PERFSITE_AUDIT_TARGET_PCT must be at most 100"),
        ({"PERFSITE_CASELOAD_BANDS": "10,x,20"}, "PERFSITE_CASELOAD_BANDS must be whole numbers separated by commas"),
        ({"PERFSITE_CASELOAD_BANDS": "10,20,15"}, "PERFSITE_CASELOAD_BANDS must rise"),
        ({"PERFSITE_AUDIT_SAMPLE_RATE": "0"}, "PERFSITE_AUDIT_SAMPLE_RATE must be at least 1"),
        ({"PERFSITE_RAG_TOLERANCE_DEFAULT": "two"}, "PERFSITE_RAG_TOLERANCE_DEFAULT must be a number"),
        ({"PERFSITE_RAG_TOLERANCE_DEFAULT": "-1"}, "PERFSITE_RAG_TOLERANCE_DEFAULT must be at least 0"),
        ({"PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE": "NaN"}, "PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE must be a number"),
        ({"PERFSITE_CASELOAD_BASELINE_MONTH": "Feb 2016"}, "PERFSITE_CASELOAD_BASELINE_MONTH must be a month"),
        ({"PERFSITE_AUDIT_BASELINE_GOOD_OR_ABOVE": "21"}, "must not exceed PERFSITE_AUDIT_BASELINE_AUDITED"),
        ({"PERFSITE_SCORECARD_SPARKLINE_POINTS": "1"}, "PERFSITE_SCORECARD_SPARKLINE_POINTS must be at least 2"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(tmp_path, env, message):
    result = load_settings(env, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_load_with_the_three_required_variables(tmp_path):
    result = load_settings(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 30 + "abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "perfsite.example",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False), ("false", False), ("", False)],
)
def test_env_bool(raw, expected):
    assert env_bool("X", default=not expected, environ={"X": raw}) is expected


def test_env_helpers_defaults_and_errors():
    assert env_bool("X", True, environ={}) is True
    assert env_int("X", 7, environ={}) == 7
    assert env_int("X", 7, environ={"X": " 12 "}) == 12
    assert env_list("X", ["a"], environ={}) == ["a"]
    assert env_list("X", environ={"X": "a, b"}) == ["a", "b"]
    assert env_str("X", "d", environ={"X": ""}) == "d"
    assert env_url("X", schemes=("redis",), environ={}) is None
    with pytest.raises(ImproperlyConfigured, match="X must be at least 1"):
        env_int("X", 7, minimum=1, environ={"X": "0"})
    with pytest.raises(ImproperlyConfigured, match="X must be set"):
        env_str("X", environ={})


def test_decimal_and_month_helpers():
    assert env_decimal("X", "2", environ={}) == Decimal("2")
    assert env_decimal("X", "2", environ={"X": " 0.25 "}) == Decimal("0.25")
    assert env_month("X", "2016-02", environ={}) == datetime.date(2016, 2, 1)
    assert env_month("X", "2016-02", environ={"X": "2019-11"}) == datetime.date(2019, 11, 1)
    with pytest.raises(ImproperlyConfigured, match="X must be at most 1"):
        env_decimal("X", "0", maximum=1, environ={"X": "1.5"})
    with pytest.raises(ImproperlyConfigured, match="X must be a month written YYYY-MM"):
        env_month("X", "2016-02", environ={"X": "2019-13"})


# Settings read once ------------------------------------------------------------------------------
# Every setting's default lives in perfsite/settings.py; code reads settings.X. A getattr with a
# fallback would be a second default that drifts from the first, so none may reappear.

APP_PACKAGES = ("perfsite", "indicators", "caseloads", "audits", "scorecards")


def app_modules():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_settings(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def getattr_on_settings(tree: ast.AST) -> list[int]:
    """Lines calling getattr(settings, ...) or hasattr(settings, ...)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr"}
        and node.args
        and is_settings(node.args[0])
    ]


def test_no_code_reads_a_setting_with_getattr_and_a_default_of_its_own():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}" for path, tree in app_modules() for line in getattr_on_settings(tree)
    ]
    assert offenders == [], "read settings.X, with its default in perfsite/settings.py: " + ", ".join(offenders)


def test_every_setting_the_code_reads_is_defined_in_settings_py_or_by_django():
    missing = []
    for path, tree in app_modules():
        if path == ROOT / "perfsite" / "settings.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and is_settings(node.value)
                and node.attr.isupper()
                and not hasattr(perfsite_settings, node.attr)
                and not hasattr(global_settings, node.attr)
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} settings.{node.attr}")
    assert missing == []


def test_the_getattr_check_finds_a_fallback():
    """The check above is only worth having if it can fail: feed it the patterns it forbids."""
    source = (
        "from django.conf import settings\n"
        "a = settings.PERFSITE_X\n"
        'b = getattr(settings, "PERFSITE_X", 65)\n'
        'c = getattr(django_conf.settings, "PERFSITE_Y")\n'
    )
    assert getattr_on_settings(ast.parse(source)) == [3, 4]
