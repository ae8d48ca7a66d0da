"""Reads of the public register: publications, annotations."""


from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from dpia.models import (
    Annotation,
    Assessment,
    Organisation,
    Publication,
)
from dpia.selectors.assessments import assessment_for


def published():
    """The public register: publications of assessments that are still published (not withdrawn)."""
    return (Publication.objects.filter(version__assessment__status=Assessment.Status.PUBLISHED)
            .select_related("version__assessment__organisation").order_by("-published_at"))


REGISTER_LIMIT = 500


def register_entries(params) -> list:
    """The register filtered by search text, organisation, city, technology, regime, verdict and year."""
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


def annotations_of(assessment: Assessment):
    return (Annotation.objects.filter(publication__version__assessment=assessment)
            .select_related("organisation", "publication").prefetch_related("replies").order_by("created_at"))


def annotation_for_controller(user, pk: int, annotation_pk: int):
    return get_object_or_404(Annotation, publication__version__assessment=assessment_for(user, pk), pk=annotation_pk)


def annotations_public(publication):
    return publication.annotations.select_related("organisation").prefetch_related("replies").order_by("created_at")


def published_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        assessments__status=Assessment.Status.PUBLISHED).distinct().order_by("name")
