"""The wizard in a real browser: accessible steps, answers kept across Back and a lost session."""

import pytest

from dpia.models import Assessment
from tests.browser.conftest import open_optional_questions

pytestmark = pytest.mark.django_db(transaction=True)


def test_wizard_steps_are_accessible_and_keep_answers(page, live_server, author, log_in, assert_accessible):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Station cameras", created_by=author)
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Screening"
    assert_accessible(page)

    page.get_by_label("In which country will the system be used?").select_option("fr")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/wizard/project/")
    assert_accessible(page)
    open_optional_questions(page)  # the project's name is optional: it waits folded
    page.get_by_label("Name of the project").fill("Safe city control room")
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/wizard/screening/")
    assert page.get_by_label("In which country will the system be used?").input_value() == "fr"

    page.context.clear_cookies()  # the session is gone
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    assert page.get_by_label("Name of the project").input_value() == "Safe city control room"

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/streams/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/evidence/")
    assert_accessible(page)


def test_a_section_link_in_the_side_menu_keeps_what_was_typed(page, live_server, author, log_in):
    """Typed, not yet saved, then a click on another section in the side menu: the answers go with the user (they
    were lost silently before), valid ones saved and the others kept for correcting."""
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Station cameras", created_by=author)
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    page.get_by_label("Describe the products used and how they work together.").fill("Twelve fixed cameras.")
    page.locator(".wizard-progress a[data-step=streams]").click()
    page.wait_for_url("**/wizard/streams/")
    assessment.refresh_from_db()
    assert assessment.answers.get("project.technology_details") == "Twelve fixed cameras." or \
        "Twelve fixed cameras." in str(assessment.pending_steps)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    assert page.get_by_label("Describe the products used and how they work together.").input_value() == \
        "Twelve fixed cameras."
    # Nothing typed: the link is an ordinary link.
    page.locator(".wizard-progress a[data-step=screening]").click()
    page.wait_for_url("**/wizard/screening/")


def test_a_page_sent_back_for_correction_keeps_its_answers_when_leaving_by_the_side_menu(page, live_server, author,
                                                                                          log_in):
    """A step sent back with an answer to correct holds unsaved answers: a click on another section in the side menu
    carries them along, as typing would (they were lost when nothing was typed after the error)."""
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Station cameras", created_by=author)
    log_in(page, author)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    page.get_by_label("Describe the products used and how they work together.").fill("Twelve fixed cameras.")
    open_optional_questions(page)
    page.get_by_label("How many video cameras will feed the system, including existing and mobile ones?").fill("-4")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector(".error-summary")
    page.locator(".wizard-progress a[data-step=screening]").click()
    page.wait_for_url("**/wizard/screening/")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/project/")
    assert page.get_by_label("Describe the products used and how they work together.").input_value() == \
        "Twelve fixed cameras."
