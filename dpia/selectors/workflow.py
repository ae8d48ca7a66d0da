"""Reads of the workflow: signatures, submissions, the review queue and rounds, the clock."""


from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from dpia import labels, policies
from dpia.deadlines import clock
from dpia.models import Assessment, DpoAdvice, ReviewComment, Signature, Submission
from dpia.reports.casefile import case_file
from dpia.reports.redaction import redaction_preview
from dpia.selectors.accounts import organisations_where
from dpia.selectors.assessments import draft_report_content, draft_result
from dpia.selectors.versions import latest_version_number

# A round's comments with their authors, in the order they were made.
_COMMENTS = Prefetch("comments", queryset=ReviewComment.objects.select_related("author").order_by("created_at", "pk"))


def current_signature(assessment: Assessment):
    """The signature of the current round: the latest one (revising goes back through the DPO and signing)."""
    return Signature.objects.filter(version__assessment=assessment).select_related("version").order_by(
        "-signed_at", "-pk").first()


def current_submission(assessment: Assessment):
    return Submission.objects.filter(version__assessment=assessment).select_related("version").order_by(
        "-submitted_at", "-pk").first()


def submissions_for_reviewer(user):
    """Every submission to the user's authority, each round of each assessment."""
    return (Submission.objects.filter(regulator__in=organisations_where(user, [policies.Role.REVIEWER]))
            .select_related("version__assessment__organisation", "regulator"))


def review_queue(user):
    """The queue of a regulator's reviewers: the current submission of each assessment sent to their authority
    (a resubmission replaces the earlier round), nearest deadline first."""
    later = Submission.objects.filter(version__assessment=OuterRef("version__assessment"), pk__gt=OuterRef("pk"))
    return (submissions_for_reviewer(user).exclude(Exists(later))
            .defer("version__content", "version__pdf", "version__assessment__answers",
                   "version__assessment__pending_steps")
            # A submission with no legal time limit comes after those that have one (SQLite sorts NULL first).
            .prefetch_related("information_requests").order_by(F("deadline").asc(nulls_last=True), "-submitted_at",
                                                                 "-pk"))


def submission_for_reviewer(user, pk: int):
    return get_object_or_404(submissions_for_reviewer(user), pk=pk)


def earlier_rounds(submission) -> list:
    """The earlier submissions of the same assessment to the same authority, newest first, with their comments and
    verdicts: the reviewer of a resubmission starts from what was said before. Another authority's rounds are
    not theirs to read (nor are versions only submitted there), so they are left out."""
    return list(Submission.objects.filter(version__assessment=submission.version.assessment_id,
                                          regulator=submission.regulator_id, pk__lt=submission.pk)
                .select_related("version", "regulator").prefetch_related(_COMMENTS, "section_verdicts")
                .order_by("-pk"))


def section_verdicts_for_author(assessment: Assessment) -> dict[str, str]:
    """The regulator's verdict on each section in the latest round: section id -> verdict label."""
    submission = current_submission(assessment)
    if submission is None:
        return {}
    return {v.section: v.get_verdict_display() for v in submission.section_verdicts.all()}


def submissions_of(assessment: Assessment):
    return (Submission.objects.filter(version__assessment=assessment).select_related("regulator", "version")
            .prefetch_related("information_requests", _COMMENTS, "section_verdicts").order_by("-submitted_at"))


def review_rounds(submissions) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """What the authority said in each round (`submissions`, oldest first, with comments and verdicts fetched):
    question id -> comments, section id -> verdicts, each naming its round."""
    comments: dict[str, list[dict]] = {}
    verdicts: dict[str, list[dict]] = {}
    for number, submission in enumerate(submissions, start=1):
        for comment in submission.comments.all():
            comments.setdefault(comment.question_id, []).append({
                "round": number, "version": submission.version.number, "text": comment.text,
                "author": comment.author.get_full_name() or comment.author.get_username(), "at": comment.created_at})
        for verdict in submission.section_verdicts.all():
            verdicts.setdefault(verdict.section, []).append({"round": number, "verdict": verdict.get_verdict_display(),
                                                             "value": verdict.verdict})
    return comments, verdicts


