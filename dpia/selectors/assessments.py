"""Reads of drafts: what a user may see or edit, evidence, the live reading of the engine."""


from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dpia import policies
from dpia.engine import assess
from dpia.engine.bank import default_bank
from dpia.models import Assessment, Evidence, Publication, Submission
from dpia.reports.export import preview_content
from dpia.selectors.accounts import holds_role_in_row, organisations_where


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Drafts of the organisations in which the user holds a role that reads drafts (deleted drafts are not)."""
    return Assessment.objects.filter(
        organisation__in=organisations_where(user, policies.DRAFT_READERS), deleted_at__isnull=True
    ).select_related("organisation", "updated_by")


def assessments_editable_by(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation__in=organisations_where(user, policies.DRAFT_EDITORS),
                                     deleted_at__isnull=True)


def assessment_for(user, pk: int, *, edit: bool = False) -> Assessment:
    """The assessment if this user may see it (or edit it); 404 otherwise, never 403, so that
    ids of other organisations' assessments reveal nothing."""
    queryset = assessments_editable_by(user) if edit else assessments_visible_to(user)
    return get_object_or_404(queryset.select_related("organisation"), pk=pk)


def draft_deletable(assessment: Assessment) -> bool:
    """A draft may be deleted unless it was ever submitted or published: then it is part of another's record."""
    return (assessment.status == Assessment.Status.DRAFT and assessment.deleted_at is None
            and not Submission.objects.filter(version__assessment=assessment).exists()
            and not Publication.objects.filter(version__assessment=assessment).exists())


def draft_for_wizard(user, pk: int, *, submitted: bool = True) -> Assessment:
    """The draft a wizard step edits (404 unless the user may edit it: assessments_editable_by, its permission
    written in SQL), with `was_submitted` (unless `submitted` is False): whether any of its versions went to a
    regulator, without which there are no comments or section verdicts to read. (The wizard's pages do not show
    the organisation: it is not joined.)"""
    drafts = Assessment.objects.filter(holds_role_in_row(user, policies.DRAFT_EDITORS, Assessment),
                                       deleted_at__isnull=True)
    if submitted:
        drafts = drafts.annotate(was_submitted=Exists(Submission.objects.filter(version__assessment=OuterRef("pk"))))
    return get_object_or_404(drafts, pk=pk)


def draft_was_submitted(assessment: Assessment) -> bool:
    """Whether any version of the draft went to a regulator (draft_for_wizard's `was_submitted`)."""
    return Submission.objects.filter(version__assessment=assessment).exists()


def evidence_current(assessment: Assessment) -> QuerySet[Evidence]:
    """The evidence of the draft as it stands; removed pieces that a version sealed are kept but not listed."""
    return Evidence.objects.filter(assessment=assessment, removed_at__isnull=True)


def evidence_for(user, assessment_pk: int, pk: int, *, edit: bool = False) -> Evidence:
    assessment = assessment_for(user, assessment_pk, edit=edit)
    return get_object_or_404(evidence_current(assessment), pk=pk)


def draft_result(assessment: Assessment, *, today=None, answers: dict | None = None,
                 evidence: set[str] | None = None):
    """The engine's reading of a draft as it stands (the live summary): answers and evidence in. `answers`
    reads the draft with other answers (its saved ones with unsaved ones over them); nothing is stored.
    `evidence`: the ids of the questions that have evidence, read here unless the caller has them."""
    if evidence is None:
        evidence = set(evidence_current(assessment).values_list("question_id", flat=True))
    return assess(assessment.answers if answers is None else answers, default_bank(),
                  today=today or timezone.localdate(), evidence=evidence)


def draft_report_content(assessment: Assessment, *, language: str) -> dict:
    """What a report preview of the draft shows: the content a frozen version would have, unsealed."""
    result = draft_result(assessment)
    return preview_content(
        assessment_title=assessment.title, organisation=assessment.organisation.name,
        created_at=timezone.localtime().isoformat(timespec="minutes"), language=language,
        answers=assessment.answers, result=result.to_dict(),
        evidence=[{"question_id": e.question_id, "title": e.title, "url": e.url,
                   "dated": e.dated.isoformat() if e.dated else None, "note": e.note}
                  for e in evidence_current(assessment)],
        bank_version=default_bank().version, engine_version=result.engine_version)


def evidence_by_question(assessment: Assessment) -> dict[str, list[Evidence]]:
    grouped: dict[str, list[Evidence]] = {}
    for item in evidence_current(assessment):
        grouped.setdefault(item.question_id, []).append(item)
    return grouped
