"""Issue 12 finding 4 (council sign-in): OpenID Connect against a fake provider on 127.0.0.1.

The provider is a real HTTP server in a thread serving the token, userinfo and JWKS endpoints;
its ID tokens are RS256 JWTs signed with a key made for the test. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

from perfsite.roles import Role, roles_of

pytestmark = pytest.mark.mfa  # the provider's sign-in is trusted for the second factor, even when required

ISSUER = "https://login.council.example/tenant-id/v2.0"
CLIENT_ID = "perfsite-client-id"
GROUP_ROLES = {"grp-officers": Role.PERFORMANCE_OFFICER.value, "grp-members": Role.SCRUTINY_MEMBER.value}


class FakeProvider:
    """What the provider answers next: the claims of the ID token and of userinfo."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.nonce = None
        self.id_claims: dict = {}
        self.userinfo: dict = {}
        self.token_requests: list[dict] = []
        self.issuer = ISSUER
        self.audience = CLIENT_ID
        self.signing_key = self.key

    def id_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + 300, "nonce": self.nonce}
        return jwt.encode({**claims, **self.id_claims}, self.signing_key, algorithm="RS256", headers={"kid": "k1"})

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}


@pytest.fixture
def provider(settings, db):
    fake = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body: dict, status: int = 200):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            fake.token_requests.append(form)
            if self.path == "/token" and form.get("code") == ["good-code"]:
                self._answer({"access_token": "access-1", "token_type": "Bearer", "id_token": fake.id_token()})
            else:
                self._answer({"error": "invalid_grant"}, status=400)

        def do_GET(self):
            if self.path == "/jwks":
                self._answer(fake.jwks())
            elif self.path == "/userinfo" and self.headers.get("Authorization") == "Bearer access-1":
                self._answer(fake.userinfo)
            else:
                self._answer({"error": "not found"}, status=404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.PERFSITE_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "perfsite.oidc.CouncilOIDCBackend"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.council.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    yield fake
    server.shutdown()
    server.server_close()


def start(client, provider, next_url="/"):
    """The browser's trip to the provider: our redirect carries state, nonce and a PKCE challenge."""
    response = client.get(reverse("oidc_authentication_init"), {"next": next_url})
    assert response.status_code == 302
    location = urlparse(response.url)
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://login.council.example/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256"
    provider.nonce = query["nonce"]
    return query["state"]


def person(**extra):
    return {
        "sub": "entra-oid-1",
        "preferred_username": "jo.bloggs@council.example",
        "given_name": "Jo",
        "family_name": "Bloggs",
        "email": "jo.bloggs@council.example",
        **extra,
    }


def test_the_login_page_offers_council_sign_in_only_when_configured(client, provider, settings):
    assert "Sign in with your council account" in client.get(reverse("login")).text
    settings.PERFSITE_OIDC_ENABLED = False
    assert "Sign in with your council account" not in client.get(reverse("login")).text
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_a_council_officer_signs_in_and_gets_the_role_their_groups_map_to(client, provider):
    provider.id_claims = person(groups=["grp-officers", "some-other-group"])
    provider.userinfo = {"sub": "entra-oid-1", "email": "jo.bloggs@council.example"}
    state = start(client, provider, next_url="/indicators/")
    response = client.get(reverse("oidc_authentication_callback"), {"code": "good-code", "state": state})
    assert response.status_code == 302
    assert response.url == "/indicators/"
    user = get_user_model().objects.get(username="jo.bloggs@council.example")
    assert (user.first_name, user.last_name, user.is_staff, user.is_superuser) == ("Jo", "Bloggs", True, False)
    assert roles_of(user) == {Role.PERFORMANCE_OFFICER}
    assert not user.has_usable_password()
    # PKCE: the token request carried the verifier.
    assert "code_verifier" in provider.token_requests[0]
    # Signed in, and not asked for a perfsite code: the provider gave the second factor.
    assert client.get(reverse("indicators:list")).status_code == 200


def test_roles_follow_the_groups_at_every_sign_in(client, provider, db):
    provider.id_claims = person(groups=["grp-officers"])
    provider.userinfo = {"sub": "entra-oid-1"}
    client.get(reverse("oidc_authentication_callback"), {"code": "good-code", "state": start(client, provider)})
    client.logout()
    provider.id_claims = person(groups=["grp-members"])
    client.get(reverse("oidc_authentication_callback"), {"code": "good-code", "state": start(client, provider)})
    user = get_user_model().objects.get(username="jo.bloggs@council.example")
    assert roles_of(user) == {Role.SCRUTINY_MEMBER}
    assert not user.is_staff
    assert client.get("/audits/").status_code == 403


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: p.id_claims.update(groups=["unmapped-group"]), id="no-mapped-group"),
        pytest.param(lambda p: setattr(p, "issuer", "https://evil.example/"), id="another-issuer"),
        pytest.param(lambda p: setattr(p, "audience", "another-app"), id="another-audience"),
        pytest.param(
            lambda p: setattr(p, "signing_key", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            id="signed-with-another-key",
        ),
        pytest.param(lambda p: p.userinfo.update(sub="someone-else"), id="userinfo-about-someone-else"),
        pytest.param(lambda p: setattr(p, "nonce", "replayed-nonce"), id="wrong-nonce"),
    ],
)
def test_a_bad_answer_from_the_provider_signs_nobody_in(client, provider, spoil):
    provider.id_claims = person(groups=["grp-officers"])
    provider.userinfo = {"sub": "entra-oid-1"}
    state = start(client, provider)
    spoil(provider)
    response = client.get(reverse("oidc_authentication_callback"), {"code": "good-code", "state": state})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username="jo.bloggs@council.example", groups__isnull=False).exists()


@pytest.mark.parametrize("down", [False, True], ids=["code-refused", "provider-unreachable"])
def test_a_failed_sign_in_is_a_clear_message_on_the_sign_in_page(client, provider, settings, down):
    provider.id_claims = person(groups=["grp-officers"])
    state = start(client, provider)
    if down:
        settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # the discard port: nothing answers
    code = "good-code" if down else "bad-code"
    response = client.get(reverse("oidc_authentication_callback"), {"code": code, "state": state}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Signing in with your council account did not work" in response.text
    assert "_auth_user_id" not in client.session


def test_a_group_mapped_to_an_unknown_role_is_a_system_check_error(settings):
    from perfsite.checks import group_roles_name_roles

    settings.OIDC_GROUP_ROLES = {"grp": "Superhero"}
    assert [error.id for error in group_roles_name_roles(None)] == ["perfsite.E001"]
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    assert group_roles_name_roles(None) == []
