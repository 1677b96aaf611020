from django.conf import settings

from perfsite.navigation import menu
from perfsite.roles import roles_of


def service(request):
    user = getattr(request, "user", None)
    top, section = menu(user, request.path) if user is not None else ([], [])
    return {
        "service_name": settings.PERFSITE_SERVICE_NAME,
        "council_name": settings.PERFSITE_COUNCIL_NAME,
        "service_phase": settings.PERFSITE_PHASE,
        "nav_links": top,
        "section_links": section,
        "user_roles": sorted(roles_of(user)) if user is not None else [],
    }
