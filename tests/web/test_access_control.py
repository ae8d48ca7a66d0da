"""No cross-organisation access: every URL that takes an object id, filled with another organisation's
objects, answers 404 to GET and POST. A new URL pattern without a fixture here fails the test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.urls import PUBLIC_URL_NAMES
from dpia.models import (
    Annotation,
    Assessment,
    AssessmentVersion,
    Evidence,
    Membership,
    Organisation,
    Publication,
    Submission,
)

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin is for site administrators and checks staff status itself
            yield from _patterns(entry, prefix + (f"{entry.namespace}:" if entry.namespace else ""))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


@pytest.fixture
def victim(make_organisation, make_user):
    """Another organisation's objects, everything an id can point at."""
    city = make_organisation(name="Victim city")
    regulator = make_organisation(name="Victim DPA", kind=Organisation.Kind.REGULATOR)
    author = make_user(Role.AUTHOR, organisation=city)
    make_user(Role.REVIEWER, organisation=regulator)
    assessment = Assessment.objects.create(organisation=city, title="Secret project", created_by=author)
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=1, content={"answers": {}}, digest="a" * 64, pdf=b"%PDF", pdf_digest="b" * 64,
        created_by=author, created_at=assessment.created_at)
    evidence = Evidence.objects.create(assessment=assessment, question_id="project.summary", title="Contract",
                                       url="https://example.org", added_by=author)
    submission = Submission.objects.create(version=version, regulator=regulator, submitted_by=author,
                                           submitted_at=assessment.created_at)
    publication = Publication.objects.create(
        version=version, content={}, digest="c" * 64, pdf=b"%PDF", pdf_digest="d" * 64, source_digest="a" * 64,
        published_by=author, published_at=assessment.created_at, verdict="proceed")
    ngo = make_organisation(name="Victim NGO", kind=Organisation.Kind.CIVIL_SOCIETY)
    annotation = Annotation.objects.create(publication=publication, target="answer:project.summary", text="Note",
                                           organisation=ngo, author=make_user(Role.AUDITOR, organisation=ngo))
    return {"assessment": assessment, "version": version, "evidence": evidence, "submission": submission,
            "annotation": annotation}


def kwargs_for(route: str, names, victim):
    review = route.startswith("review/")
    values = {
        "pk": victim["submission"].pk if review else victim["assessment"].pk,
        "number": victim["version"].number, "old": 1, "new": 1, "evidence_pk": victim["evidence"].pk,
        "annotation_pk": victim["annotation"].pk, "index": 0,
        "step": "screening", "action": "start_review" if review else "revise",
    }
    missing = set(names) - set(values)
    assert not missing, f"no fixture for URL arguments {missing} of '{route}': add one to this test"
    return {name: values[name] for name in names}


@pytest.mark.parametrize("role_kind", [(Role.AUTHOR, Organisation.Kind.PUBLIC_BODY),
                                       (Role.SIGNATORY, Organisation.Kind.PUBLIC_BODY),
                                       (Role.REVIEWER, Organisation.Kind.REGULATOR),
                                       (Role.AUDITOR, Organisation.Kind.CIVIL_SOCIETY)])
def test_every_object_url_is_404_for_other_organisations(client, victim, make_user, make_organisation, role_kind):
    role, kind = role_kind
    client.force_login(make_user(role, organisation=make_organisation(kind=kind)))
    checked = 0
    for name, pattern in _patterns(get_resolver()):
        names = list(pattern.pattern.converters)
        if name in PUBLIC_URL_NAMES or not names or names == ["slug"]:
            continue
        url = reverse(name, kwargs=kwargs_for(str(pattern.pattern), names, victim))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), f"{method.upper()} {url} ({name}) -> {response.status_code}"
            if response.status_code == 405:
                assert method == "get"
        checked += 1
    assert checked >= 15
    victim["assessment"].refresh_from_db()
    assert victim["assessment"].status == "draft" and victim["assessment"].answers == {}
    assert not victim["annotation"].replies.exists()


def test_the_public_register_never_shows_unpublished_versions(client, victim):
    client.logout()
    assert "Secret project" not in client.get(reverse("register")).content.decode()
    assert client.get(reverse("register_feed")).json()["items"] == []
