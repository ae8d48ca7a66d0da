"""The workflow: every status change goes through policies.transition() and the audit log. Each action locks the
assessment and checks permission and status first, then does its work, so a refused action leaves no version,
no PDF, no audit entry and no status change behind."""


from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from dpia import policies, selectors
from dpia.deadlines import EXTENSION_DAYS, base_deadline
from dpia.engine.bank import QuestionBank
from dpia.models import (
    Assessment,
    AssessmentVersion,
    DpoAdvice,
    InformationRequest,
    Opinion,
    Organisation,
    ReviewComment,
    SectionVerdict,
    Signature,
    Submission,
)
from dpia.services.common import audit, lock, notify_on_commit, require
from dpia.services.versions import seal_version

# Each action of the transition table in words, as what the person tried to do (an infinitive phrase that
# completes "You may not …"): a refusal names the action, never its id.
ACTION_WORDS = {
    "request_dpo_advice": pgettext_lazy("workflow action", "ask the DPO for advice on this assessment"),
    "give_dpo_advice": pgettext_lazy("workflow action", "give the DPO's advice on this assessment"),
    "sign": pgettext_lazy("workflow action", "sign this assessment"),
    "submit": pgettext_lazy("workflow action", "submit this assessment to the supervisory authority"),
    "start_review": pgettext_lazy("workflow action", "start the review of this assessment"),
    "request_information": pgettext_lazy("workflow action", "request information on this assessment"),
    "issue_opinion": pgettext_lazy("workflow action", "issue an opinion on this assessment"),
    "publish": pgettext_lazy("workflow action", "publish this assessment in the public register"),
    "withdraw": pgettext_lazy("workflow action", "withdraw this assessment from the public register"),
    "publish_shadow": pgettext_lazy("workflow action", "publish this shadow assessment in the public register"),
    "withdraw_shadow": pgettext_lazy("workflow action", "withdraw this shadow assessment from the public register"),
    "extend_deadline": pgettext_lazy("workflow action", "extend the authority's time limit for this assessment"),
    "revise": pgettext_lazy("workflow action", "revise this assessment"),
}


def refusal(exc: policies.InvalidTransition) -> str:
    """Why the transition is refused, in the reader's language (the active one when it is refused), with the action
    in words."""
    words = ACTION_WORDS.get(exc.action)
    if words is None:
        return gettext("You may not do this.")
    if not exc.status_allows:
        status = dict(Assessment.Status.choices).get(exc.status, exc.status)
        # Translators: %(action)s is a workflow action in words, e.g. "sign this assessment"; %(status)s its status.
        return gettext("You cannot %(action)s while it is “%(status)s”.") % {"action": words, "status": status}
    # Translators: %(action)s is a workflow action in words, e.g. "give the DPO's advice on this assessment".
    return gettext("You may not %(action)s.") % {"action": words}


def check_transition(*, assessment: Assessment, user, action: str, side: str | None = None, roles_in=None) -> str:
    """The status `action` leads to, if this user may take it now; PermissionDenied, in the reader's language,
    otherwise. Writes nothing."""
    side = side or policies.side_of(assessment.organisation.kind)
    roles = selectors.roles_in(user, roles_in if roles_in is not None else assessment.organisation_id)
    try:
        return policies.transition(assessment.status, action, roles, side=side)
    except policies.InvalidTransition as exc:
        raise PermissionDenied(refusal(exc)) from exc


def move(*, assessment: Assessment, user, action: str, side: str | None = None, ip_address=None,
         roles_in=None, **detail) -> Assessment:
    """Apply one transition of the table to a locked assessment and log it."""
    new_status = check_transition(assessment=assessment, user=user, action=action, side=side, roles_in=roles_in)
    old_status = assessment.status
    # Conditional on the status read: of two racing requests only one moves it, also without row locks (SQLite).
    if not Assessment.objects.filter(pk=assessment.pk, status=old_status).update(status=new_status):
        raise PermissionDenied(gettext("The assessment changed in the meantime: reload the page and try again."))
    assessment.status = new_status
    audit(actor=user, action=action, assessment=assessment, from_status=old_status, to_status=new_status,
          ip_address=ip_address, **detail)
    return assessment


