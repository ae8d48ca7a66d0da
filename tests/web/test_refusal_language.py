"""Refusals raised by the services reach the page as plain sentences in the reader's language, naming the action in
words: never English to a French reader, never an internal action id."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from dpia import policies
from dpia.models import (
    Assessment,
    DpoAdvice,
    Evidence,
    Membership,
    Opinion,
    Organisation,
    ReviewComment,
    Submission,
)
from dpia.services.workflow import ACTION_WORDS, refusal
from tests.web.workflow_helpers import frozen_version

pytestmark = pytest.mark.django_db
Role = Membership.Role
NBSP = "\u00a0"
ACTION_IDS = sorted({action for (_, action) in policies.TRANSITIONS} | {"record_dpo_decision"})


def shown_messages(page: str) -> str:
    """The text of the messages shown at the top of the page, unescaped."""
    found = re.search(r'<div class="messages" role="status">(.*?)</div>', page, re.S)
    assert found, "no message on the page"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def assert_no_action_id(text: str, *, french: bool = True) -> None:
    """No internal action id in `text`. In English some ids are also plain words ("sign", "publish"): there only the
    ids no sentence contains ("give_dpo_advice") are looked for."""
    ids = ACTION_IDS if french else [action for action in ACTION_IDS if "_" in action]
    leaked = [action for action in ids if re.search(rf"(?<!\w){action}(?!\w)", text)]
    assert not leaked, f"internal ids shown: {leaked} in {text!r}"


@pytest.fixture
def version(city, make_user):
    author = make_user(Role.AUTHOR, organisation=city)
    return frozen_version(city, author, title="Caméras des trams", summary="Des caméras dans les trams.")


def _status(assessment, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)


def _act(client, user, assessment, action, language="fr", **data):
    client.force_login(user)
    client.cookies["django_language"] = language
    url = reverse("assessment_action", kwargs={"pk": assessment.pk, "action": action})
    response = client.post(url, {"confirmed": "yes", **data}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_refused_action_is_named_in_french_words(client, version, city, make_user):
    """The example of the report: an author trying the DPO's advice is told so in French, with no id."""
    _status(version.assessment, Assessment.Status.DPO_REVIEW)
    page = _act(client, make_user(Role.AUTHOR, organisation=city), version.assessment, "give_dpo_advice",
                advice="Tout va bien.")
    shown = shown_messages(page)
    assert "Vous ne pouvez pas rendre l'avis du DPD sur cette analyse." in shown
    assert "may not" not in shown
    assert_no_action_id(shown)
    assert not DpoAdvice.objects.exists()


def test_the_same_refusal_reads_in_english_for_an_english_reader(client, version, city, make_user):
    _status(version.assessment, Assessment.Status.DPO_REVIEW)
    page = _act(client, make_user(Role.AUTHOR, organisation=city), version.assessment, "give_dpo_advice",
                language="en", advice="Fine.")
    shown = shown_messages(page)
    assert "You may not give the DPO's advice on this assessment." in shown
    assert_no_action_id(shown, french=False)


def test_an_action_the_status_does_not_allow_names_the_action_and_the_status_in_french(client, city, make_user):
    draft = Assessment.objects.create(organisation=city, title="Vide", created_by=make_user(Role.AUTHOR,
                                                                                            organisation=city))
    page = _act(client, make_user(Role.SIGNATORY, organisation=city), draft, "sign")
    shown = shown_messages(page)
    assert f"Vous ne pouvez pas signer cette analyse tant qu'elle est «{NBSP}Brouillon{NBSP}»." in shown
    assert "draft" not in shown and "while" not in shown
    assert_no_action_id(shown)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_signing_before_the_decision_on_the_dpo_advice_is_refused_in_french(client, version, city, make_user):
    _status(version.assessment, Assessment.Status.READY_TO_SIGN)
    DpoAdvice.objects.create(version=version, dpo=make_user(Role.DPO, organisation=city), advice="Sept jours.")
    page = _act(client, make_user(Role.SIGNATORY, organisation=city), version.assessment, "sign")
    shown = shown_messages(page)
    assert "Indiquez si l'avis du DPD est suivi avant de signer." in shown
    assert "record whether" not in shown.lower()
    assert_no_action_id(shown)


def test_an_unknown_action_is_refused_in_french(client, version, city, make_user):
    page = _act(client, make_user(Role.AUTHOR, organisation=city), version.assessment, "self_destruct")
    shown = shown_messages(page)
    assert "Cette action n'existe pas." in shown and "unknown" not in shown


