"""Coconnect settings, driven by environment variables (see README.md)."""

import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .logs import FILTERS as LOG_FILTERS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.getenv(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY and os.getenv("SECRET_KEY_FILE"):
    # `make run` keeps a key made once in var/secret_key (sessions survive a restart).
    SECRET_KEY = (BASE_DIR / os.environ["SECRET_KEY_FILE"]).read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# `manage.py load_demo` keeps the demo participant's link here and prints it again while it works.
DEMO_INVITE_TOKEN_FILE = BASE_DIR / "var" / "demo_invite_token"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "trajectories",
    "interests",
    "workshops",
    "improvements",
    "health",
    "reports",
    "audit",
    "organisations",
    "reminders",
    "coconnect",  # shared template filters (coconnect/templatetags)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "coconnect.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trajectories.middleware.ParticipantMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coconnect.urls"
WSGI_APPLICATION = "coconnect.wsgi.application"
ASGI_APPLICATION = "coconnect.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trajectories.context_processors.participant",
                "trajectories.context_processors.active_tab",
            ],
        },
    },
]

# Under ASGI every request runs in a thread of its own, so persistent connections pile up:
# keep them off by default and, on PostgreSQL, share a small pool per process instead.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'coconnect.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 0)
if DB_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")

if REDIS_URL:
    # A Redis outage is a cache miss, never an error page (coconnect/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "coconnect.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coconnect",
            # Short timeouts: an unreachable Redis costs a request milliseconds, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with REDIS_URL a real worker takes the tasks; without it the tasks run in the