def case_file_for_reviewer(submission, earlier: list, *, bank, language: str):
    """Every answer of the submitted version, with the comments and verdicts of this round and the earlier ones."""
    prefetch_related_objects([submission], _COMMENTS, "section_verdicts")
    comments, verdicts = review_rounds([*reversed(earlier), submission])
    answers = submission.version.content.get("answers") or {}  # versions of tests and old imports may lack them
    return case_file(answers, bank, language, comments=comments, verdicts=verdicts, every_answer=True)


def case_file_for_author(assessment: Assessment, submissions: list, *, bank, language: str):
    """The questions the authority commented on and the sections it gave a verdict, round after round, next to the
    draft's answers as they stand (`submissions`: from submissions_of, newest first)."""
    comments, verdicts = review_rounds(list(reversed(submissions)))
    return case_file(assessment.answers, bank, language, comments=comments, verdicts=verdicts, every_answer=False)


def consultation_clock(submission, *, today):
    if submission.deadline is None or submission.closed_at is not None:
        return None  # no legal clock, or it stopped: the opinion was issued, or the round is over
    requests = [(r.requested_at.date(), r.answered_at.date() if r.answered_at else None)
                for r in submission.information_requests.all()]
    return clock(deadline=submission.deadline, extended_days=submission.extended_days, requests=requests,
                 today=today)


def comments_by_question(assessment: Assessment) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for comment in ReviewComment.objects.filter(submission__version__assessment=assessment).select_related(
            "author", "submission__regulator"):
        grouped.setdefault(comment.question_id, []).append(comment)
    return grouped


def latest_dpo_advice(assessment: Assessment):
    return DpoAdvice.objects.filter(version__assessment=assessment).select_related("dpo").order_by(
        "-given_at").first()


def workflow_seen(assessment: Assessment, advice=None) -> str:
    """What a page showed of the record a DPO advises on and a signatory signs: the latest version, the DPO's latest
    advice and the decision on it. Forms that act on them carry it back, and an action on a page that no longer
    shows the record as it is (another tab revised it, the DPO replaced the advice) is refused. `advice`: the latest
    advice, when the caller has it."""
    advice = advice if advice is not None else latest_dpo_advice(assessment)
    version = latest_version_number(assessment)
    return f"v{version or 0}.a{advice.pk if advice else 0}.{advice.decision if advice and advice.decision else '-'}"


UNLAWFUL = "unlawful_as_proposed"


def sign_needs_confirmation(assessment: Assessment) -> bool:
    """Signing a project the engine finds unlawful as proposed is a decision with weight: it is confirmed first."""
    return draft_result(assessment).verdict.outcome == UNLAWFUL


def decision_preview(assessment: Assessment, action: str, *, bank, language: str) -> dict:
    """What a confirmation page shows before signing or publishing: the verdict (and why) of what is signed or
    published and, for publishing, every answer, field and piece of evidence the public will not see."""
    version = None
    if action == "sign":  # signing seals the answers as they stand
        content = {"result": draft_result(assessment).to_dict()}
    elif action == "publish_shadow":  # a shadow assessment is sealed from the draft as it stands, then published
        content = draft_report_content(assessment, language=language)
    else:
        version = current_signature(assessment).version
        content = version.content
    outcome = content["result"]["verdict"]["outcome"]
    preview = {"verdict": labels.VERDICTS.get(outcome, outcome), "unlawful": outcome == UNLAWFUL, "version": version,
               "reasons": [r.get(language) or r.get("en") for r in content["result"]["verdict"]["reasons"]]}
    if action != "sign":
        hidden = redaction_preview(content, bank, language)
        preview["redactions"] = [r for r in hidden if not r.left_out]
        preview["left_out"] = [r for r in hidden if r.left_out]
    return preview
