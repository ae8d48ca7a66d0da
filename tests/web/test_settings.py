"""Production settings are safe by default and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_passes_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-" + "z8Q!r2" * 8,
        DJANGO_ALLOWED_HOSTS="dpia.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_development_mode_starts_without_configuration():
    result = run_manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # IMMEDIATE: concurrent writers queue for the lock (login throttling relies on it).
        ("sqlite:////var/lib/dpia/db.sqlite3", {"ENGINE": "django.db.backends.sqlite3",
                                                "NAME": "/var/lib/dpia/db.sqlite3",
                                                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20}}),
        ("sqlite:///db.sqlite3", {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}),
        ("postgres://dpia:s%40cret@db.internal:5433/workbench?sslmode=require",
         {"ENGINE": "django.db.backends.postgresql", "NAME": "workbench", "USER": "dpia",
          "PASSWORD": "s@cret", "HOST": "db.internal", "PORT": 5433,
          "OPTIONS": {"sslmode": "require"}, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}),
        # TLS with a pinned CA and server options pass through to psycopg untouched.
        ("postgresql://dpia@db/workbench?sslmode=verify-full&sslrootcert=/etc/dpia/ca.pem"
         "&options=-c%20statement_timeout%3D5000",
         {"NAME": "workbench", "HOST": "db", "OPTIONS": {
             "sslmode": "verify-full", "sslrootcert": "/etc/dpia/ca.pem", "options": "-c statement_timeout=5000"}}),
    ],
)
def test_database_url_is_translated(url, expected):
    config = database_from_url(url)
    assert {key: config[key] for key in expected} == expected


def test_unknown_database_scheme_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://localhost/db")
