from django.conf import settings

from perfsite.mfa.policy import pending_step
from perfsite.navigation import menu
from perfsite.roles import roles_of


def service(request):
    user = getattr(request, "user", None)
    # Half-way through signing in (second factor not yet given) the menu would only lead back to it.
    signed_in = user is not None and pending_step(request) is None
    top, section = menu(user, request.path) if signed_in else ([], [])
    return {
        "service_name": settings.PERFSITE_SERVICE_NAME,
        "council_name": settings.PERFSITE_COUNCIL_NAME,
        "service_phase": settings.PERFSITE_PHASE,
        "nav_links": top,
        "section_links": section,
        "user_roles": sorted(roles_of(user)) if user is not None else [],
    }
