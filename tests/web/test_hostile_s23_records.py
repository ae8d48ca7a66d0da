"""From the session-23 hostile test: evidence a version has just sealed is never deleted, the DPO's advice, the
controller's decision and the signature are refused when sent from a page that showed another record, a shadow
assessment published again after a withdrawal is in the register, and a time limit is extended once in the record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dpia import selectors, services
from dpia.engine.bank import default_bank
from dpia.models import AuditLogEntry, DpoAdvice, Evidence, Publication, Signature
from tests.web.workflow_helpers import (
    act,
    complete_assessment,
    review,
    shadow_assessment,
    status,
    submit_with_consultation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client, people, fake_renderer):
    return complete_assessment(client, people)


def test_evidence_sealed_while_its_removal_was_on_its_way_is_kept(assessment, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("counts.txt", b"Incidents per month: 12, 9, 14", content_type="text/plain")
    evidence = services.evidence_add(assessment=assessment, user=people["author"], question_id="necessity.problem",
                                     title="Incident counts", upload=upload)
    page_read = Evidence.objects.get(pk=evidence.pk)  # what the evidence page showed: not sealed yet
    version = services.assessment_freeze_version(assessment=assessment, user=people["author"], bank=default_bank(),
                                                 language="en")
    services.evidence_delete(evidence=page_read, user=people["author"])
    kept = Evidence.objects.get(pk=evidence.pk)
    assert kept.sealed_at is not None and kept.removed_at is not None
    assert kept.file.storage.exists(kept.file.name)
    assert [e["title"] for e in version.content["evidence"]] == ["Incident counts"]
    entry = AuditLogEntry.objects.filter(action="remove_evidence").get()
    assert entry.detail["evidence"] == evidence.pk and entry.detail["kept_sealed"] is True


def test_removing_unsealed_evidence_records_which_one(assessment, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = services.evidence_add(assessment=assessment, user=people["author"], question_id="necessity.problem",
                                     title="Draft note", url="https://example.org/note")
    pk = evidence.pk
    services.evidence_delete(evidence=evidence, user=people["author"])
    assert not Evidence.objects.filter(pk=pk).exists()
    assert AuditLogEntry.objects.filter(action="remove_evidence").get().detail["evidence"] == pk


def seen_now(assessment):
    return selectors.workflow_seen(assessment)


def test_advice_written_on_one_version_is_not_recorded_on_a_later_one(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    page = seen_now(assessment)  # the DPO opens the page on version 1
    act(client, people["author"], assessment, "revise")
    client.post(reverse("assessment_rename", kwargs={"pk": assessment.pk}), {"title": "Tram cameras, second draft"})
    act(client, people["author"], assessment, "request_dpo_advice")
    response = act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine as I read it.", seen=page)
    assert not DpoAdvice.objects.exists() and status(assessment) == "dpo_review"
    page_now = client.get(response.url).content.decode()
    assert "The assessment changed since this page was opened" in page_now
    assert "Fine as I read it." in page_now  # what the DPO typed comes back, to send again once re-read
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine.")  # from the page as it is now
    assert DpoAdvice.objects.get().version.number == 2


def test_a_stale_page_neither_decides_on_advice_it_did_not_show_nor_signs(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine.")
    stale = seen_now(assessment)  # the signatory's tab shows "Fine."
    act(client, people["author"], assessment, "revise")
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="I object: do not sign.")
    act(client, people["signatory"], assessment, "record_dpo_decision", decision="followed", seen=stale)
    objection = DpoAdvice.objects.get(advice="I object: do not sign.")
    assert objection.decision == ""
    act(client, people["signatory"], assessment, "sign", seen=stale)
    assert not Signature.objects.exists() and status(assessment) == "ready_to_sign"
    # Through the confirmation page: the record the first page showed is carried to it and back.
    act(client, people["signatory"], assessment, "record_dpo_decision", decision="overruled", reasons="Risk accepted.")
    confirm = reverse("assessment_confirm", kwargs={"pk": assessment.pk, "action": "sign"})
    assert f'name="seen" value="{stale}"' in client.get(f"{confirm}?seen={stale}").content.decode()
    act(client, people["signatory"], assessment, "sign", seen=stale)
    assert not Signature.objects.exists()
    act(client, people["signatory"], assessment, "sign")
    assert Signature.objects.get().advice == objection


def test_a_shadow_published_again_unchanged_after_a_withdrawal_is_back_in_the_register(client, make_organisation,
                                                                                         make_user):
    author, shadow = shadow_assessment(client, make_organisation, make_user)
    act(client, author, shadow, "publish_shadow")
    first = Publication.objects.get()
    act(client, author, shadow, "withdraw_shadow")
    act(client, author, shadow, "revise")
    act(client, author, shadow, "publish_shadow")  # nothing changed in between
    assert status(shadow) == "published"
    again = Publication.objects.latest("pk")
    assert again.pk != first.pk and again.version_id == first.version_id and again.digest != first.digest
    assert again.content["published_at"] and not hasattr(again, "withdrawal")
    client.logout()
    register = client.get(reverse("register")).content.decode()
    assert reverse("register_detail", kwargs={"pk": again.pk}) in register
    assert reverse("register_detail", kwargs={"pk": first.pk}) not in register


def test_a_time_limit_extended_twice_is_recorded_once(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "start_review")
    stale = type(submission).objects.get(pk=submission.pk)  # a second reviewer's page, read before the first acts
    review(client, people["reviewer"], submission, "extend_deadline")
    with pytest.raises(ValueError, match="already extended"):
        services.review_extend_deadline(submission=stale, user=people["reviewer"])
    assert AuditLogEntry.objects.filter(action="extend_deadline").count() == 1


def test_the_register_shows_the_organisation_as_sealed_after_a_rename(client, make_organisation, make_user):
    author, shadow = shadow_assessment(client, make_organisation, make_user)
    act(client, author, shadow, "publish_shadow")
    publication = Publication.objects.get()
    organisation = shadow.organisation
    organisation.name = "Renamed Watchdog"
    organisation.save()
    client.logout()
    # The list's filter offers organisations by their current name; its rows name them as sealed.
    assert "<td>Watchdog" in client.get(reverse("register")).content.decode()
    for url in (reverse("register_detail", kwargs={"pk": publication.pk}), reverse("register_feed"),
                reverse("register_csv")):
        response = client.get(url)
        page = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Watchdog" in page and b"Renamed Watchdog" not in page, url
