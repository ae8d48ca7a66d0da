"""Reads. Every query that decides what a user may see starts here."""

from datetime import datetime

from django.conf import settings

from dpia.models import LoginFailure, Membership


def login_locked_until(*, username: str, ip_address: str, now: datetime) -> datetime | None:
    """When this (username, IP) pair may try again, or None if it is not locked."""
    window_start = now - settings.LOGIN_FAILURE_COOLOFF
    recent = list(
        LoginFailure.objects.filter(
            username=username.casefold(), ip_address=ip_address, at__gte=window_start
        )
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(recent) < settings.LOGIN_FAILURE_LIMIT:
        return None
    return recent[0] + settings.LOGIN_FAILURE_COOLOFF


def memberships_of(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation"))