@pytest.fixture
def submission(version, make_organisation, make_user):
    regulator = make_organisation(kind=Organisation.Kind.REGULATOR)
    _status(version.assessment, Assessment.Status.UNDER_REVIEW)
    make_user(Role.REVIEWER, organisation=regulator, username="instructeur")
    return Submission.objects.create(version=version, regulator=regulator, submitted_by=version.created_by,
                                     submitted_at=timezone.now(), prior_consultation=True, regime="gdpr",
                                     deadline=timezone.localdate())


def _review(client, submission, action, **data):
    client.force_login(submission.regulator.memberships.get().user)
    client.cookies["django_language"] = "fr"
    url = reverse("review_action", kwargs={"pk": submission.pk, "action": action})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return shown_messages(response.content.decode())


def test_a_comment_on_a_closed_submission_is_refused_in_french(client, submission):
    Submission.objects.filter(pk=submission.pk).update(closed_at=timezone.now())
    shown = _review(client, submission, "comment", question_id="project.summary", text="Quels trams ?")
    assert (f"Cette saisine est close{NBSP}: l'autorité a rendu son avis, ou une saisine plus récente l'a "
            "remplacée.") in shown
    assert "superseded" not in shown
    assert not ReviewComment.objects.exists()


def test_a_second_extension_of_the_time_limit_is_refused_in_french(client, submission):
    Submission.objects.filter(pk=submission.pk).update(extended_days=42)
    shown = _review(client, submission, "extend_deadline")
    assert f"Le délai a déjà été prolongé{NBSP}: il ne peut l'être qu'une fois." in shown
    assert "already extended" not in shown
    assert_no_action_id(shown)


def test_a_reviewer_may_not_issue_an_opinion_before_starting_the_review_and_is_told_so_in_french(client, submission):
    _status(submission.version.assessment, Assessment.Status.SUBMITTED)
    shown = _review(client, submission, "issue_opinion", kind="advice", text="Rien à redire.")
    assert (f"Vous ne pouvez pas rendre un avis sur cette analyse tant qu'elle est «{NBSP}Transmise à "
            f"l'autorité{NBSP}».") in shown
    assert_no_action_id(shown)
    assert not Opinion.objects.exists()


def test_a_refused_evidence_file_is_explained_in_french(client, city, make_user):
    author = make_user(Role.AUTHOR, organisation=city)
    draft = Assessment.objects.create(organisation=city, title="Brouillon", created_by=author)
    client.force_login(author)
    client.cookies["django_language"] = "fr"
    response = client.post(reverse("evidence_list", kwargs={"pk": draft.pk}), {
        "question_id": "project.summary", "title": "Outil", "upload": SimpleUploadedFile("outil.exe", b"MZ\x90\x00")})
    page = html.unescape(response.content.decode())
    assert f"Ce fichier a été refusé{NBSP}: les fichiers de type .exe ne sont pas acceptés." in page
    assert "not accepted" not in page
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("action", sorted({action for (_, action) in policies.TRANSITIONS}))
def test_every_refused_transition_has_words_and_shows_no_id(action, language):
    assert action in ACTION_WORDS
    with translation.override(language):
        for status_allows in (True, False):
            message = refusal(policies.InvalidTransition("log", action=action, status="information_requested",
                                                         status_allows=status_allows))
            assert_no_action_id(message, french=language == "fr")
            assert "information_requested" not in message
            assert message.endswith(".") and message[0].isupper()
            if language == "fr":
                assert message.startswith("Vous ne pouvez pas ") and "may not" not in message


SHADOW_REFUSAL = {
    "en": "This assessment is not a shadow assessment:",
    "fr": f"Cette analyse n'est pas une analyse fantôme{NBSP}:",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("action,status", [("publish_shadow", Assessment.Status.DRAFT),
                                           ("withdraw_shadow", Assessment.Status.PUBLISHED),
                                           ("publish_shadow", Assessment.Status.SIGNED)])
def test_a_shadow_action_on_an_ordinary_assessment_says_it_is_not_a_shadow_assessment(
        client, version, city, make_user, action, status, language):
    """A hostile test: a city's own assessment was refused as if it were "this shadow assessment"."""
    _status(version.assessment, status)
    page = _act(client, make_user(Role.AUTHOR, Role.SIGNATORY, organisation=city), version.assessment, action,
                language=language)
    shown = shown_messages(page)
    assert SHADOW_REFUSAL[language] in shown
    assert "this shadow assessment" not in shown and "cette analyse fantôme" not in shown
    assert_no_action_id(shown, french=language == "fr")
    version.assessment.refresh_from_db()
    assert version.assessment.status == status
