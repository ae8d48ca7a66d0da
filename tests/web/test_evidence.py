"""Evidence attached to answers: links and files, with size and type limits, private to the organisation."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dpia.models import Assessment, Evidence, ImmutableVersion, Membership
from dpia.reports.export import content_digest
from tests.web.workflow_helpers import act, complete_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def assessment(author):
    return Assessment.objects.create(organisation=author.memberships.get().organisation, title="ANPR",
                                     created_by=author)


def url(assessment):
    return reverse("evidence_list", kwargs={"pk": assessment.pk})


def add(client, assessment, **fields):
    data = {"question_id": "screening.public_area_monitoring", "title": "Crime statistics 2025", **fields}
    return client.post(url(assessment), data)


def test_link_and_file_evidence_are_attached_and_downloadable(client, author, assessment):
    client.force_login(author)
    assert add(client, assessment, url="https://example.org/stats.pdf").status_code == 302
    pdf = SimpleUploadedFile("evaluation.pdf", b"%PDF-1.7\n" + b"0" * 500, content_type="application/pdf")
    assert add(client, assessment, upload=pdf, title="Independent evaluation").status_code == 302
    items = list(Evidence.objects.filter(assessment=assessment))
    assert len(items) == 2
    stored = next(e for e in items if e.file)
    assert stored.content_type == "application/pdf" and stored.size == 509
    download = client.get(reverse("evidence_download", kwargs={"pk": assessment.pk, "evidence_pk": stored.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")
    page = client.get(url(assessment)).content.decode()
    assert "Independent evaluation" in page and "Crime statistics 2025" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not match its type"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_refused_files_get_a_clear_message(client, author, assessment, name, content, message):
    client.force_login(author)
    response = add(client, assessment, upload=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_needs_a_link_or_a_file(client, author, assessment):
    client.force_login(author)
    response = add(client, assessment)
    assert "Give a link or attach a file." in response.content.decode()


def test_other_organisations_cannot_see_or_remove_evidence(client, author, make_user, assessment):
    client.force_login(author)
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")
    add(client, assessment, upload=pdf)
    evidence = Evidence.objects.get()
    stranger = make_user(Membership.Role.AUTHOR)
    client.force_login(stranger)
    kwargs = {"pk": assessment.pk, "evidence_pk": evidence.pk}
    assert client.get(reverse("evidence_download", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("evidence_delete", kwargs=kwargs)).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_author_removes_evidence(client, author, assessment):
    client.force_login(author)
    add(client, assessment, url="https://example.org/a")
    evidence = Evidence.objects.get()
    client.post(reverse("evidence_delete", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk}))
    assert not Evidence.objects.exists()


def _file_of(evidence):
    with evidence.file.open("rb") as handle:
        return handle.read()


def test_evidence_a_version_sealed_survives_its_removal_from_the_draft(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    client.force_login(people["author"])
    add(client, assessment, upload=SimpleUploadedFile("contract.pdf", b"%PDF-1.4 the signed contract"),
        title="Contract")
    evidence = Evidence.objects.get()
    sealed_bytes = _file_of(evidence)
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    version = assessment.versions.get()
    record = version.content["evidence"][0]
    assert record["file_sha256"] == hashlib.sha256(sealed_bytes).hexdigest()

    client.post(reverse("evidence_delete", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk}))
    # Gone from the draft...
    assert "Contract" not in client.get(url(assessment)).content.decode()
    assert client.get(reverse("evidence_download", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk})
                      ).status_code == 404
    # ...kept, unchanged, for the version that lists it; a new upload of the same name does not replace it.
    add(client, assessment, upload=SimpleUploadedFile("contract.pdf", b"%PDF-1.4 another contract"), title="New")
    download = client.get(reverse("version_evidence", kwargs={"pk": assessment.pk, "number": 1, "index": 0}))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == record["file_sha256"]
    version.refresh_from_db()
    assert content_digest(version.content) == version.digest and version.content["evidence"][0] == record


def test_sealed_evidence_cannot_be_changed_or_deleted(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    client.force_login(people["author"])
    add(client, assessment, url="https://example.org/study", title="Study")
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    evidence = Evidence.objects.get()
    assert evidence.sealed_at is not None
    evidence.title = "Another study"
    with pytest.raises(ImmutableVersion):
        evidence.save()
    with pytest.raises(ImmutableVersion):
        evidence.delete()


def test_evidence_added_after_the_last_version_is_really_deleted(client, people, fake_renderer, settings,
                                                                  django_capture_on_commit_callbacks):
    assessment = complete_assessment(client, people)
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    add(client, assessment, upload=SimpleUploadedFile("draft.txt", b"draft notes"), title="Draft notes")
    evidence = Evidence.objects.get()
    path = Path(settings.MEDIA_ROOT) / evidence.file.name
    assert path.exists()
    # The file goes once the removal is committed (a removal that fails keeps it).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence_delete", kwargs={"pk": assessment.pk, "evidence_pk": evidence.pk}))
    assert not Evidence.objects.exists() and not path.exists()


def test_evidence_is_added_to_drafts_only(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    act(client, people["author"], assessment, "request_dpo_advice")
    client.force_login(people["author"])
    response = add(client, assessment, url="https://example.org/late", title="Late")
    assert response.status_code == 200 and "Evidence can be added to a draft only" in response.content.decode()
    assert not Evidence.objects.exists()


def test_who_may_not_add_evidence_is_told_it_is_their_role_not_the_status(client, make_user, assessment):
    client.force_login(make_user(Membership.Role.DPO, organisation=assessment.organisation))
    response = add(client, assessment, url="https://example.org/dpo", title="DPO note")
    page = response.content.decode()
    assert "Your role does not allow adding evidence" in page and "draft only" not in page
    assert not Evidence.objects.exists()
