"""The inputs that used to give a server error, each answered with a clear message; what was typed is
shown again or kept. (test_hostile_input.py sends such values everywhere; these say what a user sees.)"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AssessmentVersion, Membership, Publication
from tests.web.wizard_helpers import save_step, step_post_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(author):
    organisation = author.memberships.get().organisation
    assessment = Assessment.objects.create(organisation=organisation, title="Tram cameras", created_by=author,
                                           status=Assessment.Status.PUBLISHED)
    version = AssessmentVersion.objects.create(assessment=assessment, number=1, content={}, digest="a" * 64,
                                               pdf=b"%PDF", pdf_digest="b" * 64, created_by=author,
                                               created_at=timezone.now())
    publication = Publication.objects.create(
        version=version, content={}, digest="c" * 64, pdf=b"%PDF", pdf_digest="d" * 64, source_digest="a" * 64,
        published_by=author, published_at=timezone.now(), city="Testville", verdict="proceed")
    services.register_index(publication=publication, bank=default_bank())
    return publication


@pytest.mark.parametrize("year", ["99999999999999999999", "0", "10000", "-1", "²", "2026\x00", "x" * 100_000])
def test_a_year_out_of_range_is_reported_and_the_other_filters_still_apply(client, published, year):
    response = client.get(reverse("register"), {"year": year, "q": "Tram"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be used" in page and "Year:" in page
    assert "Tram cameras" in page  # the search still applies
    assert 'name="q" maxlength="100" value="Tram"' in page  # what was typed is shown again


def test_a_year_in_another_script_is_read_as_a_year(client, published):
    this_year = str(published.published_at.year)
    arabic_indic = this_year.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    page = client.get(reverse("register"), {"year": arabic_indic}).content.decode()
    assert "Tram cameras" in page and "Some filters could not be used" not in page


@pytest.mark.parametrize("field", ["q", "organisation", "city", "verdict", "technology", "regime"])
def test_a_nul_byte_in_a_register_filter_is_reported(client, published, field):
    response = client.get(reverse("register"), {field: "Tram\x00"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


@pytest.mark.parametrize(("content", "reason"), [
    (b"[" * 100_000 + b"]" * 100_000, "it is nested more than 64 levels deep"),
    (b'{"format": "dpia-workbench/version", "digest": "\\ud800", "content": {}}',
     "it holds an unpaired surrogate escape"),
    (b'{"format": "dpia-workbench/version", "content": {"n": ' + b"9" * 5000 + b"}}",
     "it holds a number longer than 40 digits"),
    (b'{"content": {"n": 1e999999}}', "it holds a number too large to read"),
    (b'{"digest": "a\\u0000b"}', "it holds a NUL character"),
    (b'{"format": ', "it is not valid JSON (line 1, column 12)"),
])
def test_a_hostile_json_upload_to_verify_gets_a_reason(client, content, reason):
    response = client.post(reverse("verify"), {"upload": SimpleUploadedFile("export.json", content)})
    assert response.status_code == 200
    assert f"This JSON file cannot be checked: {reason}" in response.content.decode()


def test_the_verify_command_says_an_unreadable_file_matches_nothing(tmp_path):
    path = tmp_path / "nested.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CommandError, match="no registered version matches"):
        call_command("verify", str(path), stdout=io.StringIO())


@pytest.fixture
def drafting(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation, title="Tram cameras",
                                           created_by=author)
    client.force_login(author)
    save_step(client, assessment, "screening", {"screening.jurisdiction": "fr"})
    return assessment


@pytest.mark.parametrize("button", [{"wizard_goto_step": ["screening"]}, {"save_and_leave": ["1"]}])
def test_a_nul_byte_typed_in_the_wizard_is_removed_and_the_rest_is_kept_on_back_or_leave(client, drafting, button):
    data = step_post_data(drafting, "project", {"project.name": "Safe\x00 city", "project.summary": "Cameras"})
    response = client.post(step_url(drafting, "project"), {**data, **button}, follow=True)
    assert response.status_code == 200
    assert "Null characters cannot be kept; they were removed from what you typed." in response.content.decode()
    page = client.get(step_url(drafting, "project")).content.decode()
    assert 'value="Safe city"' in page and "Cameras" in page


def test_a_nul_byte_on_save_and_continue_is_refused_and_what_was_typed_is_shown_again(client, drafting):
    data = step_post_data(drafting, "project", {"project.name": "Safe\x00 city", "project.summary": "Cameras"})
    response = client.post(step_url(drafting, "project"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed." in page and "Cameras" in page
    drafting.refresh_from_db()
    assert "project.summary" not in drafting.answers


@pytest.mark.parametrize("path", ["/assessments/99999999999999999999/", "/register/99999999999999999999/",
                                  "/assessments/1/versions/99999999999999999999/pdf/"])
def test_an_id_beyond_64_bits_is_not_found(client, author, path):
    client.force_login(author)
    assert client.get(path).status_code == 404


def test_dpo_advice_on_a_draft_is_refused_with_a_message(client, make_user, drafting):
    dpo = make_user(Membership.Role.DPO, organisation=drafting.organisation)
    client.force_login(dpo)
    url = reverse("assessment_action", kwargs={"pk": drafting.pk, "action": "give_dpo_advice"})
    response = client.post(url, {"advice": "Fine"}, follow=True)
    assert response.status_code == 200
    assert re.search(r'class="message message--error">[^<]+', response.content.decode())
    drafting.refresh_from_db()
    assert drafting.status == "draft"


@pytest.fixture
def under_review(published, make_user, make_organisation):
    """The published fixture's assessment, as if it were with the DPO and with a regulator."""
    from dpia.models import Annotation, Organisation, Submission

    organisation = published.version.assessment.organisation
    regulator = make_organisation(kind=Organisation.Kind.REGULATOR)
    ngo = make_organisation(kind=Organisation.Kind.CIVIL_SOCIETY)
    submission = Submission.objects.create(version=published.version, regulator=regulator,
                                           submitted_by=published.published_by, submitted_at=timezone.now())
    auditor = make_user(Membership.Role.AUDITOR, organisation=ngo)
    annotation = Annotation.objects.create(publication=published, target="answer:project.summary", text="Note",
                                           organisation=ngo, author=auditor)
    return {"assessment": published.version.assessment, "submission": submission, "annotation": annotation,
            "dpo": make_user(Membership.Role.DPO, organisation=organisation),
            "reviewer": make_user(Membership.Role.REVIEWER, organisation=regulator)}


