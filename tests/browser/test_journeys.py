"""Whole journeys in real Chromium, once in English and once in French: the author, the DPO and the
signatory take a project from creation to the regulator; the regulator reviews it; a civil-society
auditor checks a published report and annotates it; an anonymous reader browses the register.
axe-core (WCAG 2.1 A and AA) runs on every page visited. Selectors use form actions and field names,
so the same journey runs in both languages; each page is checked to be in the language chosen.
A failing journey leaves a screenshot in test-results/ (pytest-playwright's --screenshot)."""

import tomllib

import pytest
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.management.commands.load_demo import DEMO_CASES_DIR
from dpia.models import Assessment, Membership, Organisation, Submission
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role
LANGUAGES = ["en", "fr"]


def demo_answers(stem):
    return tomllib.loads((DEMO_CASES_DIR / f"{stem}.toml").read_text(encoding="utf-8"))["answers"]


@pytest.fixture
def people(make_organisation, make_user):
    city = make_organisation(name="Ville de Parcours", city="Parcours")
    regulator = make_organisation(name="Autorité de test", kind=Organisation.Kind.REGULATOR)
    ngo = make_organisation(name="Observatoire des libertés", kind=Organisation.Kind.CIVIL_SOCIETY)
    return {
        "city": city, "regulator": regulator, "ngo": ngo,
        "author": make_user(Role.AUTHOR, organisation=city),
        "dpo": make_user(Role.DPO, organisation=city),
        "signatory": make_user(Role.SIGNATORY, organisation=city),
        "reviewer": make_user(Role.REVIEWER, organisation=regulator),
        "auditor": make_user(Role.AUDITOR, organisation=ngo),
    }


