"""The register and the review queue at scale: search in the published content, filters in the database,
pagination, and a number of queries that does not grow with the number of rows. Runs on SQLite and, in CI,
on PostgreSQL (full-text search)."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import (
    Assessment,
    AssessmentVersion,
    InformationRequest,
    Membership,
    Organisation,
    Publication,
    Submission,
)
from dpia.views.register import REGISTER_PAGE_SIZE

_digests = itertools.count(1)

PLATE_READER = {
    "answers": {"project.name": "Ring road cameras",
                "project.summary": "Automatic number plate reader cameras on every entry to the ring road.",
                "project.technologies": ["anpr"]},
    "result": {"findings": [{"id": "retention", "title": {"en": "Retention longer than needed",
                                                          "fr": "Conservation plus longue que nécessaire"}}]},
}
FACES = {
    "answers": {"project.name": "Station safety", "project.summary": "Cameras in the railway station hall.",
                "project.technologies": ["live_facial_recognition"]},
    "result": {"findings": []},
}


def _digest() -> str:
    return f"{next(_digests):064x}"


@pytest.fixture
def publish(author):
    """Put an assessment in the register directly (no PDF rendering), with its search document and facets."""
    organisation = author.memberships.get().organisation

    def make(title, *, content=None, technologies=(), regimes=(), verdict="proceed", published_at=None,
             organisation=organisation):
        assessment = Assessment.objects.create(organisation=organisation, title=title, created_by=author,
                                               status=Assessment.Status.PUBLISHED)
        version = AssessmentVersion.objects.create(
            assessment=assessment, number=1, content={"answers": {}}, digest=_digest(), pdf=b"%PDF",
            pdf_digest=_digest(), created_by=author, created_at=timezone.now())
        publication = Publication.objects.create(
            version=version, content=content or {"answers": {}, "result": {"findings": []}}, digest=_digest(),
            pdf=b"%PDF", pdf_digest=_digest(), source_digest=version.digest, published_by=author,
            published_at=published_at or timezone.now(), city=organisation.city,
            technologies=list(technologies), regimes=list(regimes), verdict=verdict)
        services.register_index(publication=publication, bank=default_bank())
        return publication

    return make


def listed(client, **params) -> str:
    response = client.get(reverse("register"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("words", ["plate", "number plate", "ring road", "PLATE", "conservation"])
def test_search_finds_a_project_by_its_description_and_findings(client, publish, words):
    publish("Mobility programme 2026", content=PLATE_READER, technologies=["anpr"])
    publish("Parks lighting")
    page = listed(client, q=words)
    assert "Mobility programme 2026" in page and "Parks lighting" not in page


@pytest.mark.parametrize("words", ["facial", "facial recognition", "reconnaissance faciale"])
def test_search_finds_a_project_by_its_technologies_in_english_and_french(client, publish, words):
    publish("Station safety", content=FACES, technologies=["live_facial_recognition"])
    publish("Mobility programme 2026", content=PLATE_READER, technologies=["anpr"])
    page = listed(client, q=words)
    assert "Station safety" in page and "Mobility programme 2026" not in page


def test_search_never_shows_a_withdrawn_assessment(client, publish):
    publication = publish("Mobility programme 2026", content=PLATE_READER)
    Assessment.objects.filter(pk=publication.version.assessment_id).update(status=Assessment.Status.WITHDRAWN)
    assert "Mobility programme 2026" not in listed(client, q="plate")


def test_search_finds_other_forms_of_a_word_on_postgresql(client, publish):
    publish("Mobility programme 2026", content=PLATE_READER)
    assert "Mobility programme 2026" in listed(client, q="reader")
    if connection.vendor == "postgresql":  # full-text search stems words; the fallback elsewhere does not
        assert "Mobility programme 2026" in listed(client, q="plates readers")


def test_filters_find_old_matches_beyond_the_first_page(client, publish):
    """Filters run in the database: the oldest matching entry is found however many newer ones there are."""
    now = timezone.now()
    publish("Old drone survey", technologies=["drones"], regimes=["led"], published_at=now - dt.timedelta(days=900))
    for n in range(REGISTER_PAGE_SIZE + 5):
        publish(f"Camera project {n}", technologies=["cctv"], regimes=["gdpr"], published_at=now - dt.timedelta(days=n))
    assert "Old drone survey" not in listed(client)  # on the last page
    assert "Old drone survey" in listed(client, technology="drones")
    assert "Old drone survey" in listed(client, regime="led")
    assert "Old drone survey" in listed(client, technology="drones", regime="led")
    assert "Old drone survey" not in listed(client, technology="drones", regime="gdpr")
    last = listed(client, page=2)
    assert "Old drone survey" in last and "Camera project 0<" not in last


def test_the_register_is_paginated_with_a_navigation_that_keeps_the_filters(client, publish):
    for n in range(REGISTER_PAGE_SIZE + 1):
        publish(f"Camera project {n}", technologies=["cctv"])
    first = listed(client, technology="cctv")
    assert first.count("Camera project ") == REGISTER_PAGE_SIZE
    assert '<nav class="pagination" aria-label="Pages">' in first
    assert 'href="?technology=cctv&amp;page=2" rel="next"' in first
    assert listed(client, technology="cctv", page=2).count("Camera project ") == 1


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.5", "1e3", "9" * 5000, "99999999999999999999", "\x00", ""])
def test_a_hostile_page_number_shows_a_page_of_the_register(client, publish, page):
    publish("Mobility programme 2026")
    assert "Mobility programme 2026" in listed(client, page=page)


def _queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
        assert response.status_code == 200
        if response.streaming:  # the CSV export reads the register while it streams
            b"".join(response.streaming_content)
    return [query["sql"] for query in context.captured_queries]


REGISTER_PAGES = [
    ("register", {}), ("register", {"q": "plate"}), ("register", {"technology": "anpr"}),
    ("register", {"regime": "gdpr"}), ("register", {"verdict": "proceed"}), ("register", {"city": "nice"}),
    ("register", {"year": str(dt.date.today().year)}),
    ("register", {"technology": "anpr", "regime": "gdpr", "q": "plate", "page": "2"}),
    ("register_feed", {}), ("register_csv", {"technology": "anpr"}),
]


@pytest.mark.parametrize(("name", "params"), REGISTER_PAGES)
def test_register_pages_make_as_many_queries_for_30_entries_as_for_3(client, publish, name, params,
                                                                      django_assert_max_num_queries):
    url = reverse(name)
    for n in range(3):
        publish(f"Mobility programme {n}", content=PLATE_READER, technologies=["anpr"], regimes=["gdpr"])
    few = _queries(client, url, params)
    for n in range(3, 30):
        publish(f"Mobility programme {n}", content=PLATE_READER, technologies=["anpr"], regimes=["gdpr"])
    many = _queries(client, url, params)
    assert len(many) == len(few)
    with django_assert_max_num_queries(6):
        client.get(url, params)
    # The lists never read the content or the PDF of a publication or of its version.
    for sql in many:
        assert '"content"' not in sql and '"pdf"' not in sql, sql


@pytest.fixture
def queue(make_organisation, make_user, author):
    """A regulator with a reviewer, and a way to send it `n` more submissions (each with an information request)."""
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    reviewer = make_user(Membership.Role.REVIEWER, organisation=regulator)
    organisation = author.memberships.get().organisation

    def submit(n):
        for _ in range(n):
            assessment = Assessment.objects.create(organisation=organisation, title="Tram cameras",
                                                   created_by=author, status=Assessment.Status.UNDER_REVIEW)
            version = AssessmentVersion.objects.create(
                assessment=assessment, number=1, content={"answers": {}}, digest=_digest(), pdf=b"%PDF",
                pdf_digest=_digest(), created_by=author, created_at=timezone.now())
            submission = Submission.objects.create(
                version=version, regulator=regulator, submitted_by=author, submitted_at=timezone.now(),
                prior_consultation=True, regime="gdpr", deadline=timezone.localdate() + dt.timedelta(days=56))
            InformationRequest.objects.create(submission=submission, text="Which cameras?", requested_by=reviewer,
                                              requested_at=timezone.now())
    return reviewer, submit


def test_the_review_queue_makes_as_many_queries_for_60_submissions_as_for_3(client, queue,
                                                                             django_assert_max_num_queries):
    reviewer, submit = queue
    client.force_login(reviewer)
    url = reverse("review_queue")
    submit(3)
    few = _queries(client, url)
    submit(57)
    many = _queries(client, url)
    assert len(many) == len(few)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count("Tram cameras") == 50 and "suspended" in page  # the clock stops while a request is open
    assert client.get(url, {"page": "2"}).content.decode().count("Tram cameras") == 10
    assert client.get(url, {"page": "x" * 1000}).status_code == 200
    for sql in many:
        assert '"content"' not in sql and '"pdf"' not in sql, sql


def test_an_assessments_version_list_makes_as_many_queries_for_30_versions_as_for_3(client, author):
    organisation = author.memberships.get().organisation
    assessment = Assessment.objects.create(organisation=organisation, title="Tram cameras", created_by=author)

    def freeze(numbers):
        for number in numbers:
            AssessmentVersion.objects.create(
                assessment=assessment, number=number, content={"answers": {}}, digest=_digest(), pdf=b"%PDF",
                pdf_digest=_digest(), created_by=author, created_at=timezone.now())

    client.force_login(author)
    url = reverse("assessment_detail", kwargs={"pk": assessment.pk})
    freeze(range(1, 4))
    few = _queries(client, url)
    freeze(range(4, 31))
    many = _queries(client, url)
    assert len(many) == len(few)
    versions = [sql for sql in many if 'FROM "dpia_assessmentversion"' in sql]
    assert versions and all('"pdf"' not in sql and '"content"' not in sql for sql in versions)
