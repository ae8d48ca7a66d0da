"""Each role's home: the work that waits for the person, with the next step, read in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dpia.models import (
    Annotation,
    AnnotationReply,
    Assessment,
    AssessmentVersion,
    DpoAdvice,
    Membership,
    Organisation,
    Publication,
    Submission,
)

Role = Membership.Role
S = Assessment.Status


def make_assessment(people, title="Tram cameras", status=S.DRAFT, **fields):
    return Assessment.objects.create(organisation=people["city"], title=title, created_by=people["author"],
                                     status=status, **fields)


def version_of(assessment, number=1):
    return AssessmentVersion.objects.create(
        assessment=assessment, number=number, content={"result": {"verdict": {"outcome": "proceed"}, "findings": []}},
        digest=f"{assessment.pk:032d}{number:032d}", pdf=b"%PDF", pdf_digest=f"{number:032d}{assessment.pk:032d}",
        created_by=assessment.created_by, created_at=timezone.now())


def submitted(people, title, *, deadline_in_days=40):
    assessment = make_assessment(people, title, status=S.SUBMITTED)
    return Submission.objects.create(
        version=version_of(assessment), regulator=people["regulator"], submitted_by=people["signatory"],
        submitted_at=timezone.now(), prior_consultation=True, regime="gdpr",
        deadline=timezone.localdate() + timezone.timedelta(days=deadline_in_days))


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def queries_for_home(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def test_the_author_sees_each_assessment_with_its_status_and_next_step(client, people):
    draft = make_assessment(people, "Plate readers")
    with_dpo = make_assessment(people, "Drone patrols", status=S.DPO_REVIEW)
    page = home(client, people["author"])
    assert "Plate readers" in page and "Drone patrols" in page
    assert "Answer the remaining" in page
    assert reverse("wizard_start", kwargs={"pk": draft.pk}) in page
    assert "Waiting for the DPO&#x27;s advice" in page
    assert reverse("assessment_detail", kwargs={"pk": with_dpo.pk}) in page


def test_a_draft_with_every_required_answer_says_ask_your_dpo(client, people, monkeypatch):
    make_assessment(people, "Plate readers")
    monkeypatch.setattr("dpia.engine.bank.QuestionBank.unanswered_required", lambda self, answers: [])
    assert "Ask your DPO for advice" in home(client, people["author"])


def test_the_remaining_questions_are_counted(client, people):
    from dpia.engine.bank import default_bank
    draft = make_assessment(people, "Plate readers")
    missing = len(default_bank().unanswered_required(draft.answers))
    assert missing > 1
    assert f"Answer the remaining {missing} questions" in home(client, people["author"])


def test_the_dpo_sees_what_awaits_advice_and_nothing_else(client, people):
    make_assessment(people, "Waiting for advice", status=S.DPO_REVIEW)
    make_assessment(people, "Still a draft")
    page = home(client, people["dpo"])
    assert "Awaiting your advice as DPO" in page
    assert "Waiting for advice" in page
    assert "Still a draft" not in page


def test_the_dpo_with_nothing_waiting_is_told_so(client, people):
    assert "No assessment waits for your advice." in home(client, people["dpo"])


def test_the_signatory_sees_what_awaits_a_decision_or_a_signature(client, people):
    decision = make_assessment(people, "Awaits the decision", status=S.READY_TO_SIGN)
    DpoAdvice.objects.create(version=version_of(decision), dpo=people["dpo"], advice="Shorten retention.")
    signature = make_assessment(people, "Awaits the signature", status=S.READY_TO_SIGN)
    DpoAdvice.objects.create(version=version_of(signature), dpo=people["dpo"], advice="OK", decision="followed")
    make_assessment(people, "Signed, to submit", status=S.SIGNED)
    make_assessment(people, "Still a draft")
    page = home(client, people["signatory"])
    assert "Awaiting a decision or a signature" in page
    assert "Record whether the DPO&#x27;s advice is followed" in page
    assert "Ready for the signatory to sign" in page
    assert "Submit it to the supervisory authority, or publish it" in page
    assert "Still a draft" not in page


def test_the_regulator_sees_its_queue_with_deadlines_and_a_link_to_the_whole_queue(client, people):
    submission = submitted(people, "Plate readers", deadline_in_days=40)
    page = home(client, people["reviewer"])
    assert "No assessment yet" not in page
    assert "Plate readers" in page
    assert reverse("review_detail", kwargs={"pk": submission.pk}) in page
    assert "40 days left" in page
    assert reverse("review_queue") in page


def test_the_regulator_home_shows_the_nearest_deadlines_and_links_to_the_rest(client, people):
    for n in range(12):
        submitted(people, f"Project {n:02d}", deadline_in_days=10 + n)
    page = home(client, people["reviewer"])
    assert "Project 00" in page and "Project 09" in page
    assert "Project 11" not in page
    assert "See the whole queue" in page


def test_another_regulator_sees_nothing_of_this_queue(client, people, make_user, make_organisation):
    submitted(people, "Plate readers")
    other = make_user(Role.REVIEWER, organisation=make_organisation(kind=Organisation.Kind.REGULATOR))
    page = home(client, other)
    assert "Plate readers" not in page
    assert "Nothing waits for review." in page


def publication_of(people, title):
    assessment = make_assessment(people, title, status=S.PUBLISHED)
    version = version_of(assessment)
    return Publication.objects.create(
        version=version, content=version.content, digest=version.digest[::-1], pdf=b"%PDF",
        pdf_digest=version.pdf_digest[::-1], source_digest=version.digest, published_by=people["signatory"],
        published_at=timezone.now(), verdict="proceed")


@pytest.fixture
def auditor(make_user, make_organisation):
    group = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    return make_user(Role.AUDITOR, organisation=group)


def test_the_auditor_sees_their_annotations_and_the_replies(client, people, auditor):
    publication = publication_of(people, "Plate readers")
    annotation = Annotation.objects.create(publication=publication, target="answer:project.summary",
                                           text="The cameras also film the mosque.",
                                           organisation=auditor.memberships.get().organisation, author=auditor)
    AnnotationReply.objects.create(annotation=annotation, text="Masking is applied.", author=people["signatory"],
                                   created_at=timezone.now())
    page = home(client, auditor)
    assert "The cameras also film the mosque." in page
    assert "Masking is applied." in page
    assert reverse("register_detail", kwargs={"pk": publication.pk}) in page


def test_another_groups_annotations_are_not_on_the_auditors_home(client, people, auditor, make_user,
                                                                 make_organisation):
    publication = publication_of(people, "Plate readers")
    other = make_user(Role.AUDITOR, organisation=make_organisation(kind=Organisation.Kind.CIVIL_SOCIETY))
    Annotation.objects.create(publication=publication, target="answer:project.summary", text="Another group's note.",
                              organisation=other.memberships.get().organisation, author=other)
    assert "Another group&#x27;s note." not in home(client, auditor)


def test_the_authors_home_reads_in_the_same_number_of_queries_for_one_or_many_assessments(client, people):
    make_assessment(people, "One")
    one = queries_for_home(client, people["author"])
    for n, status in enumerate([S.DRAFT, S.DPO_REVIEW, S.READY_TO_SIGN, S.SIGNED, S.SUBMITTED, S.PUBLISHED] * 2):
        make_assessment(people, f"More {n}", status=status)
    assert queries_for_home(client, people["author"]) == one


def test_the_signatory_and_dpo_homes_read_in_constant_queries(client, people):
    for user, status in ((people["signatory"], S.READY_TO_SIGN), (people["dpo"], S.DPO_REVIEW)):
        first = make_assessment(people, "First", status=status)
        DpoAdvice.objects.create(version=version_of(first), dpo=people["dpo"], advice="OK")
        one = queries_for_home(client, user)
        for n in range(8):
            more = make_assessment(people, f"More {n}", status=status)
            DpoAdvice.objects.create(version=version_of(more), dpo=people["dpo"], advice="OK")
        assert queries_for_home(client, user) == one


def test_the_regulator_home_reads_in_constant_queries(client, people):
    submitted(people, "First")
    one = queries_for_home(client, people["reviewer"])
    for n in range(8):
        submitted(people, f"More {n}")
    assert queries_for_home(client, people["reviewer"]) == one


def test_the_auditor_home_reads_in_constant_queries(client, people, auditor):
    group = auditor.memberships.get().organisation

    def annotate(title):
        annotation = Annotation.objects.create(publication=publication_of(people, title), text="Note",
                                               target="answer:project.summary", organisation=group, author=auditor)
        AnnotationReply.objects.create(annotation=annotation, text="Reply", author=people["signatory"],
                                       created_at=timezone.now())

    annotate("First")
    one = queries_for_home(client, auditor)
    for n in range(8):
        annotate(f"More {n}")
    assert queries_for_home(client, auditor) == one


def test_only_a_regulator_s_reviewer_is_offered_the_review_queue_in_the_menu(client, people):
    """City staff have no queue: the menu does not send them to an empty regulator's page."""
    for role in ("author", "dpo", "signatory"):
        assert reverse("review_queue") not in home(client, people[role]), role
        client.logout()
    assert f'<a href="{reverse("review_queue")}">Review queue</a>' in home(client, people["reviewer"])