def test_refused_dpo_advice_comes_back_as_typed(client, under_review):
    assessment = under_review["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DPO_REVIEW)
    client.force_login(under_review["dpo"])
    advice = "Shorten retention. " + "x" * 10_000
    url = reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "give_dpo_advice"})
    page = client.post(url, {"advice": advice}, follow=True).content.decode()
    assert advice in page and "Ensure this value has at most 10000 characters" in page
    # The message at the top says why (the length), not "write the advice first".
    assert re.search(r'class="message message--error">Your advice: Ensure this value has at most 10000', page)
    assert "Write the advice before sending it." not in page
    # Shown once: the next visit has a fresh form.
    assert advice not in client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).content.decode()


def test_a_refused_review_comment_comes_back_as_typed(client, under_review):
    client.force_login(under_review["reviewer"])
    url = reverse("review_action", kwargs={"pk": under_review["submission"].pk, "action": "comment"})
    page = client.post(url, {"question_id": "no.such.question", "text": "Why 40 cameras?"}, follow=True)
    assert "Why 40 cameras?" in page.content.decode() and "This question does not exist." in page.content.decode()


def test_a_refused_reply_to_civil_society_comes_back_as_typed(client, author, under_review):
    client.force_login(author)
    reply = "We disagree. " + "y" * 5000
    url = reverse("annotation_reply", kwargs={"pk": under_review["assessment"].pk,
                                              "annotation_pk": under_review["annotation"].pk})
    page = client.post(url, {"reply": reply}, follow=True).content.decode()
    assert reply in page and "Your reply: Ensure this value has at most 5000 characters" in page
    assert "Write a reply first." not in page
    blank = client.post(url, {"reply": "  "}, follow=True).content.decode()
    assert "Write a reply first." in blank


# Zero-width characters, wide and Braille blanks, direction marks, Hangul fillers, soft hyphen and lone marks, tags.
@pytest.mark.parametrize("invisible", ["\u200b", " \ufeff\u2060 ", "\u200c\u200d", "\u00a0\u3000\u2800",
                                       "\u200e\u200f\u202e", "\u3164\u115f\u1160\uffa0",
                                       "\u00ad\u034f\ufe0f\U000e0020", "\u2061\u206a\u180e"])
def test_advice_made_only_of_invisible_characters_is_refused_as_empty(client, under_review, invisible):
    assessment = under_review["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DPO_REVIEW)
    client.force_login(under_review["dpo"])
    url = reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "give_dpo_advice"})
    page = client.post(url, {"advice": invisible}, follow=True).content.decode()
    assert "Write the advice before sending it." in page
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DPO_REVIEW


def test_text_with_a_visible_character_among_invisible_ones_is_kept():
    from dpia.fields import TextField

    assert TextField().clean("\u200eé\u2800") == "\u200eé\u2800"
    assert TextField().clean("\u0645\u064e") == "\u0645\u064e"  # a letter with its vowel mark


def test_a_refused_review_comment_says_which_field_and_why_in_plain_words(client, under_review):
    client.force_login(under_review["reviewer"])
    url = reverse("review_action", kwargs={"pk": under_review["submission"].pk, "action": "comment"})
    page = client.post(url, {"question_id": "necessity.alternatives", "text": "\u200b"}, follow=True)
    text = page.content.decode()
    assert "Fill in the form first." in text and "* text" not in text
