"""A questionnaire that guides: only what applies is asked, the summary follows the answers before they are
saved, errors say where, length limits are said before typing, evidence is attached without losing text."""

import datetime as dt
import re
import tomllib
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from dpia.engine import assess
from dpia.engine.bank import default_bank
from dpia.engine.conditions import Compare, evaluate
from dpia.management.commands.question_load import reference_projects
from dpia.models import Assessment
from dpia.stepforms import StepForm, question_load
from tests.web.wizard_helpers import save_step, step_post_data, step_url

pytestmark = pytest.mark.django_db

POLICE = {"key": "police", "name": "Police search", "purpose_kind": "crime_investigation",
          "controller_kind": "state_police", "data_categories": ["biometric_identification", "criminal_offence"],
          "data_subjects": ["suspects"], "sources": ["own_sensors"]}
CITY = {"key": "city", "name": "Crowd counting", "purpose_kind": "crowd_management",
        "controller_kind": "city_administration", "data_categories": ["biometric_identification", "criminal_offence"],
        "data_subjects": ["general_public"], "sources": ["own_sensors"]}


@pytest.fixture
def assessment(author):
    organisation = author.memberships.get().organisation
    return Assessment.objects.create(organisation=organisation, title="Station cameras", created_by=author)


@pytest.fixture
def logged_in(client, author):
    client.force_login(author)
    cache.clear()  # the live summary's rate counter
    return client


def summary_url(assessment, step):
    return reverse("wizard_summary", kwargs={"pk": assessment.pk, "step": step})


def question_ids(page: str) -> list[str]:
    return re.findall(r'<div class="question" id="q-([a-z_.]+)', page)


def blocks_of(page: str, question_id: str) -> list[str]:
    """The HTML of each rendering of a question (once per stream in a repeated section)."""
    return re.findall(rf'<div class="question" id="q-{re.escape(question_id)}[^"]*".*?<p class="question-meta">',
                      page, re.S)


# -- only what applies ---------------------------------------------------------------------------------------


def test_a_simple_cctv_renewal_asks_at_most_sixty_questions():
    bank = default_bank()
    answers = tomllib.loads(next(p for p in reference_projects() if p.stem == "cctv_renewal").read_text())["answers"]
    steps = question_load(bank, answers)
    assert sum(step.questions for step in steps) <= 60
    # The pages as first built (before their own answers are read) hold many more: the gain is real.
    assert sum(step.questions_without_script for step in steps) > 100


@pytest.mark.parametrize("path", reference_projects(), ids=lambda p: p.stem)
def test_the_reference_projects_are_complete_assessments(path):
    """Hiding what does not apply still gives the engine every answer it needs."""
    answers = tomllib.loads(path.read_text())["answers"]
    result = assess(answers, default_bank(), today=dt.date(2026, 11, 27))
    assert result.completeness.complete, result.completeness.unanswered


def test_question_load_prints_questions_and_help_per_step_for_the_three_reference_projects():
    out = StringIO()
    call_command("question_load", stdout=out)
    text = out.getvalue()
    assert len(reference_projects()) == 3
    for title in ("A simple CCTV renewal", "Number-plate readers", "Live facial recognition"):
        assert title in text
    assert text.count("Total") == 3 and text.count("complete assessment: yes") == 3
    cctv_total = re.search(r"CCTV renewal.*?Total\s+(\d+)\s+(\d+)", text, re.S)
    assert int(cctv_total.group(1)) <= 60 and int(cctv_total.group(2)) > 0


def test_a_question_depending_on_an_answer_on_the_same_page_says_which_without_javascript(logged_in, assessment):
    page = logged_in.get(step_url(assessment, "ai_act")).content.decode()
    practices = blocks_of(page, "ai_act.practices")[0]
    assert "data-show-if=" in practices
    assert "Asked only if your answer to “Does the project use an AI system" in practices
    assert "is “Yes” or “" in practices
    # The condition the script reads names the input it depends on.
    assert "ai_act-ai_act__is_ai_system" in practices
    assert 'src="/static/dpia/js/wizard.js"' in page and "<script>" not in page


def test_a_question_depending_on_an_earlier_step_is_not_rendered_when_it_does_not_apply(logged_in, assessment):
    save_step(logged_in, assessment, "project", {"project.technologies": ["cctv"]})
    save_step(logged_in, assessment, "ai_act", {"ai_act.is_ai_system": "no"})
    page = logged_in.get(step_url(assessment, "rights")).content.decode()
    assert "rights.automated_decisions" not in question_ids(page)
    save_step(logged_in, assessment, "ai_act", {"ai_act.is_ai_system": "yes"})
    page = logged_in.get(step_url(assessment, "rights")).content.decode()
    assert "rights.automated_decisions" in question_ids(page)


def test_an_answer_to_a_question_that_stops_applying_is_kept_but_not_counted(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.wp248_criteria": ["innovative_technology"],
                                                   "screening.new_technology": "yes"})
    save_step(logged_in, assessment, "screening", {"screening.wp248_criteria": ["systematic_monitoring"]})
    assessment.refresh_from_db()
    assert assessment.answers["screening.new_technology"] == "yes"
    assert "screening.new_technology" not in default_bank().applicable_answers(assessment.answers)


