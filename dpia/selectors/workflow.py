"""Reads of the workflow: signatures, submissions, the review queue and rounds, the clock."""


from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from dpia import policies
from dpia.deadlines import clock
from dpia.models import Assessment, DpoAdvice, ReviewComment, Signature, Submission
from dpia.selectors.accounts import organisations_where


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
            .prefetch_related("information_requests").order_by("deadline", "-submitted_at", "-pk"))


def submission_for_reviewer(user, pk: int):
    return get_object_or_404(submissions_for_reviewer(user), pk=pk)


def earlier_rounds(submission) -> list:
    """The earlier submissions of the same assessment, newest first, with their comments and verdicts: the
    reviewer of a resubmission starts from what was said before."""
    return list(Submission.objects.filter(version__assessment=submission.version.assessment_id,
                                          pk__lt=submission.pk)
                .select_related("version", "regulator").prefetch_related("comments__author", "section_verdicts")
                .order_by("-pk"))


def section_verdicts_for_author(assessment: Assessment) -> dict[str, str]:
    """The regulator's verdict on each section in the latest round: section id -> verdict label."""
    submission = current_submission(assessment)
    if submission is None:
        return {}
    return {v.section: v.get_verdict_display() for v in submission.section_verdicts.all()}


def submissions_of(assessment: Assessment):
    return (Submission.objects.filter(version__assessment=assessment).select_related("regulator", "version")
            .prefetch_related("information_requests", "comments", "section_verdicts").order_by("-submitted_at"))


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
