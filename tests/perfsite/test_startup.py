"""Start-up fails fast (issue 12, finding 10): with the database, cache and broker unreachable, the system
check, ``wait_for_services``, gunicorn and the Celery worker each stop with a message naming the
service that does not answer, instead of serving the sign-in page or saying "ready".

Each runs in a subprocess with DATABASE_URL and REDIS_URL on port 1, where nothing listens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from perfsite import startup

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOWN_MESSAGES = ("the database does not answer", "the cache does not answer", "the broker does not answer")


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"DJANGO_DEBUG": "1", "PERFSITE_VAR_DIR": str(tmp_path), "PERFSITE_STARTUP_WAIT_SECONDS": "0"})
    environment.update(env)
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)


def _unreachable(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return _run(
        args,
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/perfsite",
        REDIS_URL="redis://127.0.0.1:1/0",
    )


def test_manage_py_check_names_each_service_that_does_not_answer(tmp_path):
    result = _unreachable([sys.executable, "manage.py", "check"], tmp_path)
    assert result.returncode != 0
    for check_id, name, setting in (
        ("perfsite.E101", "database", "DATABASE_URL"),
        ("perfsite.E102", "cache", "REDIS_URL"),
        ("perfsite.E103", "broker", "REDIS_URL"),
    ):
        assert f"({check_id}) The {name} does not answer" in result.stderr
        assert f"correct its setting ({setting})" in result.stderr


def test_the_services_check_has_its_own_tag(tmp_path):
    result = _unreachable([sys.executable, "manage.py", "check", "--tag", "services"], tmp_path)
    assert result.returncode != 0
    assert "(perfsite.E101) The database does not answer" in result.stderr


def test_wait_for_services_gives_up_after_its_timeout_naming_them(tmp_path):
    result = _unreachable([sys.executable, "manage.py", "wait_for_services", "--timeout", "1"], tmp_path)
    assert result.returncode == 1
    assert "Not ready after 1 s" in result.stderr
    for message in DOWN_MESSAGES:
        assert message in result.stderr


def test_gunicorn_does_not_start_without_its_database(tmp_path):
    result = _unreachable(
        [str(BIN / "gunicorn"), "perfsite.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0"],
        tmp_path,
    )
    assert result.returncode != 0
    assert "gunicorn not started: the database does not answer" in result.stderr
    assert "Booting worker" not in result.stderr  # no worker ever served a page


def test_the_celery_worker_does_not_say_ready_without_its_services(tmp_path):
    result = _unreachable([str(BIN / "celery"), "-A", "perfsite", "worker", "--pool", "solo"], tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Celery worker not started: the database does not answer" in output
    assert "ready." not in output


def test_with_everything_up_the_check_and_the_wait_pass(tmp_path):
    check = _run([sys.executable, "manage.py", "check", "--tag", "services"], tmp_path)
    assert check.returncode == 0, check.stderr
    waited = _run([sys.executable, "manage.py", "wait_for_services", "--timeout", "0"], tmp_path)
    assert waited.returncode == 0, waited.stderr
    assert "Services answer: database, cache." in waited.stdout


def test_wait_for_services_asks_again_until_the_service_answers(monkeypatch):
    answers = iter([{"database": "OperationalError: refused"}, {"database": "OperationalError: refused"}, {}])
    monkeypatch.setattr(startup, "services_down", lambda: next(answers))
    naps = []
    assert startup.wait_for_services(60, interval=2, sleep=naps.append) == {}
    assert naps == [2, 2]


@pytest.mark.django_db
def test_require_services_stops_the_process_naming_what_is_down(monkeypatch):
    monkeypatch.setattr(startup, "services_down", lambda: {"broker": "OperationalError: refused"})
    with pytest.raises(SystemExit, match=r"^worker not started: the broker does not answer \(OperationalError"):
        startup.require_services("worker", timeout=0)


def test_every_procfile_process_waits_for_its_services_first():
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and ": " in line
    )
    assert set(processes) == {"release", "web", "worker", "beat"}
    for name, command in processes.items():
        assert command.startswith("python manage.py wait_for_services && "), name
    assert "--config gunicorn.conf.py" in processes["web"]