@transaction.atomic
def assessment_request_dpo_advice(*, assessment: Assessment, user, bank: QuestionBank, language: str,
                                  ip_address=None) -> Assessment:
    """Freeze the version the DPO will advise on, and hand it over."""
    locked = lock(assessment)
    check_transition(assessment=locked, user=user, action="request_dpo_advice")
    version = seal_version(locked=locked, user=user, bank=bank, language=language)
    moved = move(assessment=locked, user=user, action="request_dpo_advice", ip_address=ip_address,
                 version=version.number)
    notify_on_commit("dpo_advice_requested", organisation=moved.organisation, roles=[policies.Role.DPO],
                     assessment=moved, version=version.number)
    return moved


def require_seen(locked: Assessment, seen: str | None) -> None:
    """Refuse an action sent from a page that showed another record than the one now current (a version frozen
    since, advice replaced or decided in another tab). `seen` None: no page state was sent (a caller that is not a
    page: demo data, a service); every page's form sends it."""
    if seen is not None and seen != selectors.workflow_seen(locked):
        raise ValueError(gettext("The assessment changed since this page was opened (a new version, or new advice or "
                                 "a decision on it). Nothing was recorded: read it again as it is now, then act."))


@transaction.atomic
def dpo_advice_give(*, assessment: Assessment, user, advice: str, ip_address=None, seen: str | None = None):
    locked = lock(assessment)
    check_transition(assessment=locked, user=user, action="give_dpo_advice")
    # The version handed over for advice: nothing is frozen while the DPO reads it.
    version = selectors.latest_version(locked)
    if version is None:
        raise PermissionDenied(gettext("There is no frozen version for the DPO to advise on."))
    require_seen(locked, seen)
    move(assessment=locked, user=user, action="give_dpo_advice", ip_address=ip_address, version=version.number)
    notify_on_commit("dpo_advice_given", organisation=locked.organisation,
                     roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=locked)
    return DpoAdvice.objects.create(version=version, dpo=user, advice=advice.strip())


# Why a decision departing from the DPO's advice is refused; the form that asks for it says the same.
REASONS_REQUIRED = gettext_lazy("Give the reasons for departing from the DPO's advice.")


def check_dpo_decision(*, assessment: Assessment, user) -> None:
    """PermissionDenied, in the reader's language, unless this user may record now whether the DPO's advice is
    followed. Writes nothing: a page checks it before reading what was typed."""
    roles = selectors.roles_in(user, assessment.organisation_id)
    require(policies.speaks_for_controller(roles),
            gettext("Only the controller's authors, signatories and administrators may record whether the DPO's "
                    "advice is followed."))
    if assessment.status in (Assessment.Status.DRAFT, Assessment.Status.DPO_REVIEW):
        raise PermissionDenied(gettext("The DPO has not given their advice yet."))
    if assessment.status != Assessment.Status.READY_TO_SIGN:
        raise PermissionDenied(gettext("The DPO's advice can only be answered before signing."))


@transaction.atomic
def dpo_advice_decide(*, assessment: Assessment, user, decision: str, reasons: str, ip_address=None,
                      seen: str | None = None):
    """The controller records whether the DPO's advice is followed; departing from it needs reasons."""
    locked = lock(assessment)
    check_dpo_decision(assessment=locked, user=user)
    if decision not in DpoAdvice.Decision.values:
        raise ValueError(gettext("Say whether the DPO's advice is followed."))
    if policies.decision_needs_reasons(decision) and not reasons.strip():
        raise ValueError(str(REASONS_REQUIRED))
    advice = selectors.latest_dpo_advice(locked)
    if advice is None:
        raise PermissionDenied(gettext("The DPO has not given their advice yet."))
    require_seen(locked, seen)
    DpoAdvice.objects.filter(pk=advice.pk).update(decision=decision, decision_reasons=reasons.strip(),
                                                  decided_by=user, decided_at=timezone.now())
    audit(actor=user, action="record_dpo_decision", assessment=locked, ip_address=ip_address, decision=decision,
          version=advice.version.number)
    advice.refresh_from_db()
    return advice


