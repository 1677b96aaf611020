"""The sign-in settings come from the environment, with the defaults the README gives."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOWN = (
    "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.PERFSITE_IDLE_TIMEOUT_SECONDS, s.SESSION_COOKIE_AGE, "
    "s.PERFSITE_MFA_REQUIRED, s.PERFSITE_OIDC_ENABLED, len(s.AUTHENTICATION_BACKENDS), s.OIDC_GROUP_ROLES"
)


def load(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    environ = {"PATH": os.environ["PATH"], "PERFSITE_VAR_DIR": str(tmp_path), **env}
    code = f"import perfsite.settings as s; print(repr(({SHOWN})))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)


def test_the_defaults(tmp_path):
    result = load({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(5, datetime.timedelta(seconds=1800), 1800, 28800, True, False, 2, {})"


OIDC = {
    "OIDC_RP_CLIENT_ID": "client",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_ISSUER": "https://login.example/t/v2.0",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example/t/oauth2/v2.0/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/t/oauth2/v2.0/token",
    "OIDC_OP_USER_ENDPOINT": "https://graph.example/oidc/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example/t/discovery/v2.0/keys",
}


def test_everything_set(tmp_path):
    env = {
        "PERFSITE_LOGIN_FAILURE_LIMIT": "10",
        "PERFSITE_LOGIN_LOCKOUT_MINUTES": "0",
        "PERFSITE_IDLE_TIMEOUT_SECONDS": "900",
        "PERFSITE_MFA_REQUIRED": "0",
        "OIDC_GROUP_ROLES": '{"g1": "Auditor"}',
        **OIDC,
    }
    result = load(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(10, None, 900, 28800, False, True, 3, {'g1': 'Auditor'})"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PERFSITE_LOGIN_FAILURE_LIMIT": "0"}, "PERFSITE_LOGIN_FAILURE_LIMIT must be at least 1"),
        ({"PERFSITE_IDLE_TIMEOUT_SECONDS": "soon"}, "PERFSITE_IDLE_TIMEOUT_SECONDS must be a whole number"),
        (
            {"PERFSITE_IDLE_TIMEOUT_SECONDS": "300", "PERFSITE_IDLE_WARNING_SECONDS": "300"},
            "PERFSITE_IDLE_WARNING_SECONDS must be less than",
        ),
        ({"OIDC_GROUP_ROLES": "{not json"}, "OIDC_GROUP_ROLES must be a JSON object"),
        ({"OIDC_GROUP_ROLES": '["Auditor"]'}, "OIDC_GROUP_ROLES must be a JSON object"),
        ({"OIDC_RP_CLIENT_ID": "client"}, "OIDC_RP_CLIENT_SECRET must be set"),
        ({**OIDC, "OIDC_OP_JWKS_ENDPOINT": ""}, "OIDC_OP_JWKS_ENDPOINT must be set"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(tmp_path, env, message):
    result = load(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
