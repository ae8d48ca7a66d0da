"""Report pages and the public verification page in a real browser: accessible, no script errors."""

import pytest

from dpia.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_preview_and_verify_pages_pass_axe(page, live_server, author, log_in, assert_accessible):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    assessment = Assessment.objects.create(
        organisation=author.memberships.get().organisation, title="Station cameras", created_by=author,
        answers={"screening.jurisdiction": "fr", "project.name": "Station cameras",
                 "streams.list": [{"key": "s1", "name": "Live recognition", "controller_kind": "state_police",
                                   "purpose_kind": "crime_prevention",
                                   "data_categories": ["biometric_identification"]}],
                 "legality.instrument_kind": {"s1": "none"},
                 "risks.list": [{"key": "r1", "risk": "misidentification", "severity": "limited",
                                 "likelihood": "significant"}]})
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/report/")
    assert page.get_by_role("heading", level=1).inner_text() == "Station cameras"
    assert page.locator("svg.risk-map").count() == 2
    assert_accessible(page)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/")
    page.get_by_label("Or a SHA-256 digest").fill("0" * 64)
    page.get_by_role("button", name="Verify").click()
    assert "Not registered" in page.locator("main").inner_text()
    assert_accessible(page)
    assert errors == []
