"""Test settings: the production module, with HTTPS redirection off (the test server is plain HTTP)
and a fast password hasher. The database still comes from DATABASE_URL, so CI runs on PostgreSQL."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file rather than shared-cache memory: tests that send requests in parallel threads need
    # SQLite's real locking between connections, as in production.
    # One file per test run, so that two runs at once do not share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"dpia-test-{os.getpid()}.sqlite3")}

# Tasks run at once, inside the request that enqueues them (tests/web/test_render_tasks.py also drives
# the database backend and its worker).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# No collectstatic before tests: static files keep their source names.
# WhiteNoise serves the source folders (no collected STATIC_ROOT in tests), as in development.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
