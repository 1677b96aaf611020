from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from perfsite.navigation import nav_links
from perfsite.roles import ROLE_DESCRIPTIONS, roles_of
from perfsite.startup import service_checks

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


@login_not_required
@never_cache
@require_GET
def healthz(request):
    results: dict[str, str] = {}
    for name, check in service_checks().items():
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
