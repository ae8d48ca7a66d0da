"""Reads about accounts: roles and organisations."""

from django.db.models import Exists, OuterRef, QuerySet

from dpia import policies
from dpia.models import (
    Membership,
    Organisation,
)


def memberships_of(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def roles_in(user, organisation_id: int) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list("role", flat=True)
    )


def holds_role(user, roles, organisation="organisation"):
    """An expression: whether the user holds one of `roles` in the organisation of the row (for annotations, so
    that a permission is read in the same query as the row)."""
    return Exists(Membership.objects.filter(user=user, organisation=OuterRef(organisation), role__in=roles))


def organisations_where(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def regulators() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGULATOR)


def auditor_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, [policies.Role.AUDITOR]).filter(kind=Organisation.Kind.CIVIL_SOCIETY)