class Journey:
    """One person's visit: every page it opens is checked for its language and with axe-core."""

    def __init__(self, page, base, language, assert_accessible):
        self.page, self.base, self.language, self.check = page, base, language, assert_accessible
        self.errors = []
        # Sealing a version renders its PDF within the request under the test settings (tasks run immediately): on
        # a loaded machine that alone has taken more than the default 30 seconds.
        page.set_default_timeout(120_000)
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])

    def checked(self, language=None):
        """The page is in the chosen language (or in `language`: a sealed report keeps its own), and passes axe."""
        assert self.page.get_attribute("html", "lang") == (language or self.language), self.page.url
        self.check(self.page)

    def visit(self, path, language=None):
        self.page.goto(self.base + path)
        self.checked(language)

    def submit(self, form_selector, button="button[type=submit]"):
        """Press the form's button and check the page it leads to."""
        with self.page.expect_navigation():
            self.page.locator(form_selector).locator(button).first.click()
        self.checked()

    def log_in(self, user):
        self.page.context.clear_cookies()
        self.page.context.add_cookies([{"name": "django_language", "value": self.language, "url": self.base}])
        self.visit("/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.submit("main form")
        assert self.page.url == self.base + "/", self.page.url

    def act(self, assessment, action, **fields):
        """Use the workflow form of `action` on the assessment's page (and its confirmation page, if any)."""
        self.visit(f"/assessments/{assessment.pk}/")
        form = f"form[action$='/actions/{action}/']"
        for name, value in fields.items():
            field = self.page.locator(f"{form} [name={name}]")
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        self.submit(form)
        if "/confirm/" in self.page.url:
            self.submit("main form.form")


@pytest.mark.parametrize("language", LANGUAGES)
def test_author_dpo_and_signatory_take_a_project_to_the_regulator(
        page, live_server, people, language, assert_accessible):
    journey = Journey(page, live_server.url, language, assert_accessible)
    journey.log_in(people["author"])
    journey.checked()
    journey.visit("/assessments/new/")
    page.fill("input[name=title]", "Port security logs")
    journey.submit("main form")
    assert "/wizard/" in page.url
    assessment = Assessment.objects.get(title="Port security logs")
    # The answers of a complete project, as the author typed them (typing a section by keyboard is tested
    # separately); the author then goes through every section and saves it.
    services.assessment_import_answers(assessment=assessment, user=people["author"],
                                       answers=demo_answers("rotterdam_port_cyber_resilience"), bank=default_bank())
    journey.visit(f"/assessments/{assessment.pk}/wizard/")
    sections = 0
    while "/wizard/" in page.url:
        sections += 1
        journey.submit("main form", ".wizard-buttons button.button--primary")
        assert sections < 20, page.url
    assert sections >= 8
    # The findings: the assessment's page with the verdict, and the report preview.
    journey.visit(f"/assessments/{assessment.pk}/")
    assert page.locator(".verdict, [class*=verdict]").count() > 0
    journey.visit(f"/assessments/{assessment.pk}/report/")

    journey.act(assessment, "request_dpo_advice")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DPO_REVIEW

    journey.log_in(people["dpo"])
    journey.act(assessment, "give_dpo_advice", advice="Proportionate: logs are pseudonymised and kept briefly.")
    journey.log_in(people["author"])
    journey.act(assessment, "record_dpo_decision", decision="followed")
    journey.log_in(people["signatory"])
    journey.act(assessment, "sign")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED
    journey.act(assessment, "submit", regulator=str(people["regulator"].pk))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert Submission.objects.get(version__assessment=assessment).regulator == people["regulator"]
    assert journey.errors == []


def signed(people, stem, title, *, advice, decision, reasons=""):
    """A complete project of the demo case `stem`, signed after the DPO's advice, through the services."""
    bank = default_bank()
    author, signatory = people["author"], people["signatory"]
    assessment = services.assessment_create(user=author, organisation=people["city"], title=title, bank=bank)
    services.assessment_import_answers(assessment=assessment, user=author, answers=demo_answers(stem), bank=bank)
    services.assessment_request_dpo_advice(assessment=assessment, user=author, bank=bank, language="en")
    services.dpo_advice_give(assessment=assessment, user=people["dpo"], advice=advice)
    services.dpo_advice_decide(assessment=assessment, user=signatory, decision=decision, reasons=reasons)
    services.assessment_sign(assessment=Assessment.objects.get(pk=assessment.pk), user=signatory, bank=bank,
                             language="en")
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def submitted(people):
    """A project that needs prior consultation, signed and submitted to the regulator."""
    assessment = signed(people, "nice_citizen_reporting_app", "Citizen video reports", advice="Not without a law.",
                        decision="overruled", reasons="We ask the authority first.")
    return services.assessment_submit(assessment=assessment, user=people["signatory"],
                                      regulator=people["regulator"], today=timezone.localdate())


@pytest.mark.parametrize("language", LANGUAGES)
def test_regulator_comments_requests_information_and_gives_an_opinion(
        page, live_server, people, submitted, language, assert_accessible):
    journey = Journey(page, live_server.url, language, assert_accessible)
    journey.log_in(people["reviewer"])
    page.locator("main a[href='/review/']").first.click()
    page.wait_for_url("**/review/")
    journey.checked()
    page.locator(f"main a[href='/review/{submitted.pk}/']").first.click()
    page.wait_for_url(f"**/review/{submitted.pk}/")
    journey.checked()
    journey.submit("form[action$='/start_review/']")

    # A comment from the question itself.
    question = "legality.legal_provision"
    control = page.locator(f"form[action$='/comment/']:has(input[name=question_id][value='{question}'])")
    control.locator("xpath=ancestor::details").locator("summary").click()
    control.locator("textarea[name=text]").fill("Which provision lets residents film for the police?")
    journey.submit(f"form[action$='/comment/']:has(input[name=question_id][value='{question}'])")
    assert submitted.comments.get().question_id == question

    page.fill("form[action$='/request_information/'] textarea[name=text]", "Send the partnership agreement.")
    journey.submit("form[action$='/request_information/']")
    assessment = submitted.version.assessment
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.INFORMATION_REQUESTED

    # The controller answers by signing again and resubmitting (its own journey is tested above).
    bank = default_bank()
    services.assessment_revise(assessment=assessment, user=people["author"])
    services.assessment_request_dpo_advice(assessment=Assessment.objects.get(pk=assessment.pk),
                                           user=people["author"], bank=bank, language="en")
    services.dpo_advice_give(assessment=assessment, user=people["dpo"], advice="Still not without a law.")
    services.dpo_advice_decide(assessment=assessment, user=people["signatory"], decision="overruled",
                               reasons="Agreement attached.")
    services.assessment_sign(assessment=Assessment.objects.get(pk=assessment.pk), user=people["signatory"],
                             bank=bank, language="en")
    second = services.assessment_submit(assessment=Assessment.objects.get(pk=assessment.pk),
                                        user=people["signatory"], regulator=people["regulator"],
                                        today=timezone.localdate())
    journey.visit("/review/")
    journey.visit(f"/review/{second.pk}/")
    journey.submit("form[action$='/start_review/']")
    page.select_option("form[action$='/issue_opinion/'] select[name=kind]", "objection")
    page.fill("form[action$='/issue_opinion/'] textarea[name=text]", "No law provides for residents' live video.")
    journey.submit("form[action$='/issue_opinion/']")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPINION_ISSUED
    assert journey.errors == []


@pytest.fixture
def published(people):
    assessment = signed(people, "rotterdam_port_cyber_resilience", "Port security logs", advice="Proportionate.",
                        decision="followed")
    return services.assessment_publish(assessment=assessment, user=people["signatory"], bank=default_bank())


@pytest.mark.parametrize("language", LANGUAGES)
def test_auditor_verifies_a_downloaded_report_and_annotates_it(
        page, live_server, people, published, language, assert_accessible, tmp_path):
    journey = Journey(page, live_server.url, language, assert_accessible)
    journey.log_in(people["auditor"])
    journey.visit("/register/")
    page.locator(f"main a[href='/register/{published.pk}/']").first.click()
    page.wait_for_url(f"**/register/{published.pk}/")
    journey.checked()
    with page.expect_download() as download:
        page.locator(f"main a[href='/register/{published.pk}/pdf/']").first.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    journey.visit("/verify/")
    page.set_input_files("input[type=file]", str(pdf))
    journey.submit("main form")
    assert published.digest[:12] in page.locator("main").inner_text() or \
        page.locator(f"main a[href*='/register/{published.pk}/']").count() > 0

    journey.visit(f"/register/{published.pk}/")
    form = "form:has(textarea[name=text])"
    page.locator(f"{form} select[name=target] option").nth(1).wait_for(state="attached")
    first_target = page.locator(f"{form} select[name=target] option").nth(0).get_attribute("value")
    page.select_option(f"{form} select[name=target]", first_target)
    page.fill(f"{form} textarea[name=text]", "The retention of security logs deserves a yearly check.")
    journey.submit(form)
    assert published.annotations.get().text.startswith("The retention")
    assert journey.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_anonymous_reader_browses_searches_and_reads_the_register(
        page, live_server, published, language, assert_accessible):
    journey = Journey(page, live_server.url, language, assert_accessible)
    journey.visit("/register/")
    page.fill("main input[name=q]", "phishing")
    journey.submit("main form:has(input[name=q])")
    assert page.locator(f"main a[href='/register/{published.pk}/']").count() == 1
    journey.visit(f"/register/{published.pk}/")
    journey.visit(f"/register/{published.pk}/report/", language=published.content["language"])
    response = page.request.get(f"{live_server.url}/register/feed.json")
    assert response.ok and "Port security logs" in response.text()
    # Private pages are not for the anonymous reader.
    journey.page.goto(f"{live_server.url}/assessments/{published.version.assessment.pk}/")
    assert "/accounts/login/" in page.url
    journey.checked()


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_section_is_completed_with_the_keyboard_only(page, live_server, people, language, assert_accessible):
    """The project-description section answered without a mouse: Tab to each field, type, Tab to the
    button, Enter."""
    journey = Journey(page, live_server.url, language, assert_accessible)
    journey.log_in(people["author"])
    bank = default_bank()
    answers = demo_answers("rotterdam_port_cyber_resilience")
    # Everything before and in the section is answered except the section's texts, which are typed.
    texts = {q.id for q in bank.section("project").questions if q.type in ("short_text", "long_text")}
    given = {k: v for k, v in answers.items() if k.split(".")[0] in ("screening", "project") and k not in texts}
    assessment = services.assessment_create(user=people["author"], organisation=people["city"],
                                            title="Keyboard only", bank=bank)
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=given, bank=bank)
    journey.visit(f"/assessments/{assessment.pk}/wizard/project/")
    typed = {}
    # Walk the page's focus order from the top; type into every empty text field met on the way.
    page.keyboard.press("Tab")
    for _ in range(400):
        focused = page.evaluate("""() => { const el = document.activeElement;
            return {tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',
                    primary: el.classList.contains('button--primary'), inForm: !!el.closest('main form')}; }""")
        if focused["primary"] and focused["inForm"]:
            break
        if focused["tag"] in ("INPUT", "TEXTAREA") and focused["type"] in ("text", "textarea", "") and \
                focused["name"] and not focused["value"] and "--" not in focused["name"]:
            # (a blank new row of an item list is left blank: it adds no item)
            text = f"Typed {len(typed) + 1}"
            page.keyboard.type(text)
            typed[focused["name"]] = text
        page.keyboard.press("Tab")
    else:
        pytest.fail("the primary button was never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.checked()
    assert typed, "no text field was reached with Tab"
    assert "/wizard/project/" not in page.url, "the section was refused"
    assessment.refresh_from_db()
    saved_texts = {v for v in assessment.answers.values() if isinstance(v, str)}
    assert set(typed.values()) <= saved_texts, ({k: v for k, v in typed.items() if v not in saved_texts}, page.url)
