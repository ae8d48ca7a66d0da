"""The three user groups' workflow: DPO advice, sign-off, submission and the consultation clock, the
regulator's review and opinion, publication with redaction, the public register."""

import datetime as dt
import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from dpia import services
from dpia.deadlines import clock
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AuditLogEntry, ImmutableVersion, Membership, Organisation, Publication
from tests.web.wizard_helpers import complete_through_wizard, save_step
from tests.web.workflow_helpers import act, status, submit_with_consultation

pytestmark = pytest.mark.django_db
Role = Membership.Role
SECRET = "MARKER-SECRET-CAMERA-SITES"


@pytest.fixture
def assessment(client, people):
    assessment = Assessment.objects.create(organisation=people["city"], title="Tram cameras",
                                           created_by=people["author"])
    client.force_login(people["author"])
    complete_through_wizard(client, assessment)
    save_step(client, assessment, "project", {"project.locations": f"Stops listed in annex: {SECRET}"})
    return assessment


def test_from_draft_to_published_through_dpo_signature_submission_and_review(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    assert status(assessment) == "dpo_review" and assessment.versions.count() == 1
    # The author cannot give the DPO's advice; the DPO can.
    act(client, people["author"], assessment, "give_dpo_advice", advice="Fine")
    assert status(assessment) == "dpo_review"
    client.force_login(people["dpo"])
    page = client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).content.decode()
    assert "whether the supervisory authority must be consulted first" in page  # what the advice should cover
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Shorten retention to 7 days.")
    assert status(assessment) == "ready_to_sign"
    # Signing needs the controller's decision on the advice; overruling it needs reasons.
    act(client, people["signatory"], assessment, "sign")
    assert status(assessment) == "ready_to_sign"
    response = act(client, people["author"], assessment, "record_dpo_decision", decision="overruled", reasons="")
    assert "Give the reasons for departing from the DPO&#x27;s advice." in client.get(response.url).content.decode()
    act(client, people["author"], assessment, "record_dpo_decision", decision="overruled",
        reasons="Appeals take 30 days.")
    act(client, people["signatory"], assessment, "sign")
    assert status(assessment) == "signed"
    signed = assessment.versions.order_by("-number").first()
    assert signed.content["workflow"]["dpo_advice"]["decision"] == "overruled"
    assert signed.content["workflow"]["signed_by"] == "signatory"
    text = _pdf_text(bytes(signed.pdf))
    assert "Shorten retention to 7 days." in text and "Appeals take 30 days." in text

    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    assert status(assessment) == "submitted"
    submission = signed.submissions.get()

    client.force_login(people["reviewer"])
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Tram cameras" in queue
    review = reverse("review_action", kwargs={"pk": submission.pk, "action": "start_review"})
    client.post(review)
    assert status(assessment) == "under_review"
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "comment"}),
                {"question_id": "necessity.alternatives", "text": "Why not fewer cameras?"})
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "verdict"}),
                {"section": "necessity", "verdict": "to_correct"})
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "issue_opinion"}),
                {"kind": "conditions", "text": "Proceed only with 7-day retention."})
    assert status(assessment) == "opinion_issued"

    assert act(client, people["author"], assessment, "publish").status_code == 302
    assert status(assessment) == "opinion_issued"  # authors do not publish; the signatory does
    page = act(client, people["signatory"], assessment, "publish")
    assert status(assessment) == "published"
    publication = Publication.objects.get()
    assert publication.source_digest == signed.digest
    client.logout()
    register = client.get(reverse("register")).content.decode()
    assert "Tram cameras" in register
    public_html = client.get(reverse("register_report", kwargs={"pk": publication.pk})).content.decode()
    public_json = client.get(reverse("register_json", kwargs={"pk": publication.pk})).content.decode()
    public_pdf = client.get(reverse("register_pdf", kwargs={"pk": publication.pk})).content
    for public in (public_html, public_json, _pdf_text(public_pdf)):
        assert SECRET not in public
        assert "[redacted]" in public
    assert json.loads(public_json)["content"]["published_from"] == signed.digest
    feed = client.get(reverse("register_feed")).json()
    assert feed["items"][0]["id"] == publication.digest

    act(client, people["signatory"], assessment, "withdraw")
    client.logout()
    assert "Tram cameras" not in client.get(reverse("register")).content.decode()
    assert client.get(reverse("register_detail", kwargs={"pk": publication.pk})).status_code == 404
    assert page.status_code == 302


