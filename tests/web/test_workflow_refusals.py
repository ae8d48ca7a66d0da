"""Refused workflow forms: who may act is said before what is wrong with the text; a refusal is in the reader's
language; and what was chosen and typed comes back with the reason, wherever the form was on the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import (
    Annotation,
    AnnotationReply,
    Assessment,
    AuditLogEntry,
    DpoAdvice,
    Membership,
    Organisation,
    Publication,
    ReviewComment,
    Submission,
)
from tests.web.workflow_helpers import frozen_version

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def version(city, make_user):
    author = make_user(Role.AUTHOR, organisation=city)
    return frozen_version(city, author, title="Tram cameras", summary="Cameras on trams.")


@pytest.fixture
def annotation(version, make_organisation, make_user):
    """A civil-society note on the published version."""
    assessment = version.assessment
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.PUBLISHED)
    publication = Publication.objects.create(
        version=version, content={}, digest="c" * 64, pdf=b"%PDF", pdf_digest="d" * 64, source_digest="a" * 64,
        published_by=assessment.created_by, published_at=timezone.now(), city="Testville", verdict="proceed")
    services.register_index(publication=publication, bank=default_bank())
    ngo = make_organisation(kind=Organisation.Kind.CIVIL_SOCIETY)
    return Annotation.objects.create(publication=publication, target="answer:project.summary", text="No evidence.",
                                     organisation=ngo, author=make_user(Role.AUDITOR, organisation=ngo))


def _reply(client, user, annotation, text):
    client.force_login(user)
    url = reverse("annotation_reply", kwargs={"pk": annotation.publication.version.assessment_id,
                                              "annotation_pk": annotation.pk})
    return client.post(url, {"reply": text}, follow=True).content.decode()


@pytest.mark.parametrize("text", ["We disagree. " + "y" * 5000, "", "We disagree."])
def test_a_dpo_is_told_first_that_replying_to_civil_society_is_not_theirs(client, annotation, city, make_user,
                                                                          text):
    page = _reply(client, make_user(Role.DPO, organisation=city), annotation, text)
    assert ("Only the controller&#x27;s authors, signatories and administrators may reply to civil-society "
            "notes.") in page
    assert "Ensure this value has at most" not in page and "Write a reply first." not in page
    assert not AnnotationReply.objects.exists() and not AuditLogEntry.objects.filter(action="reply_annotation")


def test_the_reply_form_is_offered_only_to_those_who_may_reply(client, annotation, city, make_user):
    url = reverse("assessment_detail", kwargs={"pk": annotation.publication.version.assessment_id})
    client.force_login(make_user(Role.DPO, organisation=city))
    dpo_page = client.get(url).content.decode()
    assert "No evidence." in dpo_page and "Publish the reply" not in dpo_page
    client.force_login(make_user(Role.SIGNATORY, organisation=city))
    assert "Publish the reply" in client.get(url).content.decode()


def test_the_controller_still_gets_an_over_long_reply_back_with_the_reason(client, annotation, city, make_user):
    reply = "We disagree. " + "y" * 5000
    page = _reply(client, make_user(Role.SIGNATORY, organisation=city), annotation, reply)
    assert reply in page and "Your reply: Ensure this value has at most 5000 characters" in page
    assert not AnnotationReply.objects.exists()


@pytest.fixture
def advised(version, city, make_user):
    """The version is with the controller, who must say whether the DPO's advice is followed."""
    Assessment.objects.filter(pk=version.assessment_id).update(status=Assessment.Status.READY_TO_SIGN)
    DpoAdvice.objects.create(version=version, dpo=make_user(Role.DPO, organisation=city), advice="Keep 7 days.")
    return version.assessment


def _decide(client, user, assessment, **data):
    client.force_login(user)
    url = reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "record_dpo_decision"})
    return client.post(url, data, follow=True).content.decode()


@pytest.mark.parametrize("decision", ["overruled", "partly_followed"])
@pytest.mark.parametrize("reasons", ["", "  \u200b "])
def test_departing_from_the_dpo_without_reasons_keeps_the_choice_and_says_why(client, advised, city, make_user,
                                                                               decision, reasons):
    page = _decide(client, make_user(Role.AUTHOR, organisation=city), advised, decision=decision, reasons=reasons)
    assert "Reasons: Give the reasons for departing from the DPO&#x27;s advice." in page
    assert f'<option value="{decision}" selected>' in page
    assert "requires reasons" not in page and "Choose whether the advice is followed." not in page
    assert DpoAdvice.objects.get().decision == ""


