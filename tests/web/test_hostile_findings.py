"""Defects a hostile tester found: invisible-only text taken as an answer or a name, "none" ticked with other
choices, a closed review round refused only once the form is valid, and the words of the shadow-publishing and
summary pages."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dpia import services
from dpia.models import Assessment, AuditLogEntry, Membership, Organisation, Submission
from tests.web.wizard_helpers import save_step, step_post_data, step_url
from tests.web.workflow_helpers import frozen_version, status

pytestmark = pytest.mark.django_db
Role = Membership.Role
INVISIBLE = "\u200b\u2800 \u3164"


@pytest.fixture
def draft(people):
    return Assessment.objects.create(organisation=people["city"], title="Tram cameras", created_by=people["author"])


@pytest.fixture
def ngo_author(make_organisation, make_user):
    ngo = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    return make_user(Role.AUTHOR, organisation=ngo)


# -- 3. invisible-only text counts as empty ----------------------------------------------------------------------

def test_invisible_only_text_is_no_answer_in_the_wizard(client, people, draft):
    client.force_login(people["author"])
    save_step(client, draft, "project", {"project.summary": "Twelve cameras.", "project.name": "Trams"})
    data = step_post_data(draft, "project", {})
    data["project-project__summary"] = [INVISIBLE]
    data["project-project__name"] = [INVISIBLE]
    page = client.post(step_url(draft, "project") + "?check=1", data).content.decode()
    assert "This question must be answered before the assessment is complete." in page
    save_step(client, draft, "project", {"project.summary": INVISIBLE, "project.name": INVISIBLE})
    draft.refresh_from_db()
    assert "project.summary" not in draft.answers and "project.name" not in draft.answers


def test_an_invisible_only_title_or_project_name_is_refused_at_creation(client, people, ngo_author):
    client.force_login(people["author"])
    page = client.post(reverse("assessment_new"), {"title": INVISIBLE, "organisation": people["city"].pk})
    assert page.status_code == 200 and "This field is required." in page.content.decode()
    client.force_login(ngo_author)
    ngo = ngo_author.memberships.get().organisation
    page = client.post(reverse("assessment_new"), {"title": "City drones", "organisation": ngo.pk,
                                                   "shadow_of": INVISIBLE})
    assert "Name the project you assess, and the body that runs it." in page.content.decode()
    assert not Assessment.objects.exists()


def test_an_invisible_only_name_is_refused_at_rename(client, people, draft):
    client.force_login(people["author"])
    page = client.post(reverse("assessment_rename", kwargs={"pk": draft.pk}), {"title": INVISIBLE})
    assert page.status_code == 200 and "This field is required." in page.content.decode()
    with pytest.raises(ValueError):
        services.assessment_rename(assessment=draft, user=people["author"], title=INVISIBLE)
    draft.refresh_from_db()
    assert draft.title == "Tram cameras"


# -- 4. "none" with other choices ----------------------------------------------------------------------------------

def test_none_cannot_be_ticked_with_other_choices(client, people, draft):
    client.force_login(people["author"])
    response = save_step(client, draft, "necessity", {"necessity.problem_evidence": ["none", "crime_statistics"]})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "cannot be ticked with other choices." in page
    draft.refresh_from_db()
    assert "necessity.problem_evidence" not in draft.answers
    assert save_step(client, draft, "necessity", {"necessity.problem_evidence": ["none"]}).status_code == 302
    with translation.override("fr"):
        client.cookies["django_language"] = "fr"
        response = save_step(client, draft, "necessity", {"necessity.problem_evidence": ["none", "crime_statistics"]},
                             HTTP_ACCEPT_LANGUAGE="fr")
    assert "ne peut pas être coché avec d'autres choix." in html.unescape(response.content.decode())


# -- 5. a closed round is said first --------------------------------------------------------------------------------

@pytest.fixture
def closed_submission(people):
    version = frozen_version(people["city"], people["author"], title="Tram cameras", summary="Cameras on trams.")
    Assessment.objects.filter(pk=version.assessment_id).update(status=Assessment.Status.OPINION_ISSUED)
    return Submission.objects.create(version=version, regulator=people["regulator"],
                                     submitted_by=people["author"], submitted_at=timezone.now(),
                                     closed_at=timezone.now())


@pytest.mark.parametrize(("action", "valid"), [
    ("comment", {"question_id": "project.summary", "text": "Which trams?"}),
    ("verdict", {"section": "project", "verdict": "complete"}),
    ("request_information", {"text": "Send the contract."}),
    ("issue_opinion", {"kind": "advice", "text": "Fine."}),
])
def test_a_closed_round_is_refused_the_same_whatever_the_form_holds(client, people, closed_submission, action,
                                                                     valid):
    client.force_login(people["reviewer"])
    url = reverse("review_action", kwargs={"pk": closed_submission.pk, "action": action})
    refusals = []
    for data in ({}, valid):
        page = html.unescape(client.post(url, data, follow=True).content.decode())
        assert "Fill in the form first." not in page
        refusals.append(page.count("This submission is closed") + page.count("cannot"))
    assert refusals[0] == refusals[1] and refusals[0] > 0


# -- 6. words of the pages, and naming the project of an imported shadow assessment -------------------------------

def test_the_shadow_publish_page_does_not_speak_of_a_signature(client, ngo_author):
    ngo = ngo_author.memberships.get().organisation
    shadow = Assessment.objects.create(organisation=ngo, title="City drones", created_by=ngo_author,
                                       shadow_of="Police drone pilot", answers={"project.summary": "Drones."})
    client.force_login(ngo_author)
    page = client.get(reverse("assessment_confirm", kwargs={"pk": shadow.pk, "action": "publish_shadow"}))
    text = page.content.decode()
    assert "What will be redacted" in text and "signed" not in text


def test_french_severity_counts_have_a_non_breaking_space_before_the_colon(client, people, draft):
    client.force_login(people["author"])
    client.cookies["django_language"] = "fr"
    text = client.get(step_url(draft, "screening"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    counts = text[text.index("live-summary__counts"):]
    counts = counts[:counts.index("</ul>")]
    assert "\u00a0: " in counts and " : " not in counts.replace("\u00a0: ", "") and ": " not in counts.replace(
        "\u00a0: ", "")


def test_the_project_of_an_imported_shadow_assessment_is_named_on_the_rename_page(client, ngo_author):
    ngo = ngo_author.memberships.get().organisation
    shadow = Assessment.objects.create(organisation=ngo, title="Imported PIA", created_by=ngo_author)
    client.force_login(ngo_author)
    url = reverse("assessment_rename", kwargs={"pk": shadow.pk})
    page = client.get(url).content.decode()
    assert 'name="shadow_of"' in page and "does not yet name the project" in page
    refused = client.post(url, {"title": "Drones", "shadow_of": INVISIBLE}).content.decode()
    assert "Name the project you assess, and the body that runs it." in refused
    assert client.post(url, {"title": "Drones", "shadow_of": "  Police drone pilot, Ville de Test "}).status_code == 302
    shadow.refresh_from_db()
    assert (shadow.title, shadow.shadow_of) == ("Drones", "Police drone pilot, Ville de Test")
    entry = AuditLogEntry.objects.get(action="rename_draft")
    assert entry.detail["new_shadow_of"] == "Police drone pilot, Ville de Test"
    services.check_confirmation(assessment=shadow, user=ngo_author, action="publish_shadow")  # now publishable
    assert status(shadow) == "draft"


def test_a_controllers_rename_page_asks_no_project_name(client, people, draft):
    client.force_login(people["author"])
    assert 'name="shadow_of"' not in client.get(reverse("assessment_rename", kwargs={"pk": draft.pk})).content.decode()


def test_every_choice_the_bank_marks_exclusive_is_ticked_alone():
    """Not only "none": "not known" among the grounds for listing someone is refused beside a ground, in the form
    and on import, while two grounds together stay valid."""
    from django import forms

    from dpia.engine.answers import validate_answers
    from dpia.engine.bank import default_bank
    from dpia.stepforms import _multiple_choice

    question = default_bank().question("legality.listing_grounds")
    field = _multiple_choice(question, "en")
    with pytest.raises(forms.ValidationError, match="Not known: the criteria were not available to us"):
        field.clean(["not_known", "own_record"])
    assert field.clean(["own_record", "association"]) == ["own_record", "association"]
    assert field.clean(["not_known"]) == ["not_known"]
    stream = {"key": "s1", "name": "Hit list", "data_categories": ["risk_scores"]}
    problems = validate_answers({"streams.list": [stream],
                                 "legality.listing_grounds": {"s1": ["own_record", "not_known"]}}, default_bank())
    assert problems == ["legality.listing_grounds.s1: 'not_known' cannot be ticked with other choices"]
