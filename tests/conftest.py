"""Factory fixtures shared by every test."""

import itertools

import pytest

from dpia.models import Membership, Organisation

_counter = itertools.count(1)

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in French leaves its language active in the worker's thread; the next test starts in the default
    language, as a new request would."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def make_organisation(db):
    def make(kind=Organisation.Kind.PUBLIC_BODY, **fields):
        n = next(_counter)
        defaults = {"name": f"Organisation {n}", "slug": f"org-{n}", "city": "Nice", "country": "FR"}
        return Organisation.objects.create(kind=kind, **{**defaults, **fields})

    return make


@pytest.fixture
def make_user(db, django_user_model, make_organisation):
    """A user with the given roles in `organisation` (a new public body if none is given)."""

    def make(*roles, organisation=None, username=None, password=PASSWORD, **fields):
        user = django_user_model.objects.create_user(
            username=username or f"user{next(_counter)}", password=password, **fields
        )
        if roles and organisation is None:
            organisation = make_organisation()
        for role in roles:
            Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def author(make_user):
    return make_user(Membership.Role.AUTHOR)
