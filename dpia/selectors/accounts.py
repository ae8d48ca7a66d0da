"""Reads about accounts: roles, organisations, the login throttle."""

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from dpia import policies
from dpia.models import (
    LoginFailure,
    Membership,
    Organisation,
)


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


def roles_in(user, organisation_id: int) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list("role", flat=True)
    )


def organisations_where(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def regulators() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGULATOR)


def auditor_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, [policies.Role.AUDITOR]).filter(kind=Organisation.Kind.CIVIL_SOCIETY)
