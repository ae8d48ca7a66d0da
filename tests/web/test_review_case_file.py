"""Review reads like a case file: comments from beside each answer, a diff in names and "before → after",
and the author sees the authority's verdicts and comments next to the questions, round after round."""

import copy

import pytest
from django.urls import reverse

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import AssessmentVersion, ReviewComment, Submission
from tests.web.workflow_helpers import act, complete_assessment, review, sign, submit_with_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client, people, fake_renderer):
    return complete_assessment(client, people)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def review_url(submission):
    return reverse("review_detail", kwargs={"pk": submission.pk})


def detail_url(assessment):
    return reverse("assessment_detail", kwargs={"pk": assessment.pk})


def test_each_answer_on_the_review_page_has_its_own_comment_control_and_no_drop_down_of_ids(client, people,
                                                                                           assessment):
    submission = submit_with_consultation(client, people, assessment)
    html = page(client, people["reviewer"], review_url(submission))
    bank = default_bank()
    answered = bank.applicable_answers(submission.version.content["answers"])
    assert 'select name="question_id"' not in html
    for question_id in answered:
        assert f'name="question_id" value="{question_id}"' in html
        assert f'id="comment-{question_id}"' in html
    assert bank.questions["project.summary"].label.get("en") in html
    assert html.count("<details") >= len(answered)


def test_a_comment_made_beside_an_answer_appears_under_that_question(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "comment", question_id="project.summary",
           text="Which stops exactly?")
    comment = ReviewComment.objects.get()
    assert comment.question_id == "project.summary" and comment.submission == submission
    html = page(client, people["reviewer"], review_url(submission))
    block = html.split('id="cf-q-project.summary"', 1)[1].split("</dd>", 1)[0]
    assert "Which stops exactly?" in block and "Round 1" in block


@pytest.mark.parametrize("question_id", ["no.such.question", "", "x" * 500, "project.summary'--"])
def test_a_comment_on_a_question_that_does_not_exist_is_refused_with_a_message(client, people, assessment,
                                                                                question_id):
    submission = submit_with_consultation(client, people, assessment)
    response = review(client, people["reviewer"], submission, "comment", question_id=question_id, text="Hmm")
    assert response.status_code == 302
    assert not ReviewComment.objects.exists()
    page = client.get(response.url).content.decode()
    assert "This question does not exist." in page if question_id else "Fill in the form first." in page


def test_an_over_long_comment_is_refused_and_comes_back_as_typed_beside_its_question(client, people, assessment):
    submission = submit_with_consultation(client, people, assessment)
    text = "y" * 5001
    review(client, people["reviewer"], submission, "comment", question_id="project.summary", text=text)
    assert not ReviewComment.objects.exists()
    html = client.get(review_url(submission)).content.decode()
    block = html.split('id="cf-q-project.summary"', 1)[1].split("</dd>", 1)[0]
    assert "<details open>" in block and text in block
    assert 'maxlength="5000"' in block


def test_another_regulator_cannot_comment(client, people, assessment, make_user, make_organisation):
    from dpia.models import Membership, Organisation
    submission = submit_with_consultation(client, people, assessment)
    stranger = make_user(Membership.Role.REVIEWER, organisation=make_organisation(kind=Organisation.Kind.REGULATOR))
    assert review(client, stranger, submission, "comment", question_id="project.summary", text="Hi").status_code == 404
    client.force_login(stranger)
    assert client.get(review_url(submission)).status_code == 404
    assert not ReviewComment.objects.exists()


def resubmit(client, people, assessment):
    act(client, people["author"], assessment, "revise")
    answers = {**assessment.answers, "project.summary": "Twelve cameras at four stops."}
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    return Submission.objects.order_by("-pk").first()


def test_the_author_sees_verdicts_and_comments_next_to_the_questions_round_after_round(client, people, assessment):
    first = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], first, "start_review")
    review(client, people["reviewer"], first, "comment", question_id="project.summary", text="Which stops?")
    review(client, people["reviewer"], first, "verdict", section="project", verdict="to_correct")
    review(client, people["reviewer"], first, "request_information", text="Send the list of stops.")
    assessment.refresh_from_db()
    second = resubmit(client, people, assessment)
    review(client, people["reviewer"], second, "start_review")
    review(client, people["reviewer"], second, "comment", question_id="project.summary", text="Clear now.")
    review(client, people["reviewer"], second, "verdict", section="project", verdict="acceptable")

    html = page(client, people["author"], detail_url(assessment))
    bank = default_bank()
    assert "review, question by question" in html
    block = html.split('id="cf-q-project.summary"', 1)[1].split("</dd>", 1)[0]
    assert "Twelve cameras at four stops." in block  # the answer as it stands, beside what was said on it
    assert block.index("Which stops?") < block.index("Clear now.")
    assert "Round 1" in block and "Round 2" in block
    assert "round 1: To correct" in html and "round 2: Acceptable" in html
    assert bank.section("project").title.get("en") in html
    assert "(project.summary)" not in html  # no internal id where a person reads
    # The author's page shows no comment control: commenting is the authority's.
    assert 'name="question_id"' not in html
    # The reviewer of the second round reads the first round's comment beside the same question.
    reviewer_block = page(client, people["reviewer"], review_url(second)).split(
        'id="cf-q-project.summary"', 1)[1].split("</dd>", 1)[0]
    assert "Which stops?" in reviewer_block and "Clear now." in reviewer_block


