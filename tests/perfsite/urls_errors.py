"""A URLconf for testing error pages: views that refuse and fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("secret internals that must never reach a user")


urlpatterns = [
    path("refuse/", refuse),
    path("fail/", fail),
    path("", include("perfsite.urls")),
]
