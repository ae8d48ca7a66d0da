"""French pages in a real browser: the report read in French, and our error pages, pass axe-core."""

import pytest

from dpia.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_french_report_and_the_error_pages_pass_axe(page, live_server, author, log_in, assert_accessible):
    assessment = Assessment.objects.create(
        organisation=author.memberships.get().organisation, title="Caméras de la gare", created_by=author,
        answers={"screening.jurisdiction": "fr", "project.name": "Caméras de la gare",
                 "streams.list": [{"key": "s1", "name": "Reconnaissance en direct", "controller_kind": "state_police",
                                   "purpose_kind": "crime_prevention",
                                   "data_categories": ["biometric_identification"]}],
                 "legality.instrument_kind": {"s1": "none"}})
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.locator("#preview-language").select_option("fr")
    page.get_by_role("button", name="Preview the report").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    citation = page.locator("a.citation").first
    assert "eur-lex.europa.eu/legal-content/FR/" in citation.get_attribute("href")
    assert_accessible(page)

    page.goto(f"{live_server.url}/no-such-page/")
    assert_accessible(page)
    post_only = f"{live_server.url}/assessments/{assessment.pk}/versions/"  # a GET there is our 405 page
    assert page.goto(post_only).status == 405
    assert_accessible(page)
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.goto(f"{live_server.url}/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    assert page.get_by_role("link", name="Aller au contenu principal").count() == 1
    assert_accessible(page)
    page.goto(post_only)
    assert page.get_by_role("heading", level=1).inner_text() == "Impossible de cette façon"
    assert_accessible(page)
