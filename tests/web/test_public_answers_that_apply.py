"""The public register shows only the answers that apply: an answer kept in the draft after its question stopped
applying (hidden by the report) is sealed in the signed version but never published."""

import copy
import json

import pytest
from django.urls import reverse

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Membership, Publication
from dpia.reports.redaction import redact, redaction_preview
from tests.web.wizard_helpers import save_step
from tests.web.workflow_helpers import act, complete_assessment, shadow_assessment, sign, status

pytestmark = pytest.mark.django_db
Role = Membership.Role
SECRET = "Footage of the 2019 protest, reused from the police archive"
TIMES_SECRET = "certain_times"


def hidden_answers(answers):
    """Answers as left by an editor who answered two questions, then changed what made them apply."""
    answers = copy.deepcopy(answers)
    answers.update({"project.reuse_existing": "no", "project.reuse_details": SECRET,
                    "project.operation": "on_demand", "project.operation_details": "On a prosecutor's order.",
                    "necessity.problem_times": TIMES_SECRET})
    return answers


def test_an_answer_whose_question_no_longer_applies_is_signed_but_not_published(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    services.assessment_import_answers(assessment=assessment, user=people["author"],
                                       answers=hidden_answers(assessment.answers), bank=default_bank())
    signed = sign(client, people, assessment)
    assert status(assessment) == "signed"
    # The signed version keeps exactly what was typed.
    assert signed.content["answers"]["project.reuse_details"] == SECRET
    client.force_login(people["signatory"])
    page = client.get(reverse("assessment_confirm", kwargs={"pk": assessment.pk, "action": "publish"})).content.decode()
    assert "Answers left out because their question no longer applies" in page and SECRET in page
    act(client, people["signatory"], assessment, "publish")
    publication = Publication.objects.get()
    assert "project.reuse_details" not in publication.content["answers"]
    assert "necessity.problem_times" not in publication.content["answers"]
    client.logout()
    public = client.get(reverse("register_json", kwargs={"pk": publication.pk})).content.decode()
    assert SECRET not in public
    assert "project.reuse_details" not in json.loads(public)["content"]["answers"]
    assert "necessity.problem_times" not in json.loads(public)["content"]["answers"]


def test_a_shadow_assessment_publishes_only_the_answers_that_apply(client, make_organisation, make_user):
    author, shadow = shadow_assessment(client, make_organisation, make_user)
    save_step(client, shadow, "project", {"project.reuse_existing": "yes", "project.reuse_details": SECRET})
    save_step(client, shadow, "project", {"project.reuse_existing": "no"})
    shadow.refresh_from_db()
    assert shadow.answers.get("project.reuse_details") == SECRET  # kept in the draft: nothing typed is lost
    act(client, author, shadow, "publish_shadow")
    publication = Publication.objects.get()
    assert "project.reuse_details" not in publication.content["answers"]
    client.logout()
    assert SECRET not in client.get(reverse("register_json", kwargs={"pk": publication.pk})).content.decode()


def test_the_preview_lists_every_answer_left_out_and_redact_drops_them():
    bank = default_bank()
    content = {"answers": {"project.reuse_existing": "no", "project.reuse_details": SECRET,
                           "project.summary": "Twelve cameras."}, "evidence": [
        {"question_id": "project.reuse_details", "title": "Archive contract"}]}
    public = redact(content, bank)
    assert public["answers"] == {"project.reuse_existing": "no", "project.summary": "Twelve cameras."}
    assert SECRET not in json.dumps(public) and "Archive contract" not in json.dumps(public)
    preview = redaction_preview(content, bank, "en")
    assert [(r.hidden, r.left_out) for r in preview] == [(SECRET, True), ("Archive contract", False)]
