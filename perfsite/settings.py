"""perfsite settings: one module, configured from environment variables.

With no environment at all it runs the embedded default: SQLite under var/,
a local-memory cache and Celery in eager mode, in debug mode, so a new user
can try it at once. Setting DATABASE_URL (production) turns debug off unless
DJANGO_DEBUG says otherwise. See docs/decisions/0002-settings-from-environment.md.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from perfsite.env import env_bool, env_decimal, env_int, env_int_list, env_list, env_month, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PERFSITE_VAR_DIR", str(BASE_DIR / "var")))

DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))

DEBUG = env_bool("DJANGO_DEBUG", default=DATABASE_URL is None)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-perfsite-debug-only")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", None)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters with at least 5 different ones.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "perfsite",
]
# The domain apps, in dependency order (docs/decisions/0001); officers administer all of them.
PERFSITE_APPS = ["indicators", "caseloads", "audits", "scorecards"]
INSTALLED_APPS += PERFSITE_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "perfsite.request_guard.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before LoginRequiredMiddleware, so an idle session ends and its next request is sent to sign in.
    "perfsite.sessions.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "perfsite.mfa.middleware.SecondFactorMiddleware",
    "perfsite.security.StaffOnlyAdminMiddleware",
    "perfsite.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perfsite.urls"
# Widgets render through the project templates, so GOV.UK widget templates can live in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "perfsite.wsgi.application"
ASGI_APPLICATION = "perfsite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perfsite.context_processors.service",
                "perfsite.sessions.session_timeout",
            ],
        },
    },
]

# Database ------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "perfsite.sqlite3",
            "OPTIONS": {
                # WAL lets the Celery worker and the web process read while one writes;
                # IMMEDIATE transactions and a timeout turn lock contention into waiting.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and Celery ------------------------------------------------------------
SESSION_CACHE_ALIAS = "sessions"
# Sessions read from a cache every web process shares, written through to the database: a query
# less on every signed-in page (perfsite/session_cache.py). Redis with REDIS_URL, else files.
SESSION_ENGINE = "perfsite.session_cache"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_CACHE_ALIAS = "default"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "perfsite"},
        # The sessions' copies, in files every process on this machine shares (each gunicorn worker,
        # the embedded worker): a sign-out in one process removes the copy the others would read.
        # Not the per-process memory cache, where another worker's copy would outlive the sign-out.
        # Every web process must share PERFSITE_VAR_DIR, which one machine without Redis does.
        SESSION_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "sessions"),
            # Django lists the folder on every write to see whether to cull, and an abandoned session's
            # file goes only when read or culled: a few thousand files bound that listing. Culling drops
            # copies at random; the database still has every session, so a culled one is read from it.
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Without Redis, tasks run in-process (eager) unless this is on. `manage.py demo` turns it on for the web
# server and the worker it starts beside it, so background work is queued and run as in production, on
# kombu's filesystem transport: no server needed (docs/decisions/0007-embedded-background-worker.md).
PERFSITE_EMBEDDED_WORKER = env_bool("PERFSITE_EMBEDDED_WORKER", False)
CELERY_QUEUE_DIR = VAR_DIR / "celery"
embedded_broker_options: dict = {}
if PERFSITE_EMBEDDED_WORKER and not REDIS_URL:
    for folder in ("queue", "processed", "results"):
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    embedded_broker_options = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_QUEUE_DIR / 'results'}"
    CELERY_TASK_ALWAYS_EAGER = False
    # The web server and the worker are two processes: a per-process memory cache would hide the
    # worker's progress (an upload's rows read) from the page, so they share a cache in files.
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Tasks are idempotent, so a task lost with its worker is safe to run again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
# With acks_late, Redis hands an unacknowledged task to another worker after the visibility
# timeout; it must outlast the longest task (the time limit) or a slow task would run twice.
# A task whose whole worker was killed is redelivered after it; the pack's heartbeat lets the user
# retry long before that (the visibility timeout is set with the broker's options below).
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues work after a save tries the broker briefly and then logs the failure
# (perfsite.queue): with Redis down the page answers within seconds, not after kombu's retries.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("PERFSITE_BROKER_CONNECT_TIMEOUT", 2, minimum=1, maximum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    **embedded_broker_options,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TIMEZONE = "Europe/London"
# The whole periodic schedule, in one place and in code (not in the database). Every task
# is idempotent, so a missed or doubled run is harmless. Times are Europe/London.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "healthz-heartbeat": {"task": "perfsite.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # Each weekday; the task itself decides whether the 5th working day has come and sends
    # each manager at most one reminder a month.
    "caseloads-return-reminders": {
        "task": "caseloads.tasks.send_return_reminders",
        "schedule": crontab(hour=9, minute=30, day_of_week="mon-fri"),
    },
    # Monday morning, so owners start the week knowing what is overdue.
    "audits-overdue-action-reminders": {
        "task": "audits.tasks.send_overdue_action_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Also Monday morning: owners of overdue performance actions, once per action per week.
    "indicators-overdue-performance-action-reminders": {
        "task": "indicators.tasks.send_overdue_performance_action_reminders",
        "schedule": crontab(hour=7, minute=45, day_of_week="mon"),
    },
    # Retention (docs/data-protection.md): closed cases past PERFSITE_RETENTION_YEARS_AFTER_CLOSURE.
    "audits-apply-retention": {"task": "audits.tasks.apply_retention", "schedule": crontab(hour=3, minute=30)},
    # Every computed indicator, every period: the services that change their inputs queue the
    # periods they touch; this catches up anything a lost message or a manual database fix missed.
    "indicators-recompute-computed-indicators": {
        "task": "indicators.tasks.recompute_computed_indicators",
        "schedule": crontab(hour=2, minute=15),
    },
    # After the caseload optimum or bands change, the roll-ups count from the lines until the
    # tallies are recounted under the new settings (docs/caseloads.md "Tallies"); this recounts
    # them the next night when they are stale, and does nothing otherwise.
    "caseloads-rebuild-stale-tallies": {
        "task": "caseloads.tasks.rebuild_stale_tallies",
        "schedule": crontab(hour=1, minute=45),
    },
}

# Auth ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# The absolute limit, counted from sign-in whatever the activity (perfsite/sessions.py).
SESSION_COOKIE_AGE = env_int("PERFSITE_SESSION_SECONDS", 8 * 60 * 60, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session with no request for this long ends; the page warns PERFSITE_IDLE_WARNING_SECONDS before.
PERFSITE_IDLE_TIMEOUT_SECONDS = env_int("PERFSITE_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=120)
PERFSITE_IDLE_WARNING_SECONDS = env_int("PERFSITE_IDLE_WARNING_SECONDS", 2 * 60, minimum=30)
if PERFSITE_IDLE_WARNING_SECONDS >= PERFSITE_IDLE_TIMEOUT_SECONDS:
    raise ImproperlyConfigured("PERFSITE_IDLE_WARNING_SECONDS must be less than PERFSITE_IDLE_TIMEOUT_SECONDS.")

# Lockout (django-axes): after this many failed sign-ins a username, and separately an address, is
# locked until the cool-off passes or an administrator unlocks it (admin "Access attempts", or
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`). 0 minutes: locked until unlocked.
AXES_FAILURE_LIMIT = env_int("PERFSITE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
_lockout_minutes = env_int("PERFSITE_LOGIN_LOCKOUT_MINUTES", 30, minimum=0)
AXES_COOLOFF_TIME = timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Every failure is kept (admin "Access failures"), not only the running count a success resets.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N proxies the client's address is the Nth from the right of X-Forwarded-For; without this
# every sign-in would share the proxy's address and one attacker would lock everyone out.
PERFSITE_TRUSTED_PROXY_COUNT = env_int("PERFSITE_TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "perfsite.lockout.client_address"

# Two-factor sign-in (django-otp): TOTP with recovery codes for local accounts. Required of
# performance officers and administrators unless turned off; anyone else may enrol.
PERFSITE_MFA_REQUIRED = env_bool("PERFSITE_MFA_REQUIRED", True)
PERFSITE_MFA_RECOVERY_CODES = 10

# Council sign-in by OpenID Connect (mozilla-django-oidc), on when a client id is set. Endpoints are
# given, not discovered, so start-up needs no network; each is required once a client id is set.
# README "Signing in"; docs/decisions/0008.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
PERFSITE_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", None) if PERFSITE_OIDC_ENABLED else ""
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your council account")
try:
    OIDC_GROUP_ROLES: dict[str, str] = json.loads(env_str("OIDC_GROUP_ROLES", "{}"))
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"OIDC_GROUP_ROLES must be a JSON object of group to role: {exc}") from None
if not isinstance(OIDC_GROUP_ROLES, dict) or not all(
    isinstance(group, str) and isinstance(role, str) for group, role in OIDC_GROUP_ROLES.items()
):
    raise ImproperlyConfigured('OIDC_GROUP_ROLES must be a JSON object such as {"group-id": "Auditor"}.')

AUTHENTICATION_BACKENDS = [
    # Refuses locked-out sign-ins before any password is checked; records every attempt.
    "perfsite.lockout.LockoutBackend",
    # Django's ModelBackend, reading the signed-in user's roles with the user: a query less a page.
    "perfsite.auth_backends.RolesModelBackend",
]
if PERFSITE_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("perfsite.oidc.CouncilOIDCBackend")

# Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

# Static files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Email -------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Never print an email (a password-reset link, a reminder naming a team) to a production log.
    EMAIL_BACKEND = "perfsite.mail.UnsentEmailBackend"
# Password reset needs email that reaches the person; without SMTP in production it is switched off.
PERFSITE_PASSWORD_RESET_ENABLED = bool(EMAIL_HOST) or DEBUG
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "perfsite@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("DJANGO_ADMINS", [])]

# Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline scripts or styles: the one boot script carries a nonce, charts are SVG
# styled by classes, so the policy can stay strict in every environment.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Forms and tables ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["govuk"]
CRISPY_TEMPLATE_PACK = "govuk"
DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# perfsite: the council and its rules -------------------------------------------------
PERFSITE_SERVICE_NAME = env_str("PERFSITE_SERVICE_NAME", "Children's services performance")
PERFSITE_COUNCIL_NAME = env_str("PERFSITE_COUNCIL_NAME", "Durham County Council")
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = PERFSITE_SERVICE_NAME
PERFSITE_PHASE = env_str("PERFSITE_PHASE", "Beta")
PERFSITE_DEMO_PASSWORD = env_str("PERFSITE_DEMO_PASSWORD", "")
# The home authority and its CIPFA statistical neighbours (the reference's 15), by ONS code.
PERFSITE_HOME_AUTHORITY_CODE = env_str("PERFSITE_HOME_AUTHORITY_CODE", "E06000047")
PERFSITE_HOME_AUTHORITY_NAME = env_str("PERFSITE_HOME_AUTHORITY_NAME", "County Durham")
PERFSITE_HOME_REGION_NAME = env_str("PERFSITE_HOME_REGION_NAME", "North East")
PERFSITE_STATISTICAL_NEIGHBOURS = env_list(
    "PERFSITE_STATISTICAL_NEIGHBOURS",
    [
        "E08000016", "E08000036", "E08000017", "E08000018", "E08000010",
        "E08000034", "E08000013", "E08000033", "E08000027", "E06000057",
        "E08000008", "E08000019", "E08000037", "E06000004", "E06000021",
    ],
)  # fmt: skip
# Where the demo finds DfE's published CSVs (a trimmed copy ships with the demo data).
PERFSITE_EES_DATA_DIR = Path(env_str("PERFSITE_EES_DATA_DIR", str(BASE_DIR / "indicators" / "demo_data" / "dfe-ees")))
# The tolerance (in the indicator's unit) a new indicator gets for its amber band (docs/domain.md).
PERFSITE_RAG_TOLERANCE_DEFAULT = env_decimal("PERFSITE_RAG_TOLERANCE_DEFAULT", "2", minimum=0)
# A figure is out of date when its period ended more than this many months before the quarter it
# is shown in; 0 means the indicator's usual frequency (12 for annual figures, 3 for quarterly).
PERFSITE_STALE_AFTER_MONTHS = env_int("PERFSITE_STALE_AFTER_MONTHS", 0, minimum=0, maximum=120)
# A computed rate on fewer cases than this is shown with its interval as "too few to rate".
PERFSITE_SMALLEST_AUDIT_BASE = env_int("PERFSITE_SMALLEST_AUDIT_BASE", 10, minimum=1)
PERFSITE_SMALLEST_WORKER_BASE = env_int("PERFSITE_SMALLEST_WORKER_BASE", 5, minimum=1)
# The share of audited case files that should be good or above.
PERFSITE_AUDIT_TARGET_PCT = env_int("PERFSITE_AUDIT_TARGET_PCT", 65, minimum=0, maximum=100)
# The figure audit progress is measured from: Ofsted's inspection of March 2016, 8 of 20 cases good or above.
PERFSITE_AUDIT_BASELINE = {
    "label": env_str("PERFSITE_AUDIT_BASELINE_LABEL", "Ofsted March 2016"),
    "audited": env_int("PERFSITE_AUDIT_BASELINE_AUDITED", 20, minimum=1),
    "good_or_above": env_int("PERFSITE_AUDIT_BASELINE_GOOD_OR_ABOVE", 8, minimum=0),
}
if PERFSITE_AUDIT_BASELINE["good_or_above"] > PERFSITE_AUDIT_BASELINE["audited"]:
    raise ImproperlyConfigured("PERFSITE_AUDIT_BASELINE_GOOD_OR_ABOVE must not exceed PERFSITE_AUDIT_BASELINE_AUDITED.")
PERFSITE_CASELOAD_OPTIMUM = env_int("PERFSITE_CASELOAD_OPTIMUM", 20, minimum=1)
# The address reminder emails link to.
PERFSITE_SITE_URL = env_str("PERFSITE_SITE_URL", "http://127.0.0.1:8000")
# Audit programme: % of open cases sampled, % of submitted audits moderated, days to complete.
PERFSITE_AUDIT_SAMPLE_RATE = str(env_int("PERFSITE_AUDIT_SAMPLE_RATE", 5, minimum=1, maximum=100))
PERFSITE_AUDIT_MODERATION_RATE = str(env_int("PERFSITE_AUDIT_MODERATION_RATE", 10, minimum=1, maximum=100))
PERFSITE_AUDIT_DUE_DAYS = env_int("PERFSITE_AUDIT_DUE_DAYS", 28, minimum=1)
# Caseload bands' upper bounds (the last band is "over" the last bound), and when a figure needs confirming.
PERFSITE_CASELOAD_BANDS = tuple(env_int_list("PERFSITE_CASELOAD_BANDS", [10, 15, 20, 25, 30], minimum=1))
if list(PERFSITE_CASELOAD_BANDS) != sorted(set(PERFSITE_CASELOAD_BANDS)):
    raise ImproperlyConfigured("PERFSITE_CASELOAD_BANDS must rise, each bound above the one before.")
PERFSITE_CASELOAD_IMPLAUSIBLE_CASES = env_int("PERFSITE_CASELOAD_IMPLAUSIBLE_CASES", 60, minimum=1)
# A hard ceiling: a figure above it is refused outright, confirmed or not (a typing slip, like 150 for 15).
PERFSITE_CASELOAD_MAX_CASES = env_int("PERFSITE_CASELOAD_MAX_CASES", 120, minimum=1)
if PERFSITE_CASELOAD_MAX_CASES < PERFSITE_CASELOAD_IMPLAUSIBLE_CASES:
    raise ImproperlyConfigured(
        "PERFSITE_CASELOAD_MAX_CASES must be at least PERFSITE_CASELOAD_IMPLAUSIBLE_CASES, "
        "or figures between them could never be confirmed."
    )
# A change from last month by more than this share of last month's figure needs confirming too.
PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE = env_decimal("PERFSITE_CASELOAD_IMPLAUSIBLE_CHANGE", "0.5", minimum=0)
# Where caseload trends start: the month of the Ofsted inspection.
PERFSITE_CASELOAD_BASELINE_MONTH = env_month("PERFSITE_CASELOAD_BASELINE_MONTH", "2016-02")
PERFSITE_CASELOAD_DUE_WORKING_DAY = env_int("PERFSITE_CASELOAD_DUE_WORKING_DAY", 5, minimum=1, maximum=20)
# One-off bank holidays not in the built-in English calendar, as ISO dates.
PERFSITE_EXTRA_BANK_HOLIDAYS = env_list("PERFSITE_EXTRA_BANK_HOLIDAYS", [])
PERFSITE_IMPORT_MAX_BYTES = env_int("PERFSITE_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Scorecards: periods in each indicator's small trend; the quarters the demo publishes.
PERFSITE_SCORECARD_SPARKLINE_POINTS = env_int("PERFSITE_SCORECARD_SPARKLINE_POINTS", 8, minimum=2)
PERFSITE_SCORECARD_DEMO_QUARTERS = tuple(env_list("PERFSITE_SCORECARD_DEMO_QUARTERS", ["2016-17-q3", "2016-17-q4"]))
# Every import (page or command) is bounded in work, not only bytes: rows of data, columns, cells
# read (empty ones count) and the size an XLSX unpacks to (a compression bomb is refused unopened).
PERFSITE_IMPORT_MAX_ROWS = env_int("PERFSITE_IMPORT_MAX_ROWS", 50_000, minimum=1)
PERFSITE_IMPORT_MAX_COLUMNS = env_int("PERFSITE_IMPORT_MAX_COLUMNS", 100, minimum=1)
PERFSITE_IMPORT_MAX_CELLS = env_int("PERFSITE_IMPORT_MAX_CELLS", 1_000_000, minimum=1)
# An upload larger than this is checked by a Celery worker, with a "Checking your file" page, so
# no request holds a web worker while a large file is read; smaller ones are checked at once.
PERFSITE_IMPORT_BACKGROUND_BYTES = env_int("PERFSITE_IMPORT_BACKGROUND_BYTES", 1024 * 1024, minimum=0)
PERFSITE_IMPORT_MAX_UNPACKED_BYTES = env_int("PERFSITE_IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024, minimum=1024)
# A pack build that has not reported for this long is taken as dead (its worker was killed): the
# pack page says so and offers to try again. The build beats four times per timeout.
PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS = env_int("PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS", 60, minimum=2)
# How long a starting process (gunicorn, the Celery worker, manage.py wait_for_services) keeps asking
# the database, the cache and the broker before it stops with a message naming the one that is down.
PERFSITE_STARTUP_WAIT_SECONDS = env_int("PERFSITE_STARTUP_WAIT_SECONDS", 30, minimum=0)
# Retention (docs/data-protection.md): a closed case, its audits and actions and their history are
# deleted this many whole years after the case closed (manage.py apply_retention, nightly on beat).
PERFSITE_RETENTION_YEARS_AFTER_CLOSURE = env_int("PERFSITE_RETENTION_YEARS_AFTER_CLOSURE", 6, minimum=1, maximum=100)
