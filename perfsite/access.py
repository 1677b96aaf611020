"""Role checks for views. Refusals are 403s; objects outside a user's scope are 404s."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from perfsite.roles import Role, has_role


def _allowed(user, roles: tuple[Role, ...]) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, *roles))


def role_required(*roles: Role):
    """Function-view decorator: the user must hold one of ``roles`` (superusers pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _allowed(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-view mixin: set ``allowed_roles``; the user must hold one of them."""

    allowed_roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not _allowed(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
