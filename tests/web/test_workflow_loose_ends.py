"""Loose ends of the workflow, each as the person concerned notices it."""

import re

import pytest
from django.urls import reverse

from dpia.engine.bank import default_bank
from dpia.models import Annotation, Assessment, AuditLogEntry, Organisation, Publication, Submission
from dpia.services import redact
from tests.web.wizard_helpers import save_step, step_post_data, step_url
from tests.web.workflow_helpers import act, complete_assessment, review, sign, status, submit_with_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client, people, fake_renderer):
    return complete_assessment(client, people)


def resubmit(client, people, assessment):
    """Answer an information request: revise, go through the DPO and signature again, and submit."""
    act(client, people["author"], assessment, "revise")
    save_step(client, assessment, "project", {"project.summary": "Twelve cameras at four stops."})
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    return Submission.objects.order_by("-pk").first()


def page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_queue_lists_only_the_current_submission_and_the_second_round_starts_with_the_first(
        client, people, assessment):
    first = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], first, "start_review")
    review(client, people["reviewer"], first, "comment", question_id="necessity.alternatives",
           text="Why not fewer cameras?")
    review(client, people["reviewer"], first, "verdict", section="necessity", verdict="to_correct")
    review(client, people["reviewer"], first, "request_information", text="Send the camera list.")
    second = resubmit(client, people, assessment)
    assert second != first

    queue = page(client, people["reviewer"], reverse("review_queue"))
    assert queue.count("Tram cameras") == 1
    assert f"(v{second.version.number})" in queue and f"(v{first.version.number})" not in queue
    detail = page(client, people["reviewer"], reverse("review_detail", kwargs={"pk": second.pk}))
    assert "Earlier rounds" in detail and "Why not fewer cameras?" in detail and "To correct" in detail
    # The earlier round is over: acting on it changes nothing.
    review(client, people["reviewer"], first, "start_review")
    assert status(assessment) == "submitted"


def days_left(html):
    return re.search(r"\d+ days left", html)


def test_the_clock_stops_once_the_opinion_is_issued_and_stays_stopped_after_publication(client, people,
                                                                                       assessment):
    submission = submit_with_consultation(client, people, assessment)
    detail_url = reverse("assessment_detail", kwargs={"pk": assessment.pk})
    assert days_left(page(client, people["author"], detail_url))
    review(client, people["reviewer"], submission, "start_review")
    review(client, people["reviewer"], submission, "issue_opinion", kind="advice", text="Fine.")
    assert not days_left(page(client, people["author"], detail_url))
    queue = page(client, people["reviewer"], reverse("review_queue"))
    assert "closed" in queue and not days_left(page(client, people["reviewer"],
                                                    reverse("review_detail", kwargs={"pk": submission.pk})))
    act(client, people["signatory"], assessment, "publish")
    assert status(assessment) == "published"
    assert not days_left(page(client, people["author"], detail_url))


def test_publishing_without_resubmitting_stops_the_clock_of_the_earlier_round(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "start_review")
    review(client, people["reviewer"], submission, "request_information", text="Send the camera list.")
    act(client, people["author"], assessment, "revise")
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "publish")
    assert status(assessment) == "published"
    submission.refresh_from_db()
    assert submission.closed_at is not None
    assert "suspended" not in page(client, people["reviewer"], reverse("review_queue"))


def test_section_verdicts_reach_the_author(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "start_review")
    review(client, people["reviewer"], submission, "verdict", section="necessity", verdict="to_correct")
    detail = page(client, people["author"], reverse("assessment_detail", kwargs={"pk": assessment.pk}))
    assert "verdict on “Necessity" in detail and "To correct" in detail
    review(client, people["reviewer"], submission, "request_information", text="More.")
    act(client, people["author"], assessment, "revise")
    step = page(client, people["author"], step_url(assessment, "necessity"))
    assert "The authority's verdict on this section: To correct" in step


def test_the_regulator_opens_evidence_attached_to_the_submitted_version(client, people, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["author"])
    client.post(reverse("evidence_list", kwargs={"pk": assessment.pk}), {
        "question_id": "necessity.alternatives", "title": "Camera study",
        "upload": SimpleUploadedFile("study.pdf", b"%PDF-1.4 the study")})
    submission = submit_with_consultation(client, people, assessment)
    version = submission.version
    client.force_login(people["reviewer"])
    listing = client.get(reverse("version_detail", kwargs={"pk": assessment.pk, "number": version.number}))
    link = reverse("version_evidence", kwargs={"pk": assessment.pk, "number": version.number, "index": 0})
    assert link in listing.content.decode()
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 the study"
    # Someone else's regulator cannot.
    other = people["reviewer"].__class__.objects.create(username="other-reviewer")
    other_dpa = Organisation.objects.create(name="Other DPA", slug="other-dpa", kind=Organisation.Kind.REGULATOR,
                                            country="FR")
    other.memberships.create(organisation=other_dpa, role="reviewer")
    client.force_login(other)
    assert client.get(link).status_code == 404


