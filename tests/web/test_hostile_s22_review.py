"""Hostile review, round 22: one authority's rounds stay out of another's review page, a time limit that does not
exist cannot be extended, and an evidence title made of invisible characters is no title."""

import re

import pytest
from django.urls import reverse

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AuditLogEntry, Evidence, Membership, Organisation, Submission
from tests.web.workflow_helpers import act, complete_assessment, review, sign, submit_with_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client, people, fake_renderer):
    return complete_assessment(client, people)


@pytest.fixture
def other_reviewer(make_user, make_organisation):
    """A reviewer of a second authority."""
    authority = make_organisation(name="Other DPA", kind=Organisation.Kind.REGULATOR)
    return make_user(Membership.Role.REVIEWER, organisation=authority, username="other-reviewer")


def review_page(client, reviewer, submission):
    client.force_login(reviewer)
    response = client.get(reverse("review_detail", kwargs={"pk": submission.pk}))
    assert response.status_code == 200
    return response.content.decode()


def first_round_with_an_opinion(client, people, assessment):
    first = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], first, "start_review")
    review(client, people["reviewer"], first, "comment", question_id="project.summary",
           text="Which stops exactly?")
    review(client, people["reviewer"], first, "verdict", section="project", verdict="to_correct")
    review(client, people["reviewer"], first, "issue_opinion", kind="advice", text="Say which stops.")
    return first


def resubmit_to(client, people, assessment, authority, summary):
    act(client, people["author"], assessment, "revise")
    assessment.refresh_from_db()
    services.assessment_import_answers(assessment=assessment, user=people["author"], bank=default_bank(),
                                       answers={**assessment.answers, "project.summary": summary})
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=authority.pk)
    return Submission.objects.order_by("-pk").first()


def version_links(html):
    return set(re.findall(r'href="(/assessments/\d+/versions/[^"]+)"', html))


def test_another_authority_does_not_see_the_first_authority_s_rounds_nor_a_dead_diff_link(
        client, people, assessment, other_reviewer):
    first_round_with_an_opinion(client, people, assessment)
    authority_b = other_reviewer.memberships.get().organisation
    second = resubmit_to(client, people, assessment, authority_b, "Twelve cameras at four stops.")

    html = review_page(client, other_reviewer, second)
    assert "Which stops exactly?" not in html  # neither under "Earlier rounds" nor in the case file
    assert "Earlier rounds" not in html
    assert "The authority's verdict:" not in html and ": To correct</li>" not in html  # nor its section verdict
    assert "changes since the previous submission" not in html
    for url in version_links(html):  # every version the page links to opens for this reviewer
        assert client.get(url).status_code == 200, url


def test_an_authority_consulted_again_starts_from_its_own_earlier_round_and_its_diff_opens(
        client, people, assessment, other_reviewer):
    first = first_round_with_an_opinion(client, people, assessment)
    authority_b = other_reviewer.memberships.get().organisation
    second = resubmit_to(client, people, assessment, authority_b, "Twelve cameras at four stops.")
    review(client, other_reviewer, second, "start_review")
    review(client, other_reviewer, second, "comment", question_id="project.summary", text="Only for B's eyes.")
    review(client, other_reviewer, second, "issue_opinion", kind="advice", text="Fine.")
    third = resubmit_to(client, people, assessment, people["regulator"], "Ten cameras at four stops.")

    html = review_page(client, people["reviewer"], third)
    assert "The authority's verdict: round 1: To correct" in html
    assert "Which stops exactly?" in html and "Only for B's eyes." not in html
    diff = reverse("version_diff", kwargs={"pk": assessment.pk, "old": first.version.number,
                                          "new": third.version.number})
    assert f'href="{diff}"' in html  # against the version this authority saw, not the one sent elsewhere
    for url in version_links(html):
        assert client.get(url).status_code == 200, url


def test_a_submission_without_a_time_limit_cannot_have_it_extended_and_nothing_is_logged(client, people,
                                                                                          assessment):
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    submission = Submission.objects.get()
    assert submission.deadline is None  # no prior consultation: no legal time limit
    logged = AuditLogEntry.objects.filter(action="extend_deadline")
    for _ in range(2):
        response = review(client, people["reviewer"], submission, "extend_deadline")
        page = client.get(response.url).content.decode()
        assert "This submission has no time limit: there is none to extend." in page
    assert not logged.exists()
    client.cookies["django_language"] = "fr"
    response = review(client, people["reviewer"], submission, "extend_deadline")
    assert "Cette saisine n&#x27;a pas de délai légal" in client.get(response.url).content.decode()
    assert not logged.exists()


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u2800", " \u00ad\u2060 ", "\u3164"])
def test_an_evidence_title_of_invisible_characters_is_refused(client, people, title):
    assessment = Assessment.objects.create(organisation=people["city"], title="ANPR", created_by=people["author"])
    client.force_login(people["author"])
    response = client.post(reverse("evidence_list", kwargs={"pk": assessment.pk}),
                           {"question_id": "screening.public_area_monitoring", "title": title,
                            "url": "https://example.org/stats.pdf"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Evidence.objects.exists()
