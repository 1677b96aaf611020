"""Council sign-in by OpenID Connect (Microsoft Entra ID or any standard provider).

mozilla-django-oidc runs the authorisation-code flow (with PKCE, state and nonce) and checks
the ID token's signature against the provider's keys. What it leaves to us is done here:
the ID token's issuer and audience, which claim names the account, and which roles the
person holds: those come from the provider's groups claim through ``OIDC_GROUP_ROLES``
on every sign-in, so removing someone from a group in the council's directory removes
the role at their next sign-in. A person in no mapped group cannot sign in.
The provider is trusted for the second factor (Entra's conditional access), so these
sessions are not asked for a perfsite code.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from perfsite.auth_backends import user_with_roles
from perfsite.roles import Role

logger = logging.getLogger(__name__)


def roles_for_groups(groups: list[str] | str | None) -> set[Role]:
    """The perfsite roles that the provider's groups map to (``OIDC_GROUP_ROLES``)."""
    if isinstance(groups, str):
        groups = [groups]
    mapping = settings.OIDC_GROUP_ROLES
    return {Role(mapping[group]) for group in groups or [] if group in mapping}


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # A provider that refuses the code, cannot be reached or answers with a token that fails
        # a check signs nobody in: the person sees the sign-in page's message, not an error page.
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as exc:
            logger.warning("council sign-in failed: %s", type(exc).__name__)
            return None

    def get_user(self, user_id):
        """The signed-in user with their roles, in one query (perfsite.auth_backends)."""
        return user_with_roles(self.UserModel, user_id)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("The ID token was issued by another provider.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another application.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # Entra puts groups in the signed ID token, not in its userinfo answer: use both, the
        # token's claims winning, once they are shown to be about the same person.
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("The userinfo answer is about another person than the ID token.")
        return {**userinfo, **payload}

    def verify_claims(self, claims):
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not username:
            logger.warning("council sign-in refused: no %s claim", settings.OIDC_USERNAME_CLAIM)
            return False
        if not roles_for_groups(claims.get(settings.OIDC_GROUPS_CLAIM)):
            logger.warning("council sign-in refused: %s is in no group that OIDC_GROUP_ROLES maps", username)
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=claims[settings.OIDC_USERNAME_CLAIM])

    def create_user(self, claims):
        user = self.UserModel(username=claims[settings.OIDC_USERNAME_CLAIM])
        user.set_unusable_password()
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        roles = roles_for_groups(claims.get(settings.OIDC_GROUPS_CLAIM))
        user.email = claims.get("email", user.email) or ""
        user.first_name = claims.get("given_name", user.first_name) or ""
        user.last_name = claims.get("family_name", user.last_name) or ""
        # Officers use admin (README "Roles"); superuser is never given from outside.
        user.is_staff = user.is_superuser or Role.PERFORMANCE_OFFICER in roles
        user.save()
        role_groups = Group.objects.filter(name__in=[role.value for role in Role])
        user.groups.remove(*role_groups.exclude(name__in=[role.value for role in roles]))
        user.groups.add(*[Group.objects.get_or_create(name=role.value)[0] for role in roles])
        return user


class CouncilCallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(
            self.request,
            "Signing in with your council account did not work. If it keeps failing, ask the service desk "
            "to check you are in a group that may use this service.",
        )
        return redirect(settings.LOGIN_URL)


def _only_when_configured(view):
    @login_not_required
    def wrapped(request, *args, **kwargs):
        if not settings.PERFSITE_OIDC_ENABLED:
            raise Http404("Council sign-in is not configured.")
        return view(request, *args, **kwargs)

    return wrapped


council_sign_in = _only_when_configured(OIDCAuthenticationRequestView.as_view())
council_callback = _only_when_configured(CouncilCallbackView.as_view())
