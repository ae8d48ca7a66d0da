"""The demo loader: idempotent, prints credentials, refuses to run in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dpia.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_load_demo_creates_users_who_can_log_in_and_is_idempotent(settings, capsys, client):
    settings.DEBUG = True
    call_command("load_demo")
    first = (Organisation.objects.count(), Membership.objects.count(),
             get_user_model().objects.count())
    call_command("load_demo")
    assert (Organisation.objects.count(), Membership.objects.count(),
            get_user_model().objects.count()) == first
    out = capsys.readouterr().out
    assert "reviewer" in out and "password" in out
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(Organisation.Kind.values)
    for membership in Membership.objects.select_related("organisation"):
        membership.full_clean()
    password = out.split("password for all: ")[1].split(")")[0]
    assert client.login(username="reviewer", password=password)


def test_load_demo_refuses_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("load_demo")