def decided_advice(assessment: Assessment) -> DpoAdvice:
    """The DPO's advice a signature carries; PermissionDenied, in the reader's language, until the controller has
    recorded whether it is followed."""
    advice = selectors.latest_dpo_advice(assessment)
    if advice is None or not advice.decision:
        raise PermissionDenied(gettext("Record whether the DPO's advice is followed before signing."))
    return advice


@transaction.atomic
def assessment_sign(*, assessment: Assessment, user, bank: QuestionBank, language: str, ip_address=None,
                    seen: str | None = None):
    """Seal the version that is signed: its content carries the DPO's advice and the decision on it."""
    locked = lock(assessment)
    check_transition(assessment=locked, user=user, action="sign")
    advice = decided_advice(locked)
    require_seen(locked, seen)
    workflow = {
        "dpo_advice": {"advice": advice.advice, "dpo": advice.dpo.get_full_name() or advice.dpo.get_username(),
                       "given_at": advice.given_at.isoformat(timespec="seconds"),
                       "on_version": advice.version.number, "decision": advice.decision,
                       "reasons": advice.decision_reasons},
        "signed_by": user.get_full_name() or user.get_username(),
    }
    version = seal_version(locked=locked, user=user, bank=bank, language=language, workflow=workflow)
    move(assessment=locked, user=user, action="sign", ip_address=ip_address, version=version.number,
         digest=version.digest)
    Signature.objects.create(version=version, advice=advice, signed_by=user, signed_at=timezone.now())
    return version


def signed_version(locked: Assessment) -> AssessmentVersion:
    signature = selectors.current_signature(locked)
    if signature is None:
        raise PermissionDenied(gettext("There is no signed version of this assessment yet."))
    return signature.version


def close_open_submissions(locked: Assessment, *, now) -> None:
    """Earlier submissions are over: their clocks stop and their open information requests are answered."""
    InformationRequest.objects.filter(submission__version__assessment=locked, answered_at__isnull=True).update(
        answered_at=now)
    Submission.objects.filter(version__assessment=locked, closed_at__isnull=True).update(closed_at=now)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, regulator: Organisation, today, ip_address=None):
    """Send the signed version to a regulator; when prior consultation is required, start the clock."""
    if regulator.kind != Organisation.Kind.REGULATOR:
        raise PermissionDenied(gettext("Choose the supervisory authority."))
    locked = lock(assessment)
    check_transition(assessment=locked, user=user, action="submit")
    version = signed_version(locked)
    consultation = version.content["result"]["consultation"]
    move(assessment=locked, user=user, action="submit", ip_address=ip_address, version=version.number,
         regulator=regulator.pk)
    # A resubmission answers the regulator's open information requests and supersedes the earlier submission.
    now = timezone.now()
    close_open_submissions(locked, now=now)
    notify_on_commit("submission_received", organisation=regulator, roles=[policies.Role.REVIEWER],
                     assessment=locked)
    return Submission.objects.create(
        version=version, regulator=regulator, submitted_by=user, submitted_at=now,
        prior_consultation=consultation["required"], regime=consultation.get("regime") or "",
        deadline=base_deadline(today, consultation["regulator_weeks"]) if consultation["required"] else None,
    )


def _require_open_round(submission, locked: Assessment) -> None:
    """A closed round (opinion issued) or a superseded submission is part of the record: nothing is added to it."""
    submission.refresh_from_db(fields=["closed_at"])
    if submission.closed_at is not None or selectors.current_submission(locked) != submission:
        raise PermissionDenied(gettext("This submission is closed: the authority has given its opinion on it, or a "
                                       "newer submission replaced it."))


def _review_move(*, submission, user, action: str, ip_address=None, **detail) -> Assessment:
    locked = lock(submission.version.assessment)
    check_transition(assessment=locked, user=user, action=action, side="regulator", roles_in=submission.regulator_id)
    _require_open_round(submission, locked)
    return move(assessment=locked, user=user, action=action, side="regulator", ip_address=ip_address,
                roles_in=submission.regulator_id, submission=submission.pk, version=submission.version.number,
                **detail)


