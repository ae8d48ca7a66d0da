"""Writes about accounts: the login throttle's record of failures."""

import logging
from datetime import datetime

from django.db import transaction

from dpia.models import LoginFailure

security_log = logging.getLogger("dpia.security")


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str, now: datetime) -> None:
    LoginFailure.objects.create(username=username.casefold(), ip_address=ip_address, at=now)
    # %r keeps newlines typed into the username from forging log lines.
    security_log.warning("login failed username=%r ip=%s", username, ip_address)


@transaction.atomic
def login_failures_clear(*, username: str, ip_address: str) -> None:
    LoginFailure.objects.filter(username=username.casefold(), ip_address=ip_address).delete()
    security_log.info("login succeeded username=%r ip=%s", username, ip_address)