def test_the_authors_page_reads_comments_in_constant_queries(client, people, assessment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "comment", question_id="project.summary", text="One")

    def count():
        client.force_login(people["author"])
        with CaptureQueriesContext(connection) as captured:
            client.get(detail_url(assessment))
        return len(captured)

    one = count()
    for question_id in ["project.name", "project.summary", "streams.list", "risks.list", "measures.list"]:
        review(client, people["reviewer"], submission, "comment", question_id=question_id, text="More")
    assert count() == one


# --- the diff ------------------------------------------------------------------------------------------------------

def freeze(client, people, assessment, answers):
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    return AssessmentVersion.objects.filter(assessment=assessment).order_by("-number").first()


def test_the_diff_names_streams_shows_before_after_and_folds_unchanged_items(client, people, assessment):
    bank = default_bank()
    answers = copy.deepcopy(assessment.answers)
    streams = answers["streams.list"]
    streams[0].update(name="Live monitoring", retention_days=30)
    extra = {**copy.deepcopy(streams[0]), "key": "k-traffic", "name": "Traffic counting"}
    answers["streams.list"] = [streams[0], extra]
    per_stream = next(q for q in bank.questions.values() if q.per_item and q.type == "single_choice"
                      and isinstance(answers.get(q.id), dict) and streams[0]["key"] in answers[q.id])
    choices = per_stream.choice_values()
    for question in bank.questions.values():  # the new stream is answered as the first one, question by question
        given = answers.get(question.id)
        if question.per_item and isinstance(given, dict) and streams[0]["key"] in given:
            given["k-traffic"] = given[streams[0]["key"]]
    old = freeze(client, people, assessment, answers)

    changed = copy.deepcopy(answers)
    changed["streams.list"][0]["retention_days"] = 15
    before_choice = changed[per_stream.id][streams[0]["key"]]
    after_choice = next(c for c in choices if c != before_choice)
    changed[per_stream.id][streams[0]["key"]] = after_choice
    new = freeze(client, people, assessment, changed)
    assert (old.number, new.number) == (1, 2)

    html = page(client, people["author"], reverse("version_diff", kwargs={"pk": assessment.pk, "old": 1, "new": 2}))
    retention = bank.questions["streams.list"].field("retention_days").label.get("en")
    assert f"{retention}: <span class=\"prewrap\">30</span> → <span class=\"prewrap\">15</span>" in html
    assert "<strong>Live monitoring</strong> — changed" in html
    # The unchanged stream is folded, by its name, not repeated among the changes.
    folded = html.split("<details>", 1)[1].split("</details>", 1)[0]
    assert "1 item unchanged" in folded and "Traffic counting" in folded
    assert "<strong>Traffic counting</strong> — changed" not in html
    # An answer given per stream names the stream and shows before → after.
    assert (f"<strong>Live monitoring</strong>: <span class=\"prewrap\">{per_stream.display(before_choice, 'en')}"
            f"</span> → <span class=\"prewrap\">{per_stream.display(after_choice, 'en')}</span>") in html
    assert streams[0]["key"] + ":" not in html and "k-traffic" not in html


def test_a_closed_round_takes_no_more_comments_or_verdicts(client, people, assessment):
    """Once the opinion is issued the round is part of the record: a later comment or section verdict is refused
    with a message, and nothing is written (an earlier verdict is not overwritten)."""
    from dpia.models import SectionVerdict
    submission = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], submission, "start_review")
    review(client, people["reviewer"], submission, "verdict", section="project", verdict="acceptable")
    review(client, people["reviewer"], submission, "issue_opinion", kind="advice", text="Fine.")
    submission.refresh_from_db()
    assert submission.closed_at is not None
    response = review(client, people["reviewer"], submission, "verdict", section="project", verdict="to_correct")
    assert response.status_code == 302
    assert list(SectionVerdict.objects.filter(submission=submission).values_list("verdict", flat=True)) == \
        ["acceptable"]
    response = review(client, people["reviewer"], submission, "comment", question_id="project.summary",
                      text="After the opinion")
    assert not ReviewComment.objects.filter(submission=submission).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("closed" in m for m in messages)
    # Nor does its page offer a form that would only be refused.
    client.force_login(people["reviewer"])
    page = client.get(reverse("review_detail", kwargs={"pk": submission.pk})).content.decode()
    assert "This round is closed: nothing can be added to it." in page
    assert "/comment/" not in page and "/verdict/" not in page


def test_a_superseded_round_takes_no_more_comments(client, people, assessment):
    first = submit_with_consultation(client, people, assessment)
    review(client, people["reviewer"], first, "start_review")
    review(client, people["reviewer"], first, "request_information", text="Which retention?")
    second = resubmit(client, people, assessment)
    assert second != first
    review(client, people["reviewer"], first, "comment", question_id="project.summary", text="Late remark")
    assert not ReviewComment.objects.filter(submission=first).exists()
    review(client, people["reviewer"], second, "comment", question_id="project.summary", text="On the new round")
    assert ReviewComment.objects.filter(submission=second).count() == 1
