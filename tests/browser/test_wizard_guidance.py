"""The wizard's own script in a real browser: a question appears and disappears as the answer it depends on is
given, and the live summary follows unsaved answers; the pages stay accessible."""

import pytest
from playwright.sync_api import expect

from dpia.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)

STREAM = {"key": "s1", "name": "Live facial recognition at the station", "purpose_kind": "crime_prevention",
          "controller_kind": "state_police", "data_categories": ["biometric_identification", "identifiable_images"],
          "data_subjects": ["general_public", "suspects"], "sources": ["own_sensors"]}


def test_a_question_follows_the_answer_it_depends_on_and_the_summary_follows_unsaved_answers(
        page, live_server, author, log_in, assert_accessible):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Station cameras", created_by=author,
                                           answers={"streams.list": [STREAM]})
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, author)

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/ai_act/")
    practices = page.locator('[id="q-ai_act.practices"]')
    expect(practices).to_be_hidden()  # nothing answered yet: it does not apply
    # With the script running, the note written for browsers without it is not shown.
    expect(page.locator(".condition-note").first).to_be_hidden()
    assert_accessible(page)
    page.locator('input[name="ai_act-ai_act__is_ai_system"][value="yes"]').check()
    expect(practices).to_be_visible()
    assert_accessible(page)
    page.locator('input[name="ai_act-ai_act__is_ai_system"][value="no"]').check()
    expect(practices).to_be_hidden()

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/legality/")
    summary = page.locator("#live-summary")
    expect(summary).not_to_contain_text("No law provides for the processing")
    assert summary.evaluate("element => getComputedStyle(element).position") == "sticky"
    page.locator('input[name="legality-legality__instrument_kind--s1"][value="none"]').check()
    expect(summary).to_contain_text("No law provides for the processing")
    expect(summary).to_contain_text("Unlawful as proposed")
    expect(page.locator("#live-summary-status")).to_contain_text("The summary now includes")
    # The finding links to the field it rests on, on this very page.
    anchor = page.locator('#live-summary a[href$="#id_legality-legality__instrument_kind--s1_0"]').first
    expect(anchor).to_be_visible()
    assert_accessible(page)

    # Nothing was saved by the summary.
    assessment.refresh_from_db()
    assert "legality.instrument_kind" not in assessment.answers

    # The length of a text answer is counted against the limit said before typing.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    summary_field = page.locator('[id="id_project-project__summary"]')
    summary_field.fill("x" * 5005)
    expect(page.locator('[id="id_project-project__summary_count"]')).to_contain_text("over the limit")
    assert summary_field.input_value() == "x" * 5005  # nothing cut
    assert_accessible(page)
