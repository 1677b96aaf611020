"""Start-up fails fast: the services perfsite cannot work without, checked before serving.

With the database unreachable gunicorn used to start and serve the sign-in page, ``manage.py
check`` passed and the Celery worker said "ready". Now each process asks these services first and
stops with a message naming the one that does not answer:

- ``manage.py check`` (system check tag ``services``): the database, the cache and, when
  ``REDIS_URL`` is set, the Celery broker. ``migrate`` runs it too.
- ``manage.py wait_for_services [--timeout S]``: the same, retried until they answer or the time
  is up (for a process that starts alongside its database); the Procfile runs it before each
  process.
- gunicorn's ``on_starting`` hook (``gunicorn.conf.py``) and the Celery worker's ``celeryd_init``
  signal (``perfsite.celery``): the same check inside the server itself, however it is started.

``/healthz`` asks the same questions while running.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import connections

SERVICES_TAG = "services"


def check_database(alias: str = "default") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache.set("perfsite:healthz", "ok", timeout=30)
    if cache.get("perfsite:healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    # The current app is perfsite's (perfsite/__init__ creates it); importing perfsite.celery here
    # would make a cycle, as perfsite.celery calls require_services when a worker starts.
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def service_checks() -> dict[str, Callable[[], None]]:
    """What must answer, by the name an operator knows it by."""
    found = {"database": check_database, "cache": check_cache}
    if settings.REDIS_URL:
        found["broker"] = check_broker
    return found


def services_down() -> dict[str, str]:
    """Each service that does not answer, with why (the error's type and message, no secrets)."""
    down = {}
    for name, check in service_checks().items():
        try:
            check()
        except Exception as error:  # any failure means the service cannot be used
            first_line = next(iter(str(error).strip().splitlines()), "")
            down[name] = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    return down


def describe(down: dict[str, str]) -> str:
    return "; ".join(f"the {name} does not answer ({why})" for name, why in down.items())


def wait_for_services(timeout: float, *, interval: float = 2.0, sleep=time.sleep) -> dict[str, str]:
    """Ask until every service answers or ``timeout`` seconds have passed; returns what is still down."""
    deadline = time.monotonic() + timeout
    while True:
        down = services_down()
        if not down or time.monotonic() >= deadline:
            return down
        sleep(min(interval, max(0.0, deadline - time.monotonic())))


@checks.register(SERVICES_TAG)
def services_answer(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"The {name} does not answer: {why}",
            hint=f"Start the {name}, or correct its setting ({_SETTING[name]}), then start perfsite again.",
            id=_CHECK_ID[name],
        )
        for name, why in services_down().items()
    ]


_SETTING = {"database": "DATABASE_URL", "cache": "REDIS_URL", "broker": "REDIS_URL"}
_CHECK_ID = {"database": "perfsite.E101", "cache": "perfsite.E102", "broker": "perfsite.E103"}


class ServicesDown(SystemExit):
    """Raised by a process's start-up hook: stops the process with a message naming what is down."""

    def __init__(self, process: str, down: dict[str, str]):
        super().__init__(f"{process} not started: {describe(down)}.")


def require_services(process: str, *, timeout: float | None = None) -> None:
    """Stop ``process`` (SystemExit, naming what is down) unless every service answers within the wait."""
    timeout = settings.PERFSITE_STARTUP_WAIT_SECONDS if timeout is None else timeout
    down = wait_for_services(timeout)
    if down:
        raise ServicesDown(process, down)