def test_every_transition_is_audited_and_the_log_is_append_only(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    entry = AuditLogEntry.objects.get(action="request_dpo_advice")
    assert entry.actor == people["author"] and entry.from_status == "draft" and entry.to_status == "dpo_review"
    assert entry.ip_address == "127.0.0.1" and entry.assessment == assessment
    with pytest.raises(ImmutableVersion):
        entry.save()
    with pytest.raises(ImmutableVersion):
        AuditLogEntry.objects.all().delete()


def test_an_information_request_suspends_the_clock_and_a_revision_keeps_every_version(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    client.force_login(people["reviewer"])
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "start_review"}))
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "request_information"}),
                {"text": "Send the camera list."})
    assert status(assessment) == "information_requested"
    assert submission.prior_consultation and submission.regime == "gdpr"
    assert submission.deadline == timezone.localdate(submission.submitted_at) + dt.timedelta(weeks=8)
    queue = client.get(reverse("review_queue")).content.decode()
    assert "suspended" in queue
    versions_before = assessment.versions.count()
    act(client, people["author"], assessment, "revise")
    assert status(assessment) == "draft" and assessment.versions.count() == versions_before
    # The reviewer's comments show inline when the author revises.
    client.force_login(people["reviewer"])
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": "comment"}),
                {"question_id": "project.summary", "text": "Say how many cameras."})
    client.force_login(people["author"])
    page = client.get(reverse("wizard_step", kwargs={"pk": assessment.pk, "step": "project"})).content.decode()
    assert "Comment from Test DPA:" in page and "Say how many cameras." in page
    # And when the step comes back with a correction to make (the POST reads whether it was submitted itself).
    shown = save_step(client, assessment, "project", {"project.summary": "Cameras."},
                      **{"project-project__stage": "not-a-stage"})
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Select a valid choice" in page and "Comment from Test DPA:" in page and "Say how many cameras." in page


def test_the_clock_counts_suspensions_and_extensions():
    day = dt.date(2026, 1, 5)
    running = clock(deadline=day + dt.timedelta(weeks=8), extended_days=0, requests=[], today=day)
    assert running.days_left == 56 and not running.suspended
    suspended = clock(deadline=day + dt.timedelta(weeks=8), extended_days=42,
                      requests=[(day, day + dt.timedelta(days=10)), (day + dt.timedelta(days=20), None)],
                      today=day + dt.timedelta(days=25))
    assert suspended.suspended and suspended.suspended_days == 15
    assert suspended.deadline == day + dt.timedelta(weeks=8, days=42 + 15)


