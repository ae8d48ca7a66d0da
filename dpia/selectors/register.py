"""Reads of the public register: publications, annotations."""


from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from dpia.models import (
    Annotation,
    Assessment,
    Organisation,
    Publication,
    RegisterFacet,
    SearchDocument,
)
from dpia.selectors.assessments import assessment_for


def published():
    """The public register: publications of assessments that are still published, except those withdrawn. A
    publication withdrawn with its assessment stays out when the assessment is published again; one superseded by
    a later publication stays, with the name it was sealed under."""
    return (Publication.objects.filter(version__assessment__status=Assessment.Status.PUBLISHED,
                                       withdrawal__isnull=True)
            .select_related("version__assessment__organisation").order_by("-published_at", "-pk"))


# Lists never load a version's or a publication's content and PDF, nor the draft's answers.
LIST_DEFERRED = ("content", "pdf", "version__content", "version__pdf", "version__assessment__answers",
                 "version__assessment__pending_steps")


def published_list():
    """The register as lists show it: without the large columns."""
    return published().defer(*LIST_DEFERRED)


def search_vector():
    """The PostgreSQL full-text vector of a search document, in English and in French. Migration 0008 indexes
    this same expression (GIN), so that the query below uses the index."""
    from django.contrib.postgres.search import SearchVector  # only ever imported on PostgreSQL

    return SearchVector("text", config="english") + SearchVector("text", config="french")


SEARCH_PLANNER_FENCE = 10_000_000


def _search(publications, q: str):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(q, config="english", search_type="websearch") | SearchQuery(
            q, config="french", search_type="websearch")
        matching = SearchDocument.objects.annotate(vector=search_vector()).filter(vector=query)
        # The LIMIT (far above any register) keeps PostgreSQL from folding the search into the list's join: it
        # then finds the matching documents once with the GIN index, instead of walking the newest publications
        # and computing each one's text vector (about 2 ms a document) until a page is full (EXPLAIN ANALYZE,
        # bench/RESULTS.md: 129 ms -> 19 ms for "facial" on 10,000 publications).
        return publications.filter(pk__in=matching.values("publication_id")[:SEARCH_PLANNER_FENCE])
    else:  # the same words, as a substring of the casefolded document
        matching = SearchDocument.objects.filter(text__contains=q.casefold())
    return publications.filter(pk__in=matching.values("publication_id"))


def _with_facet(publications, kind: str, value: str):
    return publications.filter(pk__in=RegisterFacet.objects.filter(kind=kind, value=value).values("publication_id"))


def register_entries(params):
    """The register (a lazy queryset, newest first) filtered in the database by search text, organisation, city,
    technology, regime, verdict and year."""
    publications = published_list()
    if q := params.get("q", "").strip()[:100]:
        publications = _search(publications, q)
    if organisation := params.get("organisation", "").strip()[:100]:
        publications = publications.filter(version__assessment__organisation__slug=organisation)
    if city := params.get("city", "").strip()[:100]:
        publications = publications.filter(city__iexact=city)
    if verdict := params.get("verdict", "").strip()[:40]:
        publications = publications.filter(verdict=verdict)
    if (year := params.get("year", "")).isdigit():
        publications = publications.filter(published_at__year=int(year))
    if technology := params.get("technology", "").strip()[:100]:
        publications = _with_facet(publications, RegisterFacet.Kind.TECHNOLOGY, technology)
    if regime := params.get("regime", "").strip()[:40]:
        publications = _with_facet(publications, RegisterFacet.Kind.REGIME, regime)
    return publications


class IdsFirst:
    """A list queryset as the Paginator reads it (count, then one slice), with the slice taken in two steps: the
    ids of the page first (a narrow sort: PostgreSQL sorts 10,000 ids rather than 10,000 wide joined rows to
    skip to a far page), then those rows with their joins. Same rows, same order; one query more."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


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
    # EXISTS, not a join with DISTINCT: one index probe per organisation rather than every published assessment
    # joined and de-duplicated (3 ms against 17 ms with 10,000 publications).
    return Organisation.objects.filter(Exists(Assessment.objects.filter(
        organisation=OuterRef("pk"), status=Assessment.Status.PUBLISHED))).order_by("name")
