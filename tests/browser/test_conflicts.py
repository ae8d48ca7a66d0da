"""Two people edit the same section in two browsers: different answers both survive; an answer both changed
is shown for a decision."""

import pytest

from dpia.models import Assessment, Membership
from tests.browser.conftest import open_optional_questions

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_browsers_edit_one_section(browser, live_server, make_user, log_in):
    author = make_user(Membership.Role.AUTHOR, username="ana")
    colleague = make_user(Membership.Role.AUTHOR, organisation=author.memberships.get().organisation,
                          username="camille")
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Station cameras", created_by=author)
    url = f"{live_server.url}/assessments/{assessment.pk}/wizard/project/"
    contexts = [browser.new_context(), browser.new_context()]
    try:
        check_both_ways(contexts, (author, colleague), url, assessment, log_in)
    finally:
        for context in contexts:
            context.close()  # no request of theirs may reach the server after the test


def check_both_ways(contexts, users, url, assessment, log_in):
    pages = []
    for context, user in zip(contexts, users, strict=True):
        page = context.new_page()
        log_in(page, user)
        page.goto(url)
        pages.append(page)
    tab_a, tab_b = pages

    open_optional_questions(tab_a)  # the project's name is optional: it waits folded
    tab_a.get_by_label("Name of the project").fill("Safe city control room")
    tab_a.get_by_role("button", name="Save and leave").click()
    tab_a.wait_for_url(f"**/assessments/{assessment.pk}/")
    tab_b.get_by_label("Describe the project").fill("Forty cameras feed one control room.")
    tab_b.get_by_role("button", name="Save and leave").click()
    tab_b.wait_for_url(f"**/assessments/{assessment.pk}/")  # no conflict: different answers
    assessment.refresh_from_db()
    assert assessment.answers["project.name"] == "Safe city control room"
    assert assessment.answers["project.summary"] == "Forty cameras feed one control room."

    for page in pages:
        page.goto(url)
    tab_a.get_by_label("Describe the project").fill("Forty-two cameras.")
    tab_a.get_by_role("button", name="Save and leave").click()
    tab_a.wait_for_url(f"**/assessments/{assessment.pk}/")
    tab_b.get_by_label("Describe the project").fill("Forty cameras and two drones.")
    open_optional_questions(tab_b)
    tab_b.get_by_label("Name of the project").fill("Control room")
    tab_b.get_by_role("button", name="Save and leave").click()
    conflict = tab_b.get_by_role("alert").filter(has_text="Someone else saved this section first")
    assert conflict.is_visible()
    table = conflict.get_by_role("table").inner_text()
    assert "Forty-two cameras." in table and "Forty cameras and two drones." in table
    assert "Name of the project" not in table  # only A touched the description; only B the name
    assert tab_b.get_by_label("Name of the project").input_value() == "Control room"
    tab_b.get_by_role("button", name="Save and leave").click()  # B keeps its version
    tab_b.wait_for_url(f"**/assessments/{assessment.pk}/")
    assessment.refresh_from_db()
    assert assessment.answers["project.summary"] == "Forty cameras and two drones."
    assert assessment.answers["project.name"] == "Control room"