def test_regulators_never_see_drafts_and_editing_requires_a_draft(client, people, assessment):
    client.force_login(people["reviewer"])
    assert client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).status_code == 404
    assert client.get(reverse("report_preview", kwargs={"pk": assessment.pk})).status_code == 404
    assert "Tram cameras" not in client.get(reverse("review_queue")).content.decode()
    act(client, people["author"], assessment, "request_dpo_advice")
    response = client.get(reverse("wizard_step", kwargs={"pk": assessment.pk, "step": "project"}))
    assert response.status_code == 302  # not a draft any more: back to the overview
    client.force_login(people["reviewer"])
    version = assessment.versions.get()
    assert client.get(reverse("version_detail", kwargs={"pk": assessment.pk, "number": version.number})
                      ).status_code == 404  # not submitted to this authority


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_civil_society_annotates_and_the_controller_replies(client, people, assessment, make_organisation,
                                                           make_user):
    ngo = make_organisation(name="Liberties NGO", kind=Organisation.Kind.CIVIL_SOCIETY)
    auditor = make_user(Role.AUDITOR, organisation=ngo, username="auditor")
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="OK")
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed")
    act(client, people["signatory"], assessment, "sign")
    act(client, people["signatory"], assessment, "publish")
    publication = Publication.objects.get()
    url = reverse("register_detail", kwargs={"pk": publication.pk})
    client.force_login(auditor)
    client.post(url, {"organisation": ngo.pk, "target": "answer:project.summary",
                      "text": "The city's own figures show no rise in crime.",
                      "evidence_url": "https://example.org/figures.pdf"})
    annotation = publication.annotations.get()
    assert annotation.organisation == ngo
    client.force_login(people["author"])
    detail = client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).content.decode()
    assert "The city&#x27;s own figures show no rise in crime." in detail
    client.post(reverse("annotation_reply", kwargs={"pk": assessment.pk, "annotation_pk": annotation.pk}),
                {"reply": "Those figures predate the new station."})
    client.logout()
    public = client.get(url).content.decode()
    assert "Liberties NGO" in public and "Those figures predate the new station." in public
    # Someone without an auditor role cannot annotate.
    client.force_login(people["author"])
    client.post(url, {"organisation": ngo.pk, "target": "answer:project.summary", "text": "x"})
    assert publication.annotations.count() == 1


def test_a_shadow_assessment_is_published_and_labelled_as_such(client, make_organisation, make_user):
    ngo = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    author = make_user(Role.AUTHOR, organisation=ngo)
    client.force_login(author)
    refused = client.post(reverse("assessment_new"), {"title": "City drones", "organisation": ngo.pk})
    assert "Name the project you assess" in refused.content.decode()
    client.post(reverse("assessment_new"), {"title": "City drones", "organisation": ngo.pk,
                                            "shadow_of": "Police drone pilot of a large city"})
    shadow = Assessment.objects.get(title="City drones")
    save_step(client, shadow, "screening", {"screening.jurisdiction": "fr"})
    act(client, author, shadow, "publish_shadow")
    assert status(shadow) == "published"
    publication = Publication.objects.get()
    assert publication.shadow
    client.logout()
    assert "shadow assessment" in client.get(reverse("register")).content.decode()
    detail = client.get(reverse("register_detail", kwargs={"pk": publication.pk})).content.decode()
    assert "Shadow assessment by Watchdog" in detail


def test_notifications_go_to_the_right_people(client, people, assessment, mailoutbox,
                                              django_capture_on_commit_callbacks):
    for user, email in [(people["dpo"], "dpo@city.test"), (people["reviewer"], "reviewer@dpa.test"),
                        (people["author"], "author@city.test")]:
        user.email = email
        user.save()

    def committed(user, action, **data):  # emails leave only once the change is committed
        with django_capture_on_commit_callbacks(execute=True):
            act(client, user, assessment, action, **data)

    committed(people["author"], "request_dpo_advice")
    assert [m.to for m in mailoutbox] == [["dpo@city.test"]]
    assert "DPO advice requested" in mailoutbox[0].subject
    committed(people["dpo"], "give_dpo_advice", advice="OK")
    assert mailoutbox[-1].to == ["author@city.test"]
    committed(people["author"], "record_dpo_decision", decision="followed")
    committed(people["signatory"], "sign")
    committed(people["signatory"], "submit", regulator=people["regulator"].pk)
    assert mailoutbox[-1].to == ["reviewer@dpa.test"] and "Submission received" in mailoutbox[-1].subject