@transaction.atomic
def review_start(*, submission, user, ip_address=None) -> Assessment:
    return _review_move(submission=submission, user=user, action="start_review", ip_address=ip_address)


def _require_reviewer(submission, user) -> None:
    require(policies.Role.REVIEWER in selectors.roles_in(user, submission.regulator_id),
            gettext("Only the authority's reviewers may do this."))


REVIEW_MOVES = ("start_review", "request_information", "issue_opinion", "extend_deadline")


def check_review_action(*, submission, user, action: str) -> None:
    """Before a reviewer's form is read: PermissionDenied, in the reader's language, when this user may not take
    `action` on this submission now (not a reviewer, a move the status does not allow, a closed round). Runs the
    checks of the service the form leads to; writes nothing. Whoever may not act is told so, whatever they typed."""
    assessment = submission.version.assessment
    if action in REVIEW_MOVES:
        check_transition(assessment=assessment, user=user, action=action, side="regulator",
                         roles_in=submission.regulator_id)
    else:
        _require_reviewer(submission, user)
    _require_open_round(submission, assessment)


@transaction.atomic
def review_comment(*, submission, user, question_id: str, text: str):
    _require_reviewer(submission, user)
    _require_open_round(submission, lock(submission.version.assessment))
    comment = ReviewComment.objects.create(submission=submission, question_id=question_id, text=text.strip(),
                                           author=user)
    assessment = submission.version.assessment
    notify_on_commit("comment", organisation=assessment.organisation, roles=[policies.Role.AUTHOR],
                     assessment=assessment)
    audit(actor=user, action="review_comment", assessment=submission.version.assessment, question=question_id)
    return comment


@transaction.atomic
def review_section_verdict(*, submission, user, section: str, verdict: str):
    _require_reviewer(submission, user)
    _require_open_round(submission, lock(submission.version.assessment))
    record, _ = SectionVerdict.objects.update_or_create(
        submission=submission, section=section, defaults={"verdict": verdict, "reviewer": user})
    audit(actor=user, action="section_verdict", assessment=submission.version.assessment, section=section,
          verdict=verdict)
    return record


@transaction.atomic
def review_request_information(*, submission, user, text: str, ip_address=None):
    moved = _review_move(submission=submission, user=user, action="request_information", ip_address=ip_address)
    notify_on_commit("information_requested", organisation=moved.organisation,
                     roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=moved)
    return InformationRequest.objects.create(submission=submission, text=text.strip(), requested_by=user,
                                             requested_at=timezone.now())


@transaction.atomic
def review_issue_opinion(*, submission, user, kind: str, text: str, ip_address=None):
    moved = _review_move(submission=submission, user=user, action="issue_opinion", ip_address=ip_address, kind=kind)
    notify_on_commit("opinion_issued", organisation=moved.organisation,
                     roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=moved)
    now = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(closed_at=now)
    return Opinion.objects.create(submission=submission, version=submission.version, kind=kind, text=text.strip(),
                                  issued_by=user, issued_at=now)


@transaction.atomic
def assessment_revise(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    return move(assessment=lock(assessment), user=user, action="revise", ip_address=ip_address)


@transaction.atomic
def review_extend_deadline(*, submission, user, ip_address=None):
    """The authority extends its time limit once: by six weeks (GDPR Art. 36(2)) or a month (LED Art. 28(5))."""
    # Without a legal time limit there is nothing to extend (and writing 0 days would let it be "extended" again
    # and again, each time in the audit log).
    if submission.deadline is None or not EXTENSION_DAYS.get(submission.regime):
        raise ValueError(gettext("This submission has no time limit: there is none to extend."))
    # Read again under the assessment's lock, which every review action takes: of two reviewers extending at the
    # same moment, the second is told it is done, and the audit log records one extension.
    lock(submission.version.assessment)
    if Submission.objects.filter(pk=submission.pk).values_list("extended_days", flat=True).get():
        raise ValueError(gettext("The time limit was already extended: it can be extended only once."))
    _review_move(submission=submission, user=user, action="extend_deadline", ip_address=ip_address)
    Submission.objects.filter(pk=submission.pk).update(extended_days=EXTENSION_DAYS.get(submission.regime, 0))
