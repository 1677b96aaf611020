"""Response headers every page gets, and the admin kept to staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

# perfsite uses none of these browser features; denying them means an injected script or a
# framed page cannot use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no caching of any page shown to a signed-in person.

    A signed-in page holds children's data: ``no-store`` keeps it out of the browser's and any
    proxy's cache, so the back button after signing out on a shared computer shows nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class StaffOnlyAdminMiddleware:
    """A signed-in person without admin access gets the service's 403 page at /admin/.

    Django's admin would show its own sign-in form, in another style and inviting another
    account's password; the service's page says what happened in the service's words.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        user = request.user
        if request.path.startswith(self._admin_prefix) and user.is_authenticated and not user.is_staff:
            raise PermissionDenied
        return None