def test_save_and_add_another_adds_one_empty_row(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Streams", created_by=people["author"])
    client.force_login(people["author"])
    url = step_url(draft, "streams")

    def empty_rows(html):
        names = re.findall(r'name="streams-streams__list--(\d+)--name"(?: value="([^"]*)")?', html)
        return sum(1 for _, value in names if not value)

    assert empty_rows(client.get(url).content.decode()) == 1
    for name in ("Cameras", "Drones"):
        draft.refresh_from_db()
        listed = draft.answers.get("streams.list", [])
        data = step_post_data(draft, "streams", {"streams.list": [*listed, {"name": name}]}, add_row="streams.list")
        response = client.post(url, data, follow=True)
        assert empty_rows(response.content.decode()) == 1
    draft.refresh_from_db()
    assert [item["name"] for item in draft.answers["streams.list"]] == ["Cameras", "Drones"]


def test_last_saved_changes_with_every_save(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Saves", created_by=people["author"])
    client.force_login(people["author"])
    save_step(client, draft, "screening", {"screening.jurisdiction": "fr"})
    draft.refresh_from_db()
    first = draft.updated_at
    save_step(client, draft, "project", {"project.name": "Second save"})
    draft.refresh_from_db()
    assert draft.updated_at > first


def test_a_pilot_cannot_end_before_it_starts(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Pilot", created_by=people["author"])
    client.force_login(people["author"])
    response = save_step(client, draft, "project", {"project.duration": "pilot", "project.start_date": "2027-03-01",
                                                    "project.end_date": "2027-02-01"})
    assert response.status_code == 200
    assert "This date is before the start date (2027-03-01)" in response.content.decode()
    draft.refresh_from_db()
    assert "project.end_date" not in draft.answers
    assert save_step(client, draft, "project", {"project.duration": "pilot", "project.start_date": "2027-03-01",
                                                "project.end_date": "2027-09-01"}).status_code == 302


def test_a_long_paste_is_a_clear_error_that_keeps_every_character(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Paste", created_by=people["author"])
    question = default_bank().question("project.technology_details")
    assert question.max_length == 10_000
    pasted = ("The vendor's description. " * 800)[:19_050]
    client.force_login(people["author"])
    response = save_step(client, draft, "project", {"project.technology_details": pasted})
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 10000 characters (it has 19050)" in html
    assert pasted.replace("'", "&#x27;") in html  # the whole paste is still in the form
    textarea = re.search(r'<textarea[^>]*name="project-project__technology_details"[^>]*>', html).group(0)
    assert "maxlength" not in textarea  # the browser would cut a paste silently
    draft.refresh_from_db()
    assert "project.technology_details" not in draft.answers


def test_an_assessment_with_no_answers_is_not_summarised_as_not_requiring_a_dpia(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Empty", created_by=people["author"])
    detail = page(client, people["author"], reverse("assessment_detail", kwargs={"pk": draft.pk}))
    assert "Screening not answered yet" in detail and "DPIA not required" not in detail


def test_a_line_break_in_the_title_does_not_stop_the_emails(client, people, assessment, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    Assessment.objects.filter(pk=assessment.pk).update(title="Tram\r\ncameras")
    people["dpo"].email = "dpo@city.test"
    people["dpo"].save()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, people["author"], assessment, "request_dpo_advice")
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "DPO advice requested: Tram cameras"


def test_replies_to_civil_society_notes_are_kept_not_overwritten(client, people, assessment, make_organisation,
                                                                 make_user):
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "publish")
    ngo = make_organisation(name="Liberties NGO", kind=Organisation.Kind.CIVIL_SOCIETY)
    annotation = Annotation.objects.create(publication=Publication.objects.get(), target="answer:project.summary",
                                           text="No evidence.", organisation=ngo,
                                           author=make_user("auditor", organisation=ngo))
    url = reverse("annotation_reply", kwargs={"pk": assessment.pk, "annotation_pk": annotation.pk})
    client.force_login(people["author"])
    client.post(url, {"reply": "See the 2025 study."})
    client.post(url, {"reply": "Correction: the 2024 study."})
    client.logout()
    public = client.get(reverse("register_detail", kwargs={"pk": annotation.publication_id})).content.decode()
    assert "See the 2025 study." in public and "Correction: the 2024 study." in public
    assert AuditLogEntry.objects.filter(action="reply_annotation").count() == 2


def test_evidence_on_a_question_with_a_sensitive_field_is_redacted_when_published():
    bank = default_bank()
    content = {"answers": {"project.vendors": [{"key": "v1", "name": "Acme", "contract_details": "Ref 42"}]},
               "evidence": [{"question_id": "project.vendors", "title": "Acme contract, ref 42",
                             "file_name": "acme-42.pdf", "file_sha256": "0" * 64},
                            {"question_id": "project.summary", "title": "Project brief"}]}
    public = redact(content, bank)
    assert public["answers"]["project.vendors"][0]["contract_details"] == "[redacted]"
    assert public["evidence"][0] == {"question_id": "project.vendors", "title": "[redacted]"}
    assert public["evidence"][1]["title"] == "Project brief"
