"""Reads about accounts: roles and organisations."""

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

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


def holds_role_in_row(user, roles, model) -> RawSQL:
    """holds_role for a query on `model` itself (a row of its table, under the table's own name, with an
    `organisation` foreign key): the same EXISTS, written in SQL. Django resolves and compiles an Exists of a
    queryset anew at every request (about 1.5 ms, as much as the rest of the query); this is built in microseconds.
    Not for a query used as a subquery, where Django renames the outer table."""
    quote = connection.ops.quote_name
    table, outer = quote(Membership._meta.db_table), quote(model._meta.db_table)

    def column(of, name):
        return quote(of._meta.get_field(name).column)

    roles = sorted(str(role) for role in roles)
    # Only identifiers from the models' metadata, quoted, are written into the SQL; every value is a parameter.
    user_is = f"{table}.{column(Membership, 'user')} = %s"
    same_organisation = f"{table}.{column(Membership, 'organisation')} = {outer}.{column(model, 'organisation')}"
    role_in = f"{table}.{column(Membership, 'role')} IN ({', '.join(['%s'] * len(roles))})"
    sql = f"EXISTS (SELECT 1 FROM {table} WHERE {user_is} AND {same_organisation} AND {role_in})"  # noqa: S608
    return RawSQL(sql, [user.pk, *roles], output_field=BooleanField())  # noqa: S611


def organisations_where(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def regulators() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGULATOR)


def auditor_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, [policies.Role.AUDITOR]).filter(kind=Organisation.Kind.CIVIL_SOCIETY)
