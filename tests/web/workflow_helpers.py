"""Helpers to take an assessment through the workflow with the test client, as each person would."""

import copy

from django.urls import reverse
from django.utils import timezone

from dpia import selectors, services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AssessmentVersion, Membership, Organisation
from tests.web.wizard_helpers import complete_through_wizard, save_step


def frozen_version(organisation, author, *, title, summary):
    """Version 1 of a new assessment, as sealed (digests and PDF stand in), without going through the pages."""
    assessment = Assessment.objects.create(organisation=organisation, title=title, created_by=author)
    return AssessmentVersion.objects.create(
        assessment=assessment, number=1, content={"answers": {"project.summary": summary}},
        digest="a" * 64, pdf=b"%PDF", pdf_digest="b" * 64, created_by=author, created_at=timezone.now())


def act(client, user, assessment, action, **data):
    """Post an action as its button would; signing, publishing and revising a published assessment as confirmed
    on their confirmation page."""
    client.force_login(user)
    if action in ("sign", "publish", "publish_shadow", "revise"):
        data.setdefault("confirmed", "yes")
    # The page the button is on shows the record as it is now (a test of a stale page gives its own `seen`).
    data.setdefault("seen", selectors.workflow_seen(Assessment.objects.get(pk=assessment.pk)))
    return client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": action}), data)


def review(client, reviewer, submission, action, **data):
    client.force_login(reviewer)
    return client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": action}), data)


def status(assessment):
    assessment.refresh_from_db()
    return assessment.status


def sign(client, people, assessment, advice="OK"):
    """From a complete draft to a signed version, through the DPO's advice and the controller's decision."""
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice=advice)
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed")
    act(client, people["signatory"], assessment, "sign")
    return assessment.versions.order_by("-number").first()


def submit_with_consultation(client, people, assessment):
    """Take the assessment through DPO advice and signature to the regulator, with a high residual risk
    so that prior consultation (GDPR Art. 36(1)) and its clock apply."""
    client.force_login(people["author"])
    save_step(client, assessment, "risks", {"risks.list": [{"key": "r1", "risk": "chilling_effect",
                                                            "severity": "maximum", "likelihood": "maximum"}]})
    signed = sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    return signed.submissions.get()


_COMPLETE_ANSWERS: dict = {}


def complete_assessment(client, people, title="Tram cameras"):
    """A draft answered in every required question: walked through the wizard once, then imported."""
    assessment = Assessment.objects.create(organisation=people["city"], title=title, created_by=people["author"])
    if not _COMPLETE_ANSWERS:
        client.force_login(people["author"])
        complete_through_wizard(client, assessment)
        assessment.refresh_from_db()
        _COMPLETE_ANSWERS.update(copy.deepcopy(assessment.answers))
        return assessment
    return services.assessment_import_answers(assessment=assessment, user=people["author"],
                                              answers=copy.deepcopy(_COMPLETE_ANSWERS), bank=default_bank())


def shadow_assessment(client, make_organisation, make_user, *, title="City drones"):
    """A civil society's shadow assessment of a named project, screened, with its author logged in."""
    ngo = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    author = make_user(Membership.Role.AUTHOR, organisation=ngo)
    client.force_login(author)
    client.post(reverse("assessment_new"), {"title": title, "organisation": ngo.pk,
                                            "shadow_of": "Police drone pilot of a large city"})
    shadow = Assessment.objects.get(title=title)
    save_step(client, shadow, "screening", {"screening.jurisdiction": "fr"})
    return author, shadow