def test_each_stream_is_asked_the_questions_of_its_own_regime(logged_in, assessment):
    save_step(logged_in, assessment, "streams", {"streams.list": [POLICE, CITY]})
    page = logged_in.get(step_url(assessment, "legality")).content.decode()
    bank = default_bank()
    gdpr_only = {"legality.gdpr_basis", "legality.gdpr_basis_reasoning", "legality.gdpr_special_exception",
                 "legality.gdpr_special_law", "legality.consent_free", "legality.criminal_data_basis",
                 "legality.criminal_data_law"}
    led_only = {"legality.led_task_necessity", "legality.led_special_condition", "legality.led_special_provision",
                "legality.led_strict_necessity", "legality.led_special_safeguards"}
    asked = {key: set(re.findall(rf'id="q-([a-z_.]+)-{key}"', page)) for key in ("police", "city")}
    assert asked["police"] & gdpr_only == set() and {"legality.led_task_necessity"} <= asked["police"]
    assert asked["city"] & led_only == set() and {"legality.gdpr_basis"} <= asked["city"]
    # The regime the questions follow is the engine's, stream by stream.
    assessment.refresh_from_db()
    regimes = {r.stream: r.regime for r in assess(assessment.answers, bank, today=dt.date(2026, 11, 27)).regimes}
    assert regimes == {"police": "led", "city": "gdpr"}
    for key, regime in regimes.items():
        assert (regime == "led") == bool(asked[key] & led_only)
        assert (regime == "gdpr") == bool(asked[key] & gdpr_only)


def test_the_banks_regime_conditions_are_the_engines_regime_test():
    """The legality questions name competent authorities and law-enforcement purposes in their conditions: the
    same lists as the engine's regime test (bank.toml [regime]), so the two cannot drift apart."""
    bank = default_bank()

    def compares(condition):
        if isinstance(condition, Compare):
            yield condition
        for child in getattr(condition, "conditions", ()) or ((condition.condition,) if hasattr(
                condition, "condition") else ()):
            yield from compares(child)

    seen = 0
    for question in bank.section("legality").questions:
        for compare in compares(question.show_if):
            if compare.field == "controller_kind":
                assert set(compare.value) == bank.regime.competent_authorities, question.id
                seen += 1
            if compare.field == "purpose_kind":
                assert set(compare.value) == bank.regime.law_enforcement_purposes, question.id
    assert seen >= 5


def test_retention_reasons_are_asked_beyond_the_banks_threshold():
    bank = default_bank()
    limit = bank.thresholds["retention_days_needing_reasons"].value
    question = bank.question("necessity.retention_reasons")
    stream = {"key": "s", "name": "S"}
    assert not evaluate(question.show_if, {"streams.list": [stream | {"retention_days": int(limit)}]})
    assert evaluate(question.show_if, {"streams.list": [stream | {"retention_days": int(limit) + 1}]})
    assert evaluate(question.show_if, {"streams.list": [stream]})  # not said: asked


def test_final_check_requires_a_follow_up_only_when_the_page_makes_it_apply(assessment):
    bank = default_bank()
    section = bank.section("rights")
    kwargs = {"section": section, "bank": bank, "answers": {}, "language": "en", "strict": True, "prefix": "rights",
              "initial": {"revision": 0}}
    data = StepForm(**kwargs).data_from_answers()
    data["rights-rights__consultation"] = ["yes"]
    form = StepForm(MultiValueDict(data), **kwargs)
    form.is_valid()
    assert "rights__consultation_method" in form.errors
    data["rights-rights__consultation"] = ["no"]
    form = StepForm(MultiValueDict(data), **kwargs)
    form.is_valid()
    assert "rights__consultation" not in form.errors
    assert "rights__consultation_method" not in form.errors


def test_optional_questions_wait_folded_until_one_holds_an_answer(logged_in, assessment):
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    assert '<details class="optional-questions">' in page and "optional questions)" in page
    save_step(logged_in, assessment, "project", {"project.documents": "Council minutes of 2026"})
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    assert '<details class="optional-questions" open>' in page


# -- live summary ---------------------------------------------------------------------------------------------


def test_the_live_summary_reads_unsaved_answers_and_stores_nothing(logged_in, assessment):
    save_step(logged_in, assessment, "streams", {"streams.list": [POLICE]})
    assessment.refresh_from_db()
    before = (assessment.revision, dict(assessment.answers))
    data = step_post_data(assessment, "legality", {"legality.instrument_kind": {"police": "none"}})
    response = logged_in.post(summary_url(assessment, "legality"), data)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="live-summary"' in fragment and "<html" not in fragment
    assert "Unlawful as proposed" in fragment and "No law provides for the processing" in fragment
    assert "including those not saved yet" in fragment
    # It links to the answer the finding rests on: the field of that stream.
    assert f'href="{step_url(assessment, "legality")}#id_legality-legality__instrument_kind--police_0"' in fragment
    assessment.refresh_from_db()
    assert (assessment.revision, assessment.answers) == before
    assert "Unlawful as proposed" not in logged_in.get(step_url(assessment, "necessity")).content.decode()


