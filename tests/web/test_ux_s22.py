"""From the session-22 walk-through by new users: what a page says must not run ahead of what the assessment holds."""

import copy
import html

import pytest
from django.urls import reverse

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, DpoAdvice
from tests.web.workflow_helpers import act, complete_assessment, sign, status

pytestmark = pytest.mark.django_db


def test_a_verdict_on_an_incomplete_assessment_is_called_provisional(client, people, fake_renderer):
    empty = Assessment.objects.create(organisation=people["city"], title="Station cameras", created_by=people["author"])
    client.force_login(people["author"])
    page = html.unescape(client.get(reverse("assessment_detail", kwargs={"pk": empty.pk})).content.decode())
    # Nothing described yet: no verdict at all (it read "proceed" on nothing), until a processing stream is.
    assert "No verdict yet: describe the processing streams first" in page and "Proceed" not in page
    empty.answers = {"streams.list": [{"key": "s1", "name": "Cameras"}]}
    empty.save()
    page = html.unescape(client.get(reverse("assessment_detail", kwargs={"pk": empty.pk})).content.decode())
    assert "Provisional verdict on the project as described:" in page
    report = html.unescape(client.get(reverse("report_preview", kwargs={"pk": empty.pk})).content.decode())
    assert "Provisional: the assessment is not complete" in report
    french = html.unescape(client.get(reverse("assessment_detail", kwargs={"pk": empty.pk}),
                                      HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "Verdict provisoire sur le projet tel que décrit" in french
    complete = complete_assessment(client, people, title="Complete cameras")
    page = html.unescape(client.get(reverse("assessment_detail", kwargs={"pk": complete.pk})).content.decode())
    assert "Provisional verdict" not in page and "Verdict on the project as described:" in page


def test_the_controller_chooses_whether_the_dpo_was_followed_nothing_is_chosen_for_it(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Keep seven days, not thirty.")
    client.force_login(people["author"])
    page = client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).content.decode()
    assert '<option value="" selected>' in page
    refused = client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "record_dpo_decision"}),
                          {"decision": ""}, follow=True)
    assert "Choose whether the advice is followed." in html.unescape(refused.content.decode())
    assert status(assessment) == "ready_to_sign"
    assert not DpoAdvice.objects.filter(version__assessment=assessment).exclude(decision="").exists()


def test_before_signature_the_report_says_the_dpo_advice_is_as_the_authors_report_it(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    answers = {**copy.deepcopy(assessment.answers), "rights.dpo_advice_sought": "yes",
               "rights.dpo_advice": "Proceed with the safeguards above."}
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    client.force_login(people["author"])
    report = html.unescape(client.get(reverse("report_preview", kwargs={"pk": assessment.pk})).content.decode())
    assert "Proceed with the safeguards above." in report and "As the assessment reports it" in report
    version = sign(client, people, assessment, advice="Do not proceed until the regulation is adopted.")
    client.force_login(people["author"])
    sealed = html.unescape(client.get(reverse("version_detail", kwargs={"pk": assessment.pk,
                                                                        "number": version.number})).content.decode())
    assert "Do not proceed until the regulation is adopted." in sealed and "As the assessment reports it" not in sealed
    assert "+00:00" not in sealed  # the advice's time is shown as the page shows times


def test_only_a_civil_society_is_asked_which_project_it_assesses(client, people, make_organisation, make_user):
    client.force_login(people["author"])
    page = client.get(reverse("assessment_new")).content.decode()
    assert 'name="shadow_of"' not in page
    client.post(reverse("assessment_new"), {"title": "Tram cameras", "organisation": people["city"].pk,
                                            "shadow_of": "Someone else's project"})
    assert Assessment.objects.get(title="Tram cameras").shadow_of == ""
    ngo = make_organisation(name="Watchdog", kind="civil_society")
    client.force_login(make_user("author", organisation=ngo))
    assert 'name="shadow_of"' in client.get(reverse("assessment_new")).content.decode()


def test_the_report_says_what_a_blocker_a_major_finding_and_the_seriousness_level_mean(client, people):
    empty = Assessment.objects.create(organisation=people["city"], title="Station cameras", created_by=people["author"])
    client.force_login(people["author"])
    report = html.unescape(client.get(reverse("report_preview", kwargs={"pk": empty.pk})).content.decode())
    assert "the project cannot lawfully go ahead as proposed until it is resolved." in report
    french = html.unescape(client.get(reverse("report_preview", kwargs={"pk": empty.pk}),
                                      HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "une condition que le projet doit remplir avant sa mise en œuvre." in french


def test_a_risks_step_saved_with_no_risk_is_not_marked_complete(client, people):
    from tests.web.wizard_helpers import save_step

    assessment = Assessment.objects.create(organisation=people["city"], title="Station cameras",
                                           created_by=people["author"])
    client.force_login(people["author"])
    save_step(client, assessment, "risks", {"risks.list": []})
    page = html.unescape(client.get(reverse("wizard_step", kwargs={"pk": assessment.pk, "step": "risks"}))
                         .content.decode())
    progress = page.split('class="wizard-progress"')[1].split("</nav>")[0]
    risks = progress.split("Risks to people")[1].split("</li>")[0]
    assert "Complete" not in risks
