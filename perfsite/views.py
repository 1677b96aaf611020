from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from perfsite.navigation import nav_links
from perfsite.roles import ROLE_DESCRIPTIONS, roles_of

logger = logging.getLogger(__name__)


def home(request):
    roles = sorted(roles_of(request.user))
    return render(
        request,
        "home.html",
        {
            "roles": [(role, ROLE_DESCRIPTIONS[role]) for role in roles],
            "areas": nav_links(request.user),
        },
    )


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    cache.set("perfsite:healthz", "ok", timeout=30)
    if cache.get("perfsite:healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def _check_broker() -> None:
    from perfsite.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def health_checks() -> dict:
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.REDIS_URL:
        checks["broker"] = _check_broker
    return checks


@login_not_required
@never_cache
@require_GET
def healthz(request):
    results: dict[str, str] = {}
    for name, check in health_checks().items():
        try:
            check()
        except Exception as exc:  # any failure is a reason to answer 503
            logger.warning("healthz: %s is down: %s", name, exc)
            results[name] = f"down ({type(exc).__name__})"
        else:
            results[name] = "ok"
    down = [name for name, state in results.items() if state != "ok"]
    status = 503 if down else 200
    body = {"status": "down" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    return JsonResponse(body, status=status)
