"""Reads of sealed versions, and finding a registered record by digest for verification."""


from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dpia import policies
from dpia.models import Assessment, AssessmentVersion, Evidence, Publication, ReportRender
from dpia.selectors.accounts import organisations_where
from dpia.selectors.assessments import assessments_visible_to
from dpia.selectors.register import published


def version_evidence(version: AssessmentVersion, index: int) -> Evidence:
    """The stored file of the `index`-th evidence record a version sealed (the same bytes, by SHA-256)."""
    records = version.content.get("evidence") or []
    if not 0 <= index < len(records) or not records[index].get("file_sha256"):
        raise Http404
    record = records[index]
    for item in Evidence.objects.filter(assessment_id=version.assessment_id, file_sha256=record["file_sha256"]):
        if item.file and item.file.name.rsplit("/", 1)[-1] == record.get("file_name"):
            return item
    raise Http404


def latest_version(assessment: Assessment) -> AssessmentVersion | None:
    return assessment.versions.order_by("-number").first()


def latest_version_number(assessment: Assessment) -> int | None:
    """The latest version's number alone (its content and PDF are not read)."""
    return assessment.versions.order_by("-number").values_list("number", flat=True).first()


def versions_of(assessment: Assessment) -> QuerySet[AssessmentVersion]:
    """An assessment's versions for its list, newest first, without their content and PDF."""
    return assessment.versions.select_related("created_by").defer("content", "pdf").order_by("-number")


def versions_readable_by(user) -> QuerySet[AssessmentVersion]:
    """Versions of the user's own organisation, and versions submitted to the user's regulator."""
    if not user.is_authenticated:
        return AssessmentVersion.objects.none()
    return AssessmentVersion.objects.filter(
        Q(assessment__in=assessments_visible_to(user))
        | Q(submissions__regulator__in=organisations_where(user, [policies.Role.REVIEWER]))
    ).distinct()


def version_for(user, pk: int, number: int) -> AssessmentVersion:
    """A version the user may read: of their own organisation, or submitted to their regulator."""
    return get_object_or_404(versions_readable_by(user), assessment_id=pk, number=number)


def _by_digest(queryset, digest: str):
    return queryset.filter(Q(digest=digest) | Q(pdf_digest=digest)).first()


def record_by_digest(digest: str):
    """The registered version or publication whose content or PDF has this SHA-256, if any (for those who
    check against the whole database: `manage.py verify`)."""
    return (_by_digest(AssessmentVersion.objects.select_related("assessment__organisation"), digest)
            or _by_digest(Publication.objects.select_related("version__assessment__organisation"), digest))


def record_by_digest_for(user, digest: str):
    """What `record_by_digest` finds, limited to what this user may know of: publications in the register and
    the versions they were published from, for anyone; other versions only for those who may read them.
    Anyone else learns nothing about a version never published."""
    publications = published()
    versions = AssessmentVersion.objects.filter(
        Q(pk__in=publications.values("version")) | Q(pk__in=versions_readable_by(user).values("pk"))
    ).select_related("assessment__organisation")
    version = _by_digest(versions, digest)
    return version or _by_digest(publications, digest)


def report_render(record) -> ReportRender | None:
    """How the rendering of a version's or publication's PDF stands (None for a record whose PDF was
    rendered before renders became tasks)."""
    field = "publication" if isinstance(record, Publication) else "version"
    return ReportRender.objects.filter(**{field: record}).first()
