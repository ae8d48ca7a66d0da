"""The demo loader: idempotent, prints credentials, refuses to run in production."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from dpia.management.commands.load_demo import DEMO_PASSWORD
from dpia.models import (
    Annotation,
    Assessment,
    AuditLogEntry,
    DpoAdvice,
    Membership,
    Organisation,
    Publication,
    Signature,
    Submission,
)

pytestmark = pytest.mark.django_db


def test_load_demo_creates_users_who_can_log_in_and_is_idempotent(settings, capsys, client, fake_renderer):
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


S = Assessment.Status


@pytest.fixture
def demo(settings, fake_renderer):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_demo_cases_sit_in_every_state_of_the_workflow(demo):
    """Right after `make run` every screen has a real case to show: one case per stage of the way."""
    statuses = {a.title: a.status for a in Assessment.objects.exclude(organisation__slug="demo-ngo")}
    assert statuses == {
        "Safe City control room pilot (demo)": S.DRAFT,
        "Mapping the feeling of insecurity from residents' alerts and social media (demo)": S.DPO_REVIEW,
        "Citizen reporting app with live video to the municipal police (demo)": S.SUBMITTED,
        "Smart video protection and big-data observatory of public tranquillity (demo)": S.UNDER_REVIEW,
        "Safe City cameras with facial recognition (demo)": S.INFORMATION_REQUESTED,
        "Neighbourhood control room with chatbot and social-media signals (demo)": S.OPINION_ISSUED,
        "Police access to residents' doorbell-camera footage through a vendor platform (demo)": S.PUBLISHED,
        "Port cyber-resilience programme: security logs and phishing drills (demo)": S.PUBLISHED,
    }
    # Every step was taken through the services: each status change is in the audit log.
    for assessment in Assessment.objects.exclude(status=S.DRAFT):
        actions = list(AuditLogEntry.objects.filter(assessment=assessment).values_list("action", flat=True))
        assert "request_dpo_advice" in actions or assessment.shadow_of, (assessment.title, actions)


def test_demo_workflow_leaves_real_records_behind(demo):
    essex = Assessment.objects.get(organisation__slug="demo-essex-police")
    publication = Publication.objects.get(version__assessment=essex)
    signature = Signature.objects.get(version__assessment=essex)
    assert signature.version == publication.version and signature.advice.decision == "partly_followed"
    annotation = Annotation.objects.get(publication=publication)
    assert annotation.organisation.slug == "demo-ngo" and annotation.replies.count() == 1

    shadow = Assessment.objects.get(organisation__slug="demo-ngo")
    assert shadow.status == S.PUBLISHED and shadow.shadow_of
    assert Publication.objects.get(version__assessment=shadow).shadow

    marseille = Submission.objects.get(version__assessment__organisation__slug="demo-city-marseille")
    assert marseille.prior_consultation and marseille.deadline and marseille.comments.count() == 2
    assert {v.section for v in marseille.section_verdicts.all()} == {"legality", "necessity"}
    belgrade = Submission.objects.get(version__assessment__organisation__slug="demo-belgrade-police")
    assert belgrade.regulator.country == "RS" and belgrade.information_requests.get().answered_at is None
    hague = Submission.objects.get(version__assessment__organisation__slug="demo-hague-city")
    assert hague.opinion.kind == "objection" and hague.closed_at is not None

    turin = Assessment.objects.get(organisation__slug="demo-turin-police")
    assert turin.versions.count() == 1 and not DpoAdvice.objects.filter(version__assessment=turin).exists()


def test_demo_pages_show_the_cases_to_each_role(demo, client):
    register = client.get(reverse("register"))
    assert "Port cyber-resilience programme" in register.content.decode()
    assert "Shadow assessment" in register.content.decode()
    assert client.login(username="reviewer", password=DEMO_PASSWORD)
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Smart video protection" in queue and "Citizen reporting app" in queue
    assert "Safe City cameras" not in queue  # submitted to another authority
    client.logout()
    assert client.login(username="dpo_turin", password=DEMO_PASSWORD)
    turin = Assessment.objects.get(organisation__slug="demo-turin-police")
    assert client.get(reverse("assessment_detail", args=[turin.pk])).status_code == 200


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