# web process itself (see coconnect/background.py), so every feature works on a bare machine.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With late acks, a task whose worker died is handed out again after this many seconds. It must
# exceed the longest task (reports: 150 s hard limit) plus the longest retry countdown (80 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
# Periodic jobs, run by a Celery beat process. Retention (AVG): every night, completed trajectories
# past their retention period are anonymised and facilitators warned 30 days ahead.
CELERY_BEAT_SCHEDULE = {
    "apply-retention": {
        "task": "trajectories.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    # Reminders (reminders/rules.py): every morning, before the working day starts.
    "send-reminders": {
        "task": "reminders.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Weekly digests: facilitators per trajectory, participants who chose a digest.
    "send-weekly-digests": {
        "task": "reminders.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
}
# Without a broker there is no beat: the web process runs due jobs itself (coconnect/schedule.py).
RUN_DUE_JOBS_IN_WEB = env_bool("RUN_DUE_JOBS_IN_WEB", not REDIS_URL)

# django-axes refuses sign-ins for a while after repeated failures, per account name and per
# address (either one suffices, so guessing many passwords for one account and one password for
# many accounts are both stopped). Unknown account names count the same, so the refusal never
# tells whether an account exists. Only failures are kept, not every sign-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
# Before the pause, each failure answers this many seconds later than the one before.
LOGIN_SLOWDOWN_SECONDS = env_int("LOGIN_SLOWDOWN_SECONDS", 1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "coconnect.security.sign_in_paused"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "coconnect.security.axes_client_address"
AXES_VERBOSE = False  # one line per refusal from our own logger is enough

# --- sign-in through the organisation's identity provider (OpenID Connect) ----------------------
# Off unless OIDC_RP_CLIENT_ID is set; then the login page offers "Sign in with <provider>" above
# the password form (coconnect/oidc.py). The endpoints are read from the issuer's discovery
# document at the first sign-in, unless each is given here (a provider without discovery).
OIDC_RP_CLIENT_ID = os.getenv("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.getenv("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.getenv("OIDC_OP_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.getenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.getenv("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.getenv("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.getenv("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.getenv("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
# Accounts are created on a first sign-in only for these e-mail domains (empty: never).
OIDC_ALLOWED_EMAIL_DOMAINS = [
    domain.lower().lstrip("@") for domain in env_list("OIDC_ALLOWED_EMAIL_DOMAINS")
]
OIDC_PROVIDER_NAME = os.getenv("OIDC_PROVIDER_NAME", "")
OIDC_USE_PKCE = True  # the NL GOV profile asks for it; harmless where a provider does not
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic, the default method of OpenID Connect
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds per request to the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if OIDC_RP_CLIENT_ID:
    _endpoints = (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
    if not OIDC_RP_CLIENT_SECRET or not (OIDC_OP_ISSUER or all(_endpoints)):
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set: also set OIDC_RP_CLIENT_SECRET and OIDC_OP_ISSUER (or all "
            "four OIDC_OP_*_ENDPOINT variables)."
        )
    # After django-axes, which must come first to refuse a locked-out address.
    AUTHENTICATION_BACKENDS.append("coconnect.oidc.OIDCBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coconnect.formats"]  # one date style per language

STATIC_URL = "static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"  # never served publicly: downloads go through permission-checked views
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

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Coconnect <noreply@coconnect.localhost>")

# The operator: who runs this installation and answers for it. Shown on the privacy and
# accessibility statements and in /.well-known/security.txt. Each contact falls back to the
# operator's address, and that to the sender address, so every page names someone to write to.
OPERATOR_NAME = os.getenv("OPERATOR_NAME", "")
OPERATOR_ADDRESS = os.getenv("OPERATOR_ADDRESS", "")
OPERATOR_EMAIL = os.getenv("OPERATOR_EMAIL", "") or parseaddr(DEFAULT_FROM_EMAIL)[1]
PRIVACY_CONTACT_EMAIL = os.getenv("PRIVACY_CONTACT_EMAIL", "") or OPERATOR_EMAIL
SECURITY_CONTACT_EMAIL = os.getenv("SECURITY_CONTACT_EMAIL", "") or OPERATOR_EMAIL
ACCESSIBILITY_CONTACT_EMAIL = os.getenv("ACCESSIBILITY_CONTACT_EMAIL", "") or OPERATOR_EMAIL
ACCESSIBILITY_STATEMENT_DATE = os.getenv("ACCESSIBILITY_STATEMENT_DATE", "")  # YYYY-MM-DD

# --- security headers (BIO) ---------------------------------------------------------------------
# One strict Content-Security-Policy for every response (django-csp; the live endpoints get the
# same through coconnect/security.py): scripts, styles, images and connections only from our own
# origin, nothing inline, no eval, never in a frame. Templates keep it so: no inline scripts,
# styles or style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS: when SITE_URL is https, browsers are told to use nothing else for a year (HSTS) and plain
# http is redirected (the health check stays reachable over plain http inside the network).
# Behind a TLS-terminating proxy, uvicorn/gunicorn take the scheme from X-Forwarded-Proto of the
# proxies in FORWARDED_ALLOW_IPS, so no SECURE_PROXY_SSL_HEADER is needed.
HTTPS = SITE_URL.startswith("https://")
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS and not DEBUG else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", bool(SECURE_HSTS_SECONDS)
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", bool(SECURE_HSTS_SECONDS))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS and not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS and not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
# Sessions are read from the cache (Redis in production) and written through to the database, so
# a phone posting a dot or a note costs no session query; a Redis outage falls back to the
# database (coconnect/cache.py answers a miss).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Invite links: how long a freshly issued link stays valid, and how many bad attempts one
# address may make per window before it is refused for a while.
INVITE_LINK_DAYS = env_int("INVITE_LINK_DAYS", 60)
# Sign-in links in mails (coconnect/mail.py): single use, valid this many days.
SIGN_IN_TOKEN_DAYS = env_int("SIGN_IN_TOKEN_DAYS", 3)
INVITE_RATE_LIMIT_ATTEMPTS = env_int("INVITE_RATE_LIMIT_ATTEMPTS", 10)
INVITE_RATE_LIMIT_WINDOW = env_int("INVITE_RATE_LIMIT_WINDOW", 600)
# Knocks (asking to join a workshop from the projector's QR code): how long one waits before it
# expires, and how many one address and one workshop may make per window. A room's phones often
# share one public address, so the address limit leaves room for a full room.
KNOCK_MINUTES = env_int("KNOCK_MINUTES", 30)
KNOCK_LIMIT_PER_ADDRESS = env_int("KNOCK_LIMIT_PER_ADDRESS", 60)
KNOCK_LIMIT_PER_WORKSHOP = env_int("KNOCK_LIMIT_PER_WORKSHOP", 200)
KNOCK_LIMIT_WINDOW = env_int("KNOCK_LIMIT_WINDOW", 600)
# The proxies whose X-Forwarded-For is believed (addresses or networks, "*" for any): the same
# variable gunicorn and uvicorn read. Default none, so a visitor cannot pick its own address.
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS")

# Every handler masks invite tokens and live keys (coconnect/logs.py); refused requests (4xx) are
# one line each. Access logs of uvicorn, gunicorn and runserver go to stdout through the same
# filter; Django's own loggers print once (not again through Django's DEBUG console handler).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": LOG_FILTERS,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_secrets", "refusals_on_one_line"],
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every stylesheet it parses, also its own on import.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes narrates every sign-in and failure; coconnect.security logs each refusal.
        "axes": {"level": "ERROR"},
        **{
            name: {"handlers": ["access"], "level": "INFO", "propagate": False}
            for name in ("django.server", "uvicorn.access", "gunicorn.access")
        },
    },
}