def test_the_authority_extends_its_time_limit_once(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    client.force_login(people["reviewer"])
    url = reverse("review_action", kwargs={"pk": submission.pk, "action": "extend_deadline"})
    client.post(url)
    submission.refresh_from_db()
    assert submission.extended_days == 42
    client.post(url)
    submission.refresh_from_db()
    assert submission.extended_days == 42


def test_deadline_reminders_reach_both_sides_seven_days_before(client, people, assessment, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    from dpia.models import Submission

    people["reviewer"].email = "reviewer@dpa.test"
    people["reviewer"].save()
    people["author"].email = "author@city.test"
    people["author"].save()
    version = assessment.versions.model.objects.create(
        assessment=assessment, number=1, content={}, digest="e" * 64, pdf=b"%PDF", pdf_digest="f" * 64,
        created_by=people["author"], created_at=timezone.now())
    Submission.objects.create(version=version, regulator=people["regulator"], submitted_by=people["author"],
                              submitted_at=timezone.now(), prior_consultation=True, regime="gdpr",
                              deadline=timezone.localdate() + dt.timedelta(days=7))
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert "2 reminder(s) sent." in out.getvalue()
    assert {m.to[0] for m in mailoutbox} == {"reviewer@dpa.test", "author@city.test"}
    assert all("Deadline in 7 days" in m.subject for m in mailoutbox)


def test_the_register_filters_by_facets(client, people, make_organisation):
    from dpia.models import AssessmentVersion

    def publish(title, city, technologies, regimes, verdict, organisation):
        assessment = Assessment.objects.create(organisation=organisation, title=title, created_by=people["author"],
                                               status=Assessment.Status.PUBLISHED)
        version = AssessmentVersion.objects.create(assessment=assessment, number=1, content={}, digest=title[0] * 64,
                                                   pdf=b"%PDF", pdf_digest=title[0] * 64,
                                                   created_by=people["author"], created_at=timezone.now())
        publication = Publication.objects.create(
            version=version, content={}, digest=title[1] * 64, pdf=b"%PDF", pdf_digest=title[1] * 64,
            source_digest=title[0] * 64, published_by=people["author"], published_at=timezone.now(), city=city,
            technologies=technologies, regimes=regimes, verdict=verdict)
        services.register_index(publication=publication, bank=default_bank())

    other = make_organisation(name="Other town", slug="other-town", city="Otherton")
    publish("abc ANPR", "Testville", ["anpr"], ["led"], "proceed", people["city"])
    publish("def Drones", "Otherton", ["drones"], ["gdpr"], "unlawful_as_proposed", other)
    client.logout()

    def listed(**params):
        page = client.get(reverse("register"), params).content.decode()
        return {title for title in ("abc ANPR", "def Drones") if title in page}

    assert listed() == {"abc ANPR", "def Drones"}
    assert listed(technology="drones") == {"def Drones"}
    assert listed(regime="led") == {"abc ANPR"}
    assert listed(verdict="unlawful_as_proposed") == {"def Drones"}
    assert listed(city="testville") == {"abc ANPR"}
    assert listed(organisation="other-town") == {"def Drones"}
    assert listed(q="anpr") == {"abc ANPR"}
    assert listed(year=str(timezone.now().year)) == {"abc ANPR", "def Drones"}
    assert listed(year="1999") == set()


def test_an_incomplete_document_is_never_sent_to_the_dpo_signed_or_submitted(client, people):
    draft = Assessment.objects.create(organisation=people["city"], title="Half done", created_by=people["author"])
    client.force_login(people["author"])
    save_step(client, draft, "screening", {"screening.jurisdiction": "fr"})
    act(client, people["author"], draft, "request_dpo_advice")
    act(client, people["signatory"], draft, "sign")
    assert status(draft) == "draft" and draft.versions.count() == 0


def test_the_signed_and_submitted_version_records_a_complete_document(client, people, assessment):
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine.")
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed", reasons="")
    act(client, people["signatory"], assessment, "sign")
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    submitted = assessment.versions.get(submissions__isnull=False)
    assert submitted.content["result"]["completeness"] == {"complete": True, "missing": [], "unanswered": []}
    assert submitted.content["result"]["verdict"]["outcome"] in {
        "proceed", "proceed_with_conditions", "prior_consultation_required", "unlawful_as_proposed"}
