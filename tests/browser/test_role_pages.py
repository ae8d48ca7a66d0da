"""The role homes, the case file, the confirmation pages and the draft pages in a real browser: accessible (axe-core,
WCAG 2.1 A and AA), and a comment is made from beside an answer."""

import pytest
from django.urls import reverse

from dpia.models import Assessment, Membership, Organisation, ReviewComment
from tests.web.workflow_helpers import act, complete_assessment, sign

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role


@pytest.fixture
def people(make_user, make_organisation):
    city = make_organisation(name="Ville de Test", city="Testville")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    group = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    return {"city": city, "regulator": regulator,
            "author": make_user(Role.AUTHOR, organisation=city), "dpo": make_user(Role.DPO, organisation=city),
            "signatory": make_user(Role.SIGNATORY, organisation=city),
            "reviewer": make_user(Role.REVIEWER, organisation=regulator),
            "auditor": make_user(Role.AUDITOR, organisation=group)}


@pytest.fixture
def signed(client, people, monkeypatch):
    monkeypatch.setattr("dpia.services.versions.report_pdf", lambda content, bank, *, digest="", **kw: b"%PDF-" +
                        digest.encode())
    assessment = complete_assessment(client, people)
    sign(client, people, assessment)
    return assessment


def test_role_pages_pass_axe_and_a_comment_is_made_beside_its_answer(page, live_server, client, people, signed,
                                                                     log_in, assert_accessible):
    base = live_server.url
    draft = Assessment.objects.create(organisation=people["city"], title="Drone patrols", created_by=people["author"])

    log_in(page, people["signatory"])
    assert "Awaiting a decision or a signature" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(base + reverse("assessment_confirm", kwargs={"pk": signed.pk, "action": "publish"}))
    assert "What will be redacted" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(base + reverse("version_diff", kwargs={"pk": signed.pk, "old": 1, "new": 2}))
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, people["author"])
    main = page.locator("main").inner_text()
    assert "Drone patrols" in main and "Answer the remaining" in main
    assert_accessible(page)
    for name in ("assessment_rename", "assessment_delete"):
        page.goto(base + reverse(name, kwargs={"pk": draft.pk}))
        assert_accessible(page)

    act(client, people["signatory"], signed, "submit", regulator=people["regulator"].pk)
    page.context.clear_cookies()
    log_in(page, people["reviewer"])
    assert "Tram cameras" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Tram cameras").click()
    page.wait_for_url("**/review/*/")
    assert_accessible(page)
    answer = page.locator('[id="cf-q-project.summary"] + dd')
    answer.get_by_text("Comment", exact=True).click()
    answer.get_by_label("Your comment on this answer").fill("Which stops exactly?")
    answer.get_by_role("button", name="Add the comment").click()
    page.wait_for_url("**/review/*/")
    assert "Which stops exactly?" in page.locator('[id="cf-q-project.summary"] + dd').inner_text()
    assert ReviewComment.objects.get().question_id == "project.summary"
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, people["author"])
    page.goto(base + reverse("assessment_detail", kwargs={"pk": signed.pk}))
    assert "Which stops exactly?" in page.locator("main").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, people["auditor"])
    assert "Your notes on published assessments" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang=fr]")
    assert "Vos notes sur les analyses publiées" in page.locator("main").inner_text()
    assert_accessible(page)
