"""Login throttling: django-axes counts failures per (username, IP); this module gives it the
username and address to count, and makes the count, the password check and the record one step."""

import hashlib
from contextlib import contextmanager

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and cannot be trusted here.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


def login_username(request, credentials=None) -> str:
    """The username the throttle counts (AXES_USERNAME_CALLABLE): case-insensitive, as typed."""
    if credentials and credentials.get("username") is not None:
        username = credentials["username"]
    else:
        username = request.POST.get("username", "") if request is not None else ""
    return str(username).replace("\x00", "")[:150].casefold()


@contextmanager
def one_attempt_at_a_time(username: str, ip_address: str):
    """Serialise login attempts of one (username, IP) pair, so that counting earlier failures, checking
    the password and recording a failure are one step: parallel guesses cannot all pass the count."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A transaction-level advisory lock per pair; other pairs and other users never wait.
            key = int.from_bytes(hashlib.sha256(f"{username}\n{ip_address}".encode()).digest()[:8], "big",
                                 signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        # On SQLite this transaction began IMMEDIATE (settings): it holds the database's write lock.
        yield


def login_locked_until(username: str, ip_address: str):
    """When this (username, IP) pair may try again."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(Max("attempt_time"))
    return (last["attempt_time__max"] or timezone.now()) + settings.AXES_COOLOFF_TIME


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, for authentications that come with a request (every login form passes
    one). Without a request (the test client's login(), a shell) there is no (username, IP) to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def within_rate(scope: str, who: object, *, limit: int, seconds: int) -> bool:
    """True while `who` has made at most `limit` requests of this kind in the current window of `seconds`
    (counted in the cache: per app server unless the cache is shared)."""
    key = f"rate:{scope}:{who}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        return True
