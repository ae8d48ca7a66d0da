"""What each person finds on their home page: the work that waits for them, in the roles they hold.

Each list is read in a fixed number of queries whatever its length (no query per row)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dpia import policies
from dpia.engine.bank import QuestionBank
from dpia.models import Annotation, Assessment, DpoAdvice
from dpia.selectors.accounts import auditor_organisations, organisations_where
from dpia.selectors.assessments import assessments_visible_to
from dpia.selectors.workflow import consultation_clock, review_queue

HOME_LIMIT = 50
QUEUE_ON_HOME = 10
S = Assessment.Status


@dataclass(frozen=True)
class NextStep:
    """The next thing to do on an assessment, as a plain sentence, and where to do it."""
    text: str
    url: str


def _with_dpo_decision(assessments):
    """Each assessment with the controller's decision on the latest DPO advice ("" while none is recorded)."""
    latest = DpoAdvice.objects.filter(version__assessment=OuterRef("pk")).order_by("-given_at", "-pk")
    return assessments.annotate(dpo_decision=Subquery(latest.values("decision")[:1]),
                                dpo_advised=Subquery(latest.values("pk")[:1]))


def next_step(assessment: Assessment, bank: QuestionBank) -> NextStep:
    """What the assessment waits for now. Reads `dpo_decision`/`dpo_advised` as annotated by `_with_dpo_decision`."""
    detail = reverse("assessment_detail", kwargs={"pk": assessment.pk})
    workflow = detail + "#workflow-heading"
    status = assessment.status
    if status == S.DRAFT:
        missing = len(bank.unanswered_required(assessment.answers))
        if missing:
            return NextStep(ngettext("Answer the remaining question", "Answer the remaining %(n)s questions",
                                     missing) % {"n": missing},
                            reverse("wizard_start", kwargs={"pk": assessment.pk}))
        return NextStep(_("Ask your DPO for advice"), workflow)
    if status == S.DPO_REVIEW:
        return NextStep(_("Waiting for the DPO's advice"), workflow)
    if status == S.READY_TO_SIGN:
        if getattr(assessment, "dpo_advised", None) and not getattr(assessment, "dpo_decision", ""):
            return NextStep(_("Record whether the DPO's advice is followed"), workflow)
        return NextStep(_("Ready for the signatory to sign"), workflow)
    if status == S.SIGNED:
        return NextStep(_("Submit it to the supervisory authority, or publish it"), workflow)
    if status in (S.SUBMITTED, S.UNDER_REVIEW):
        return NextStep(_("Waiting for the authority's opinion"), workflow)
    if status == S.INFORMATION_REQUESTED:
        return NextStep(_("Answer the authority's request for information: revise the assessment"), workflow)
    if status == S.OPINION_ISSUED:
        return NextStep(_("Read the authority's opinion, then publish or revise"), workflow)
    if status == S.PUBLISHED:
        return NextStep(_("Published: read and answer civil-society notes"), workflow)
    return NextStep(_("Withdrawn from the register: revise it to start again"), workflow)


@dataclass
class Home:
    roles: set[str]
    authored: list[dict]
    awaiting_advice: list[dict]
    awaiting_signatory: list[dict]
    queue: list[dict]
    queue_more: bool
    annotations: list[Annotation]


def _rows(assessments, bank: QuestionBank) -> list[dict]:
    return [{"assessment": a, "next": next_step(a, bank)} for a in assessments]


def home_for(user, memberships, *, bank: QuestionBank, today) -> Home:
    """The work waiting for `user` in each role they hold (`memberships`: theirs, as already read)."""
    roles = {m.role for m in memberships}
    visible = _with_dpo_decision(assessments_visible_to(user))
    authored = awaiting_advice = awaiting_signatory = queue = []
    if roles & policies.DRAFT_EDITORS:
        authored = _rows(visible.filter(organisation__in=organisations_where(user, policies.DRAFT_EDITORS))
                         .order_by("-updated_at")[:HOME_LIMIT], bank)
    if policies.Role.DPO in roles:
        awaiting_advice = _rows(visible.filter(organisation__in=organisations_where(user, [policies.Role.DPO]),
                                               status=S.DPO_REVIEW).order_by("updated_at")[:HOME_LIMIT], bank)
    if policies.Role.SIGNATORY in roles:
        waiting = visible.filter(organisation__in=organisations_where(user, [policies.Role.SIGNATORY]),
                                 status__in=[S.READY_TO_SIGN, S.SIGNED, S.OPINION_ISSUED])
        awaiting_signatory = _rows(waiting.order_by("updated_at")[:HOME_LIMIT], bank)
    queue_more = False
    if policies.Role.REVIEWER in roles:
        submissions = list(review_queue(user).prefetch_related("information_requests")[:QUEUE_ON_HOME + 1])
        queue_more = len(submissions) > QUEUE_ON_HOME
        queue = [{"submission": s, "clock": consultation_clock(s, today=today)} for s in submissions[:QUEUE_ON_HOME]]
    annotations = []
    if policies.Role.AUDITOR in roles:
        annotations = list(Annotation.objects.filter(organisation__in=auditor_organisations(user))
                           .select_related("organisation", "publication__version__assessment__organisation")
                           .prefetch_related("replies").order_by("-created_at")[:HOME_LIMIT])
    return Home(roles=roles, authored=authored, awaiting_advice=awaiting_advice,
                awaiting_signatory=awaiting_signatory, queue=queue, queue_more=queue_more, annotations=annotations)
