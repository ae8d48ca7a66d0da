"""The demo loader: idempotent, prints credentials, refuses to run in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dpia.models import Assessment, Membership, Organisation

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
    demo = Assessment.objects.get(title="Safe City control room pilot (demo)")
    assert demo.answers["streams.list"][1]["key"] == "social"
    assert demo.revisions.get().step == "import"


def test_every_demo_case_is_valid_against_the_bank():
    import tomllib

    from dpia.engine.answers import validate_answers
    from dpia.engine.bank import default_bank
    from dpia.management.commands.load_demo import DEMO_CASES_DIR, DEMO_ORGANISATIONS

    files = sorted(DEMO_CASES_DIR.glob("*.toml"))
    assert files
    for path in files:
        case = tomllib.loads(path.read_text())
        assert validate_answers(case["answers"], default_bank()) == [], path.name
        assert case["case"]["organisation"] in {slug for slug, *_ in DEMO_ORGANISATIONS}


def test_load_demo_refuses_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("load_demo")
