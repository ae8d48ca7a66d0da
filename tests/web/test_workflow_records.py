"""Workflow records a regulator can rely on: each record names its version, what is published is what was
signed and submitted, and a refused action leaves nothing behind."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse

from dpia.models import (
    Assessment,
    AssessmentVersion,
    AuditLogEntry,
    DpoAdvice,
    Opinion,
    Publication,
    Signature,
    Submission,
)
from dpia.reports.export import export_document
from tests.web.wizard_helpers import save_step
from tests.web.workflow_helpers import act, complete_assessment, review, sign, status

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client, people, fake_renderer):
    return complete_assessment(client, people)


def snapshot(assessment):
    """Everything a workflow action may write."""
    assessment.refresh_from_db()
    return {
        "status": assessment.status, "versions": AssessmentVersion.objects.count(),
        "audit": AuditLogEntry.objects.count(), "advice": DpoAdvice.objects.count(),
        "signatures": Signature.objects.count(), "submissions": Submission.objects.count(),
        "opinions": Opinion.objects.count(), "publications": Publication.objects.count(),
    }


def test_the_published_version_is_the_signed_version_that_was_submitted(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    advised = assessment.versions.get()
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Keep 7 days.")
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed")
    act(client, people["signatory"], assessment, "sign")
    signed = Signature.objects.get().version
    assert DpoAdvice.objects.get().version == advised and signed != advised
    assert signed.content["workflow"]["dpo_advice"]["on_version"] == advised.number

    # After signing, nobody can freeze an unsigned version in its place.
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    assert assessment.versions.count() == 2

    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    submission = Submission.objects.get()
    review(client, people["reviewer"], submission, "start_review")
    review(client, people["reviewer"], submission, "issue_opinion", kind="advice", text="Fine.")
    act(client, people["signatory"], assessment, "publish")
    assert status(assessment) == "published"
    publication = Publication.objects.get()
    assert publication.version == signed == submission.version == Opinion.objects.get().version
    assert publication.source_digest == signed.digest


def test_after_revising_a_published_assessment_the_next_publication_comes_from_the_new_signature(
        client, people, assessment):
    first = sign(client, people, assessment)
    act(client, people["signatory"], assessment, "publish")
    act(client, people["author"], assessment, "revise")
    save_step(client, assessment, "project", {"project.summary": "Ten cameras, not twelve."})
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))  # a draft may be frozen
    second = sign(client, people, assessment)
    assert second != first and Signature.objects.count() == 2
    act(client, people["signatory"], assessment, "publish")
    latest = Publication.objects.order_by("-published_at", "-pk").first()
    assert latest.version == second and latest.content["answers"]["project.summary"] == "Ten cameras, not twelve."


@pytest.mark.parametrize("status_", ["dpo_review", "ready_to_sign", "signed", "submitted", "published"])
def test_versions_are_frozen_only_from_a_draft(client, people, assessment, status_, fake_renderer):
    Assessment.objects.filter(pk=assessment.pk).update(status=status_)
    before = snapshot(assessment)
    client.force_login(people["author"])
    response = client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}), follow=True)
    assert "Only a draft can be frozen" in response.content.decode()
    assert snapshot(assessment) == before and fake_renderer.calls == 0


REFUSED = [
    # (who, action, the status the assessment is in, form data)
    ("signatory", "sign", "published", {}),
    ("author", "sign", "ready_to_sign", {}),
    ("dpo", "request_dpo_advice", "draft", {}),
    ("author", "request_dpo_advice", "signed", {}),
    ("author", "publish", "signed", {}),
    ("signatory", "publish", "draft", {}),
    ("signatory", "publish", "under_review", {}),
    ("author", "give_dpo_advice", "dpo_review", {"advice": "x"}),
    ("dpo", "give_dpo_advice", "draft", {"advice": "x"}),
    ("signatory", "submit", "draft", {}),
    ("signatory", "submit", "published", {}),
    ("author", "withdraw", "published", {}),
    ("author", "publish_shadow", "draft", {}),
    ("dpo", "revise", "signed", {}),
]


@pytest.mark.parametrize(("who", "action", "status_", "data"), REFUSED)
def test_a_refused_action_does_nothing(client, people, assessment, fake_renderer, who, action, status_, data):
    sign(client, people, assessment)  # advice given and decided: only the status and the role refuse
    # A newer revision than the last version: any version sealed now would be a new one, rendered anew.
    Assessment.objects.filter(pk=assessment.pk).update(status=status_, revision=F("revision") + 1)
    before, renders = snapshot(assessment), fake_renderer.calls
    if action == "submit":
        data = {"regulator": people["regulator"].pk}
    response = act(client, people[who], assessment, action, **data)
    assert response.status_code == 302
    assert snapshot(assessment) == before
    assert fake_renderer.calls == renders  # nothing rendered either


def test_dpo_advice_and_submission_on_a_draft_without_a_version_are_refused_with_a_message(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Empty", created_by=people["author"])
    for who, action, data in [("dpo", "give_dpo_advice", {"advice": "Fine"}),
                              ("signatory", "submit", {"regulator": people["regulator"].pk}),
                              ("signatory", "sign", {}), ("signatory", "publish", {})]:
        response = act(client, people[who], draft, action, **data)
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert "while it is “Draft”." in page and f"&#x27;{action}&#x27;" not in page  # in words, not its id
    assert status(draft) == "draft" and not AuditLogEntry.objects.filter(assessment=draft).exists()


def test_manage_py_verify_recognises_a_publication_and_a_changed_register_export(client, people, assessment,
                                                                                 tmp_path):
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "publish")
    publication = Publication.objects.get()
    path = tmp_path / "published.pdf"
    path.write_bytes(bytes(publication.pdf))
    out = StringIO()
    call_command("verify", str(path), stdout=out)
    assert "registered — the publication of version" in out.getvalue() and "chain: OK" in out.getvalue()
    document = export_document(content=publication.content, digest=publication.digest,
                               pdf_digest=publication.pdf_digest)
    document["content"]["assessment"]["title"] = "Something else"
    changed = tmp_path / "published.json"
    changed.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="changed after sealing"):
        call_command("verify", str(changed), stdout=StringIO())
