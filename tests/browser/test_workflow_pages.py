"""Workflow, review and register pages in a real browser: accessible in English and French."""

import pytest
from django.utils import timezone

from dpia.models import Assessment, AssessmentVersion, Membership, Organisation, Publication, Submission

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role


@pytest.fixture
def published(make_user, make_organisation):
    city = make_organisation(name="Ville de Test", city="Testville")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    signatory = make_user(Role.SIGNATORY, Role.AUTHOR, organisation=city)
    reviewer = make_user(Role.REVIEWER, organisation=regulator)
    assessment = Assessment.objects.create(organisation=city, title="Tram cameras", created_by=signatory,
                                           status=Assessment.Status.PUBLISHED)
    content = {"assessment": {"title": "Tram cameras", "organisation": "Ville de Test"}, "language": "en",
               "answers": {}, "evidence": [], "workflow": {},
               "result": {"verdict": {"outcome": "proceed", "reasons": [], "missing": []},
                          "screening": {"outcome": "required", "criteria_met": [], "criteria_from_facts": [],
                                        "mandatory_grounds": [], "reasons": []},
                          "regimes": [], "tests": [], "risks": [], "findings": [],
                          "ai_act": {"applies": False, "prohibited": [], "national_law": False,
                                     "prior_authorisation": False, "high_risk": [], "fria_required": False,
                                     "fria_missing": []},
                          "consultation": {"required": False, "grounds": [], "regulator_weeks": None,
                                           "reasons": []}}}
    now = timezone.now()
    version = AssessmentVersion.objects.create(assessment=assessment, number=1, content=content, digest="a" * 64,
                                               pdf=b"%PDF", pdf_digest="b" * 64, created_by=signatory,
                                               created_at=now)
    Submission.objects.create(version=version, regulator=regulator, submitted_by=signatory, submitted_at=now)
    publication = Publication.objects.create(version=version, content=content, digest="c" * 64, pdf=b"%PDF",
                                             pdf_digest="d" * 64, source_digest="a" * 64, published_by=signatory,
                                             published_at=now, verdict="proceed", city="Testville")
    return {"assessment": assessment, "publication": publication, "signatory": signatory, "reviewer": reviewer}


def test_register_review_and_workflow_pages_pass_axe(page, live_server, published, log_in, assert_accessible):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    base = live_server.url
    page.goto(f"{base}/register/")
    assert "Tram cameras" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"{base}/register/{published['publication'].pk}/")
    assert_accessible(page)
    page.goto(f"{base}/register/{published['publication'].pk}/report/")
    assert_accessible(page)

    log_in(page, published["signatory"])
    page.goto(f"{base}/assessments/{published['assessment'].pk}/")
    assert "Workflow" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang=fr]")
    assert_accessible(page)
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer de langue").click()
    page.wait_for_selector("html[lang=en]")

    page.context.clear_cookies()
    log_in(page, published["reviewer"])
    page.goto(f"{base}/review/")
    assert "Tram cameras" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Tram cameras").click()
    page.wait_for_url("**/review/*/")
    assert_accessible(page)
    assert errors == []
