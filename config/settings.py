"""Settings of the DPIA workbench: one module, driven by environment variables.

Safe by default: without DJANGO_DEBUG=1 the app runs as in production (HTTPS-only cookies, HSTS,
a secret key that must be given). `make run` sets DJANGO_DEBUG=1 for local use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Translate a DATABASE_URL to Django with dj-database-url (query parameters such as `sslmode`,
    `sslrootcert` or `options` become connection options)."""
    try:
        config = dj_database_url.parse(url, conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "60")),
                                       conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from exc
    if config["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL: {config['ENGINE']} is not supported (SQLite or PostgreSQL).")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One connection per thread is cheap on SQLite; reusing it gains nothing.
        config.update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
        # IMMEDIATE: a transaction takes the write lock when it starts, so concurrent writers queue
        # (up to `timeout` seconds) instead of failing with "database is locked" when they upgrade.
        config.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    return config


# ==============================================================================================
# Core
# ==============================================================================================
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "formtools",
    "axes",
    "django_tasks_db",
    "dpia",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself (hashed names, compressed, cached for a year).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dpia.middleware.PathIdsInRangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dpia.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dpia.middleware.PrivatePagesNoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "dpia.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ==============================================================================================
# Database: SQLite by default, PostgreSQL in production through DATABASE_URL
# ==============================================================================================
DATABASES = {
    "default": database_from_url(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}

# ==============================================================================================
# Authentication and sessions
# ==============================================================================================
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2 (Django's recommended hasher) for new and updated passwords. At Django's parameters (time cost 2,
# 100 MiB of memory, 8 lanes) a check took 0.21 s (0.37 s of CPU over both cores) on the 2-core machine, against
# 0.72 s of CPU for PBKDF2 at 1.5 million iterations, which made logins the bottleneck when many people arrive at
# once (bench/RESULTS.md, load test). Each concurrent check holds its 100 MiB while it runs: gunicorn's
# workers × threads bound how many run at once. The others remain so that existing hashes still verify; each is
# rehashed with Argon2 at its next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Throttling of failed logins (django-axes) per (username, IP address): after LIMIT failures that pair
# waits for the cool-off; colleagues behind the same office IP are not locked out. The login form runs
# the check, the password test and the record as one step per pair (dpia.throttle.one_attempt_at_a_time).
AUTHENTICATION_BACKENDS = [
    "dpia.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "dpia.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "dpia.throttle.client_ip"
AXES_RESET_ON_SUCCESS = False  # the login form resets, while it holds the pair's lock
# Attempts during a lockout are refused unchecked and do not push the time the page announces.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dpia.views.accounts.locked_out"

# Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT after login
# whatever the activity (dpia.middleware.SessionTimeoutMiddleware). Drafts live in the database.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(env("DJANGO_SESSION_IDLE_MINUTES", "30")))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(env("DJANGO_SESSION_MAX_HOURS", "12")))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "dpia.views.errors.csrf_failure"  # our page, in the user's language

# ==============================================================================================
# HTTPS and security headers (on unless DEBUG; DJANGO_HTTPS=0 behind a TLS-terminating proxy test)
# ==============================================================================================
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere; everything is served from our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# ==============================================================================================
# Internationalisation
# ==============================================================================================
LANGUAGE_CODE = env("DJANGO_LANGUAGE_CODE", "en")
# English dates day-month-year (config/formats/en), as in the rest of Europe.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "dpia" / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

# ==============================================================================================
# Static and media files (served locally, never from a CDN)
# ==============================================================================================
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed copies made by collectstatic; in debug the files are served from the source.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# ==============================================================================================
# Slow work (PDF rendering, email) as django.tasks, kept in the database and run by
# `manage.py db_worker`; any django.tasks backend can replace it (README, "Scaling out").
# ==============================================================================================
TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}
# A failed report render is tried this many times in all, the waits between tries growing from
# REPORT_RENDER_RETRY_SECONDS, before it is reported as failed.
REPORT_RENDER_ATTEMPTS = int(env("DJANGO_REPORT_RENDER_ATTEMPTS", "3"))
REPORT_RENDER_RETRY_SECONDS = int(env("DJANGO_REPORT_RENDER_RETRY_SECONDS", "10"))
# A render still "rendering" this long after its try started has lost its worker (a render is stopped after
# a minute): it is queued again, as a further try, or reported as failed after the last one. Taken back when
# its PDF page is asked for, and by `manage.py reclaim_report_renders` (run it every few minutes from cron).
REPORT_RENDER_STUCK_SECONDS = int(env("DJANGO_REPORT_RENDER_STUCK_SECONDS", "600"))

# ==============================================================================================
# Email (console in development)
# ==============================================================================================
EMAIL_BACKEND_PATH = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(env("DJANGO_EMAIL_PORT", "25")),
        "username": env("DJANGO_EMAIL_HOST_USER", ""),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "dpia-workbench@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ==============================================================================================
# Logging: security events go to the "dpia.security" logger
# ==============================================================================================
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