def test_the_refusal_of_a_decision_without_reasons_is_in_french(client, advised, city, make_user):
    client.cookies["django_language"] = "fr"
    page = _decide(client, make_user(Role.AUTHOR, organisation=city), advised, decision="overruled", reasons="")
    assert "Motifs\u00a0: Indiquez les motifs pour lesquels vous vous écartez de l&#x27;avis du DPD." in page
    assert '<option value="overruled" selected>' in page
    assert "departing" not in page


@pytest.mark.parametrize("reasons", ["", "R" * 10_001])
def test_a_dpo_is_told_first_that_the_decision_on_the_advice_is_not_theirs(client, advised, city, make_user,
                                                                            reasons):
    page = _decide(client, make_user(Role.DPO, organisation=city), advised, decision="overruled", reasons=reasons)
    assert ("Only the controller&#x27;s authors, signatories and administrators may record whether the DPO&#x27;s "
            "advice is followed.") in page
    assert "Reasons:" not in page and DpoAdvice.objects.get().decision == ""


def test_an_over_long_reason_comes_back_as_typed_with_the_choice(client, advised, city, make_user):
    reasons = "Appeals take 30 days. " + "z" * 10_000
    page = _decide(client, make_user(Role.AUTHOR, organisation=city), advised, decision="overruled", reasons=reasons)
    assert reasons in page and '<option value="overruled" selected>' in page
    assert "Reasons: Ensure this value has at most 10000 characters" in page


def test_the_service_refuses_a_departure_without_reasons_in_the_readers_language(advised, city, make_user):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValueError, match="Indiquez les motifs"):
        services.dpo_advice_decide(assessment=advised, user=make_user(Role.AUTHOR, organisation=city),
                                   decision="overruled", reasons=" ")


@pytest.mark.parametrize("decision", ["", "ignored"])
def test_the_service_records_only_a_decision_it_knows(advised, city, make_user, decision):
    with pytest.raises(ValueError, match="Say whether the DPO's advice is followed"):
        services.dpo_advice_decide(assessment=advised, user=make_user(Role.AUTHOR, organisation=city),
                                   decision=decision, reasons="Because.")
    assert not DpoAdvice.objects.filter(version__assessment=advised).exclude(decision="").exists()


@pytest.fixture
def submission(version, make_organisation, make_user):
    regulator = make_organisation(kind=Organisation.Kind.REGULATOR)
    Assessment.objects.filter(pk=version.assessment_id).update(status=Assessment.Status.UNDER_REVIEW)
    make_user(Role.REVIEWER, organisation=regulator, username="reviewer")
    return Submission.objects.create(version=version, regulator=regulator, submitted_by=version.created_by,
                                     submitted_at=timezone.now())


def _comment(client, submission, question_id, text):
    client.force_login(submission.regulator.memberships.get().user)
    url = reverse("review_action", kwargs={"pk": submission.pk, "action": "comment"})
    return client.post(url, {"question_id": question_id, "text": text}, follow=True).content.decode()


def test_an_over_long_comment_on_a_question_outside_the_case_file_comes_back_as_typed(client, submission):
    # project.purposes exists in the questionnaire but was not answered: it is not in the case file.
    assert "project.purposes" in default_bank().questions
    text = "Why no purpose? " + "w" * 5000
    page = _comment(client, submission, "project.purposes", text)
    assert text in page and "Ensure this value has at most 5000 characters" in page
    label = default_bank().questions["project.purposes"].label.get("en")
    assert f"Your comment on “{label}” was not added." in page
    assert '<input type="hidden" name="question_id" value="project.purposes">' in page
    assert not ReviewComment.objects.exists()


def test_an_over_long_comment_on_a_question_in_the_case_file_comes_back_beside_it(client, submission):
    text = "Which trams? " + "w" * 5000
    page = _comment(client, submission, "project.summary", text)
    assert page.count(text) == 1 and "Ensure this value has at most 5000 characters" in page


def test_an_over_long_comment_on_an_unknown_question_says_so_and_gives_the_text_back(client, submission):
    text = "Lost? " + "w" * 5000
    page = _comment(client, submission, "no.such.question", text)
    assert text in page and "This question does not exist." in page


def test_a_decision_no_option_offers_is_refused_in_plain_words_keeping_the_reasons(client, advised, city, make_user):
    page = _decide(client, make_user(Role.AUTHOR, organisation=city), advised, decision="ignored",
                   reasons="Appeals take 30 days.")
    assert "Choose one of the options offered." in page and "Appeals take 30 days." in page
    assert "ignored is not one of" not in page and not DpoAdvice.objects.exclude(decision="").exists()