def test_the_live_summary_keeps_the_saved_answer_of_a_field_typed_wrong(logged_in, assessment):
    save_step(logged_in, assessment, "project", {"project.people_affected": 500})
    data = step_post_data(assessment, "project", {})
    data["project-project__people_affected"] = ["not a number"]
    response = logged_in.post(summary_url(assessment, "project"), data)
    assert response.status_code == 200
    fragment = response.content.decode()
    # The summary says which answer it could not read; the saved one stands meanwhile.
    left_out = re.search(r'<ul class="errorlist">(.*?)</ul>', fragment, re.S).group(1)
    assert "Roughly how many different people" in left_out
    assessment.refresh_from_db()
    assert assessment.answers["project.people_affected"] == 500


def test_the_live_summary_is_csrf_protected_permission_checked_and_limited(logged_in, assessment, make_user):
    data = step_post_data(assessment, "screening", {})
    assert logged_in.get(summary_url(assessment, "screening")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(assessment.created_by)
    assert strict.post(summary_url(assessment, "screening"), data).status_code == 403
    stranger = Client()
    stranger.force_login(make_user(*assessment.created_by.memberships.values_list("role", flat=True)))
    assert stranger.post(summary_url(assessment, "screening"), data).status_code == 404
    assert logged_in.post(summary_url(assessment, "no-such-step"), data).status_code == 404
    big = logged_in.post(summary_url(assessment, "screening"), data, CONTENT_LENGTH="2000000")
    assert big.status_code == 413
    codes = [logged_in.post(summary_url(assessment, "screening"), data).status_code for _ in range(61)]
    assert codes[:59] == [200] * 59 and codes[-1] == 429


def test_the_summary_panel_stays_in_view_and_the_page_script_posts_to_the_endpoint(logged_in, assessment):
    page = logged_in.get(step_url(assessment, "screening")).content.decode()
    assert f'data-summary-url="{summary_url(assessment, "screening")}"' in page
    assert 'id="live-summary-status"' in page and 'role="status"' in page
    css = (settings.BASE_DIR / "dpia" / "static" / "dpia" / "css" / "site.css").read_text()
    assert re.search(r"\.wizard > \.live-summary \{ position: sticky;", css)


# -- errors say where, limits said before typing ---------------------------------------------------------------


def test_errors_are_listed_at_the_top_with_links_and_shown_at_each_field(logged_in, assessment):
    too_long = "x" * 5001
    data = step_post_data(assessment, "project", {"project.summary": too_long})
    data["project-project__people_affected"] = ["many"]
    page = logged_in.post(step_url(assessment, "project"), data).content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', page, re.S).group(0)
    assert "There is a problem" in summary
    assert 'href="#id_project-project__summary"' in summary and "Describe the project in a few paragraphs." in summary
    assert 'href="#id_project-project__people_affected"' in summary
    # Each field carries its own message, tied to it.
    assert 'id="id_project-project__summary_error"' in page
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*id_project-project__summary_error', page)
    # Nothing is cut: the whole text comes back to be shortened.
    assert too_long in page


def test_length_limits_are_said_before_typing(logged_in, assessment):
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    summary = blocks_of(page, "project.summary")[0]
    assert "Up to 5,000 characters." in summary and 'data-max-length="5000"' in summary
    # No maxlength: a browser would cut a long paste without a word.
    assert "maxlength" not in summary


def test_length_limits_are_said_in_french_with_french_grouping(logged_in, assessment):
    logged_in.cookies.load({"django_language": "fr"})
    page = logged_in.get(step_url(assessment, "project"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.search(r"Jusqu’à 5\s?000 caractères", page.replace("\u202f", " ").replace("\xa0", " "))


# -- evidence -------------------------------------------------------------------------------------------------


def test_attaching_evidence_keeps_the_steps_unsaved_answers(logged_in, assessment):
    data = step_post_data(assessment, "necessity", {"necessity.objective": "Cut bicycle thefts by half"},
                          attach_evidence="necessity.objective")
    response = logged_in.post(step_url(assessment, "necessity"), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("evidence_list", kwargs={"pk": assessment.pk}))
    assert "question=necessity.objective" in response.url and "step=necessity" in response.url
    assessment.refresh_from_db()
    assert assessment.answers["necessity.objective"] == "Cut bicycle thefts by half"
    evidence_page = logged_in.get(response.url).content.decode()
    assert f'href="{step_url(assessment, "necessity")}#q-necessity.objective"' in evidence_page
    assert 'value="necessity.objective" selected' in evidence_page


def test_attaching_evidence_keeps_text_that_does_not_validate_yet(logged_in, assessment):
    data = step_post_data(assessment, "project", {"project.summary": "A long summary " * 400},
                          attach_evidence="project.summary")
    response = logged_in.post(step_url(assessment, "project"), data)
    assert response.status_code == 302 and "question=project.summary" in response.url
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    assert ("A long summary " * 400).strip() in page
