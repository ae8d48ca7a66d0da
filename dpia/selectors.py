"""Reads. Every query that decides what a user may see starts here."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from dpia import policies
from dpia.models import Assessment, AssessmentVersion, Evidence, Membership, Organisation


def memberships_of(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def roles_in(user, organisation_id: int) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list("role", flat=True)
    )


def organisations_where(user, roles) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Drafts of the organisations in which the user holds a role that reads drafts."""
    return Assessment.objects.filter(
        organisation__in=organisations_where(user, policies.DRAFT_READERS)
    ).select_related("organisation", "updated_by")


def assessments_editable_by(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation__in=organisations_where(user, policies.DRAFT_EDITORS))


def assessment_for(user, pk: int, *, edit: bool = False) -> Assessment:
    """The assessment if this user may see it (or edit it); 404 otherwise, never 403, so that
    ids of other organisations' assessments reveal nothing."""
    queryset = assessments_editable_by(user) if edit else assessments_visible_to(user)
    return get_object_or_404(queryset.select_related("organisation"), pk=pk)


def evidence_for(user, assessment_pk: int, pk: int, *, edit: bool = False) -> Evidence:
    assessment = assessment_for(user, assessment_pk, edit=edit)
    return get_object_or_404(Evidence, assessment=assessment, pk=pk)


def draft_result(assessment: Assessment, *, today=None):
    """The engine's reading of a draft as it stands (the live summary): answers and evidence in."""
    from django.utils import timezone

    from dpia.engine import assess
    from dpia.engine.bank import default_bank

    evidence = set(assessment.evidence.values_list("question_id", flat=True))
    return assess(assessment.answers, default_bank(), today=today or timezone.localdate(), evidence=evidence)


def version_for(user, pk: int, number: int) -> AssessmentVersion:
    """A version the user may read: of their own organisation, or submitted to their regulator."""
    from django.db.models import Q

    return get_object_or_404(
        AssessmentVersion.objects.filter(
            Q(assessment__in=assessments_visible_to(user))
            | Q(submissions__regulator__in=organisations_where(user, [policies.Role.REVIEWER]))
        ).distinct(), assessment_id=pk, number=number)


def submissions_for_reviewer(user):
    """The queue of a regulator's reviewers: what was submitted to their authority, newest deadlines first."""
    from dpia.models import Submission

    return (Submission.objects.filter(regulator__in=organisations_where(user, [policies.Role.REVIEWER]))
            .select_related("version__assessment__organisation", "regulator").order_by("deadline", "-submitted_at"))


def submission_for_reviewer(user, pk: int):
    return get_object_or_404(submissions_for_reviewer(user), pk=pk)


def submissions_of(assessment: Assessment):
    from dpia.models import Submission

    return (Submission.objects.filter(version__assessment=assessment).select_related("regulator", "version")
            .prefetch_related("information_requests", "comments", "section_verdicts").order_by("-submitted_at"))


def consultation_clock(submission, *, today):
    from dpia.deadlines import clock

    if submission.deadline is None:
        return None
    requests = [(r.requested_at.date(), r.answered_at.date() if r.answered_at else None)
                for r in submission.information_requests.all()]
    return clock(deadline=submission.deadline, extended_days=submission.extended_days, requests=requests,
                 today=today)


def comments_by_question(assessment: Assessment) -> dict[str, list]:
    from dpia.models import ReviewComment

    grouped: dict[str, list] = {}
    for comment in ReviewComment.objects.filter(submission__version__assessment=assessment).select_related(
            "author", "submission__regulator"):
        grouped.setdefault(comment.question_id, []).append(comment)
    return grouped


def regulators() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.REGULATOR)


def published():
    """The public register: publications of assessments that are still published (not withdrawn)."""
    from dpia.models import Publication

    return (Publication.objects.filter(version__assessment__status=Assessment.Status.PUBLISHED)
            .select_related("version__assessment__organisation").order_by("-published_at"))


REGISTER_LIMIT = 500


def register_entries(params) -> list:
    """The register filtered by search text, organisation, city, technology, regime, verdict and year."""
    from django.db.models import Q

    publications = published()
    if q := params.get("q", "").strip()[:100]:
        publications = publications.filter(Q(version__assessment__title__icontains=q)
                                           | Q(version__assessment__organisation__name__icontains=q))
    if organisation := params.get("organisation", "").strip()[:100]:
        publications = publications.filter(version__assessment__organisation__slug=organisation)
    if city := params.get("city", "").strip()[:100]:
        publications = publications.filter(city__iexact=city)
    if verdict := params.get("verdict", "").strip()[:40]:
        publications = publications.filter(verdict=verdict)
    if (year := params.get("year", "")).isdigit():
        publications = publications.filter(published_at__year=int(year))
    rows = list(publications[:REGISTER_LIMIT])
    # JSON lists are filtered here rather than in SQL, the same way on SQLite and PostgreSQL.
    if technology := params.get("technology", ""):
        rows = [p for p in rows if technology in p.technologies]
    if regime := params.get("regime", ""):
        rows = [p for p in rows if regime in p.regimes]
    return rows


def publication(pk: int):
    return get_object_or_404(published(), pk=pk)


def latest_dpo_advice(assessment: Assessment):
    from dpia.models import DpoAdvice

    return DpoAdvice.objects.filter(version__assessment=assessment).select_related("dpo").order_by(
        "-given_at").first()


def version_by_digest(digest: str) -> AssessmentVersion | None:
    """The registered version whose content or PDF has this SHA-256, if any."""
    from django.db.models import Q

    return (AssessmentVersion.objects.select_related("assessment__organisation")
            .filter(Q(digest=digest) | Q(pdf_digest=digest)).first())


def draft_report_content(assessment: Assessment, *, language: str) -> dict:
    """What a report preview of the draft shows: the content a frozen version would have, unsealed."""
    from django.utils import timezone

    from dpia.engine.bank import default_bank
    from dpia.reports.export import preview_content

    result = draft_result(assessment)
    return preview_content(
        assessment_title=assessment.title, organisation=assessment.organisation.name,
        created_at=timezone.localtime().isoformat(timespec="minutes"), language=language,
        answers=assessment.answers, result=result.to_dict(),
        evidence=[{"question_id": e.question_id, "title": e.title, "url": e.url,
                   "dated": e.dated.isoformat() if e.dated else None, "note": e.note}
                  for e in assessment.evidence.all()],
        bank_version=default_bank().version, engine_version=result.engine_version)


def evidence_by_question(assessment: Assessment) -> dict[str, list[Evidence]]:
    grouped: dict[str, list[Evidence]] = {}
    for item in assessment.evidence.all():
        grouped.setdefault(item.question_id, []).append(item)
    return grouped


def annotations_of(assessment: Assessment):
    from dpia.models import Annotation

    return (Annotation.objects.filter(publication__version__assessment=assessment)
            .select_related("organisation", "publication").order_by("created_at"))


def annotation_for_controller(user, pk: int, annotation_pk: int):
    from dpia.models import Annotation

    return get_object_or_404(Annotation, publication__version__assessment=assessment_for(user, pk), pk=annotation_pk)


def annotations_public(publication):
    return publication.annotations.select_related("organisation").order_by("created_at")


def auditor_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_where(user, [policies.Role.AUDITOR]).filter(kind=Organisation.Kind.CIVIL_SOCIETY)


def published_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        assessments__status=Assessment.Status.PUBLISHED).distinct().order_by("name")
