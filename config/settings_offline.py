"""Settings for the command-line tools that never serve a request (`assess`, `report`, `verify`,
`bank_schema`): an NGO running the engine offline has no server, and so no secret, to configure.

The secret key signs cookies, password-reset links and the like: nothing these commands make. Each
run draws a fresh random one and nothing signed with it outlives the process. The module is still
unfit to serve: it allows no host (every request would be refused with 400) and config/wsgi.py and
config/asgi.py refuse to start with it. Everything else is read from the environment as usual
(DATABASE_URL for `verify`)."""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "offline-" + secrets.token_urlsafe(48))
os.environ.setdefault("DJANGO_HTTPS", "0")

from config.settings import *  # noqa: E402, F403

ALLOWED_HOSTS: list[str] = []
# The tools print their results; only warnings and errors of the libraries beneath them are worth showing.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": env("DJANGO_LOG_LEVEL", "WARNING")}}  # noqa: F405
# No collectstatic for the command line: the report reads its static files from the source tree.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

