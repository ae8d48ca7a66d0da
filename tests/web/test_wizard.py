"""The wizard through the test client: drafts never lose an answer."""

import re

import pytest
from django import forms
from django.contrib.sessions.models import Session
from django.urls import reverse

from dpia.engine.alternatives import relevant_alternatives
from dpia.engine.bank import default_bank
from dpia.models import Assessment, Membership
from dpia.stepforms import StepForm
from tests.conftest import PASSWORD
from tests.web.wizard_helpers import complete_through_wizard, fill_required, save_step, step_post_data, step_url

pytestmark = pytest.mark.django_db

STREAM = {"key": "s1", "name": "Live facial recognition at the station", "purpose_kind": "crime_prevention",
          "controller_kind": "state_police", "data_categories": ["biometric_identification", "identifiable_images"],
          "data_subjects": ["general_public", "suspects"], "sources": ["own_sensors"]}


@pytest.fixture
def assessment(author):
    organisation = author.memberships.get().organisation
    return Assessment.objects.create(organisation=organisation, title="Station cameras", created_by=author)


@pytest.fixture
def logged_in(client, author):
    client.force_login(author)
    return client


def test_starting_an_assessment_opens_the_first_step(logged_in, author):
    organisation = author.memberships.get().organisation
    response = logged_in.post(reverse("assessment_new"), {"title": "Tram ANPR", "organisation": organisation.pk})
    assessment = Assessment.objects.get(title="Tram ANPR")
    assert response.url == reverse("wizard_start", kwargs={"pk": assessment.pk})
    first = logged_in.get(response.url)
    assert first.url == step_url(assessment, "screening")
    page = logged_in.get(first.url).content.decode()
    assert "Screening" in page and "Save and leave" in page and "GDPR Art. 35(3)(c)" in page


def test_saving_a_step_stores_answers_and_moves_on(logged_in, assessment):
    response = save_step(logged_in, assessment, "screening", {
        "screening.jurisdiction": "fr", "screening.wp248_criteria": ["systematic_monitoring", "large_scale"],
        "screening.public_area_monitoring": "yes"})
    assert response.status_code == 302 and response.url == step_url(assessment, "project")
    assessment.refresh_from_db()
    assert assessment.answers["screening.wp248_criteria"] == ["systematic_monitoring", "large_scale"]
    assert assessment.revision == 1
    assert assessment.revisions.get().step == "screening"


def test_get_never_resets_and_answers_survive_a_lost_session(client, author, assessment):
    client.force_login(author)
    save_step(client, assessment, "screening", {"screening.jurisdiction": "fr"})
    client.get(reverse("wizard_start", kwargs={"pk": assessment.pk}) + "?reset=1")
    Session.objects.all().delete()  # session expiry, logout elsewhere, a new device
    assert client.get(step_url(assessment, "screening")).status_code == 302  # logged out
    assert client.login(username=author.username, password=PASSWORD)
    page = client.get(step_url(assessment, "screening")).content.decode()
    assert re.search(r'value="fr"[^>]*selected', page)
    assessment.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "fr"


def test_two_assessments_in_two_tabs_keep_their_own_answers(logged_in, author, assessment):
    other = Assessment.objects.create(organisation=assessment.organisation, title="Drones", created_by=author)
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    save_step(logged_in, other, "screening", {"screening.jurisdiction": "rs"})
    save_step(logged_in, assessment, "screening", {"screening.public_area_monitoring": "yes"})
    assessment.refresh_from_db()
    other.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "fr"
    assert assessment.answers["screening.public_area_monitoring"] == "yes"
    assert other.answers == {"screening.jurisdiction": "rs"}


def test_back_keeps_what_was_typed_even_when_invalid(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    data = step_post_data(assessment, "project", {"project.name": "Safe city", "project.summary": "x" * 20001})
    data["wizard_goto_step"] = ["screening"]
    response = logged_in.post(step_url(assessment, "project"), data)
    assert response.url == step_url(assessment, "screening")
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    assert "Safe city" in page  # what was typed is back
    assert "Ensure this value has at most" in page  # and the problem is shown


def test_back_with_valid_input_saves_it(logged_in, assessment):
    data = step_post_data(assessment, "project", {"project.name": "Safe city"})
    data["wizard_goto_step"] = ["screening"]
    logged_in.post(step_url(assessment, "project"), data)
    assessment.refresh_from_db()
    assert assessment.answers["project.name"] == "Safe city"


def test_save_and_leave_returns_to_the_overview(logged_in, assessment):
    data = step_post_data(assessment, "screening", {"screening.jurisdiction": "be"})
    data["save_and_leave"] = ["1"]
    response = logged_in.post(step_url(assessment, "screening"), data)
    assert response.url == reverse("assessment_detail", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "be"


def test_stale_save_is_refused_and_shows_who_saved_first(client, author, make_user, assessment):
    colleague = make_user(Membership.Role.AUTHOR, organisation=assessment.organisation, username="camille")
    second = client.__class__()
    client.force_login(author)
    second.force_login(colleague)
    stale = step_post_data(assessment, "screening", {"screening.jurisdiction": "rs"}, revision=0)
    save_step(second, assessment, "screening", {"screening.jurisdiction": "fr"})  # Camille first

    response = client.post(step_url(assessment, "screening"), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this section first" in page and "camille" in page
    assert "France" in page and "Serbia" in page  # both versions shown
    assessment.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "fr"  # nothing overwritten

    # Saving again from the refreshed revision keeps the author's choice deliberately.
    again = step_post_data(assessment, "screening", {"screening.jurisdiction": "rs"})
    assert client.post(step_url(assessment, "screening"), again).status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "rs"


def test_saves_of_different_steps_do_not_conflict(client, author, assessment):
    client.force_login(author)
    stale = step_post_data(assessment, "project", {"project.name": "Cameras"}, revision=0)
    save_step(client, assessment, "screening", {"screening.jurisdiction": "fr"})
    assert client.post(step_url(assessment, "project"), stale).status_code == 302


def test_per_stream_section_asks_each_stream(logged_in, assessment):
    traffic = {"key": "s2", "name": "Traffic counting", "purpose_kind": "traffic_management",
               "controller_kind": "city_administration", "data_categories": ["licence_plates"]}
    save_step(logged_in, assessment, "streams", {"streams.list": [STREAM, traffic]})
    page = logged_in.get(step_url(assessment, "legality")).content.decode()
    assert "Processing stream: Live facial recognition at the station" in page
    assert "Processing stream: Traffic counting" in page


def test_hidden_question_answers_are_kept_but_ignored(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.national_security": "yes"})
    save_step(logged_in, assessment, "screening", {
        "screening.national_security_justification": "State security service under the 2015 act."})
    save_step(logged_in, assessment, "screening", {"screening.national_security": "no"})
    assessment.refresh_from_db()
    assert "screening.national_security_justification" in assessment.answers  # kept
    bank = default_bank()
    assert "screening.national_security_justification" not in bank.applicable_answers(assessment.answers)
    page = logged_in.get(step_url(assessment, "screening")).content.decode()
    assert "2015 act" in page  # shown with its condition explained, since it depends on this step


def test_item_rows_get_stable_keys_and_can_be_removed(logged_in, assessment):
    save_step(logged_in, assessment, "streams", {"streams.list": [
        {"name": "Cameras", "purpose_kind": "crime_prevention"}, {"name": "Drones"}]})
    assessment.refresh_from_db()
    keys = [i["key"] for i in assessment.answers["streams.list"]]
    assert len(set(keys)) == 2
    data = step_post_data(assessment, "streams", {})
    form = StepForm(section=default_bank().section("streams"), bank=default_bank(),
                    answers=assessment.answers, language="en", prefix="streams")
    remove = next(n for n, b in form.bindings.items() if b.role == "remove" and b.row == 0)
    data[form.add_prefix(remove)] = ["on"]
    logged_in.post(step_url(assessment, "streams"), data)
    assessment.refresh_from_db()
    assert [i["key"] for i in assessment.answers["streams.list"]] == keys[1:]


def test_a_tampered_row_key_cannot_make_two_rows_share_their_answers(logged_in, assessment):
    """The key field is hidden but postable: a key posted twice, or one the server never gave, gets a fresh key,
    so no row takes over another's per-stream answers."""
    save_step(logged_in, assessment, "streams", {"streams.list": [
        {"name": "Cameras", "purpose_kind": "crime_prevention"}, {"name": "Drones"}]})
    assessment.refresh_from_db()
    first, second = [i["key"] for i in assessment.answers["streams.list"]]
    data = step_post_data(assessment, "streams", {})
    form = StepForm(section=default_bank().section("streams"), bank=default_bank(),
                    answers=assessment.answers, language="en", prefix="streams")
    key_fields = {b.row: form.add_prefix(n) for n, b in form.bindings.items() if b.role == "key"}
    data[key_fields[1]] = [first]
    assert logged_in.post(step_url(assessment, "streams"), data).status_code == 302
    assessment.refresh_from_db()
    keys = [i["key"] for i in assessment.answers["streams.list"]]
    assert keys[0] == first and keys[1] not in (first, second) and len(set(keys)) == 2
    # Markup is not a key either.
    for posted in ('"><svg/onload=alert(1)>',):
        data = step_post_data(assessment, "streams", {})
        data[key_fields[1]] = [posted]
        logged_in.post(step_url(assessment, "streams"), data)
        assessment.refresh_from_db()
        assert posted not in [i["key"] for i in assessment.answers["streams.list"]]


def test_finish_revalidates_and_sends_to_the_first_incomplete_step(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    response = logged_in.get(step_url(assessment, "finish"))
    assert response.status_code == 302
    assert response.url == step_url(assessment, "screening") + "?check=1"
    page = logged_in.get(response.url).content.decode()
    assert "This question must be answered before the assessment is complete." in page


def test_only_a_page_sent_back_unsaved_counts_as_typed_for_the_side_menu(logged_in, assessment):
    """A saved step visited again holds nothing unsaved (a menu click is a plain link); a step sent back from a POST
    to correct holds unsaved answers (a menu click carries them)."""
    save_step(logged_in, assessment, "project", {"project.technology_details": "Twelve fixed cameras."})
    assert 'data-unsaved=""' in logged_in.get(step_url(assessment, "project")).content.decode()
    sent_back = save_step(logged_in, assessment, "project", {"project.camera_count": "-4"})
    assert sent_back.status_code == 200 and 'data-unsaved="1"' in sent_back.content.decode()


def test_in_checking_mode_a_corrected_section_leads_to_the_next_gap_not_the_next_section(logged_in, assessment):
    """Sent to a section to complete it, the user saves it and is taken to the next section still missing an answer
    (checking goes on), instead of walking every section again without knowing which lack what."""
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    first_gap = logged_in.get(step_url(assessment, "finish")).url
    assert first_gap == step_url(assessment, "screening") + "?check=1"
    bank = default_bank()
    assessment.refresh_from_db()
    form = StepForm(section=bank.section("screening"), bank=bank, answers=assessment.answers, language="en",
                    prefix="screening", initial={"revision": assessment.revision})
    data = fill_required(form)
    data[f"assessment_{assessment.pk}-current_step"] = ["screening"]
    response = logged_in.post(first_gap, data)
    assert response.status_code == 302 and response.url == step_url(assessment, "finish")
    next_gap = logged_in.get(response.url).url
    assert next_gap.endswith("?check=1") and "/screening/" not in next_gap


def test_freezing_an_incomplete_assessment_for_the_dpo_marks_what_is_missing(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    response = logged_in.post(reverse("assessment_action", kwargs={"pk": assessment.pk,
                                                                   "action": "request_dpo_advice"}))
    assert response.url.endswith("?check=1")
    page = logged_in.get(response.url).content.decode()
    assert "The assessment is not complete yet" in page
    assert "This question must be answered before the assessment is complete." in page


def test_every_field_has_a_length_limit_and_oversized_input_is_a_form_error():
    bank = default_bank()
    rich = {"streams.list": [STREAM], "project.technologies": ["live_facial_recognition"]}
    for section in bank.sections:
        form = StepForm(section=section, bank=bank, answers=rich, language="en", prefix=section.id)
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{section.id}: {name} has no length limit"
        data = form.data_from_answers()
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField) and form.bindings.get(name) and \
                    form.bindings[name].role == "answer":
                data[form.add_prefix(name)] = ["x" * (field.max_length + 1)]
        bound = StepForm(data, section=section, bank=bank, answers=rich, language="en", prefix=section.id)
        assert bound.is_valid() is (not any(
            isinstance(f, forms.CharField) and bound.bindings.get(n) and bound.bindings[n].role == "answer"
            for n, f in bound.fields.items()))


def test_other_organisations_cannot_reach_the_wizard(client, make_user, assessment):
    stranger = make_user(Membership.Role.AUTHOR)
    client.force_login(stranger)
    for url in [step_url(assessment, "screening"), reverse("assessment_detail", kwargs={"pk": assessment.pk}),
                reverse("evidence_list", kwargs={"pk": assessment.pk})]:
        assert client.get(url).status_code == 404
    response = save_step(client, assessment, "screening", {"screening.jurisdiction": "fr"})
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_dpo_reads_but_cannot_edit(client, make_user, assessment):
    dpo = make_user(Membership.Role.DPO, organisation=assessment.organisation)
    client.force_login(dpo)
    assert client.get(reverse("assessment_detail", kwargs={"pk": assessment.pk})).status_code == 200
    assert client.get(step_url(assessment, "screening")).status_code == 404


def test_the_whole_wizard_from_first_step_to_complete(logged_in, assessment):
    visited, done_url = complete_through_wizard(logged_in, assessment)
    done = logged_in.get(done_url, follow=True)
    assert "Every section is complete." in done.content.decode()
    assert visited[0] == "screening" and "legality" in visited and visited[-1] == "measures"
    assessment.refresh_from_db()
    assert assessment.revision == len(visited)


def test_the_wizard_shows_a_live_summary_of_the_findings(logged_in, assessment):
    page = logged_in.get(step_url(assessment, "screening")).content.decode()
    assert "What the answers so far show" in page and "The DPIA document is not complete yet" in page
    save_step(logged_in, assessment, "streams", {"streams.list": [STREAM]})
    save_step(logged_in, assessment, "legality", {"legality.instrument_kind": {"s1": "none"}})
    page = logged_in.get(step_url(assessment, "necessity")).content.decode()
    assert "Unlawful as proposed" in page
    assert "No law provides for the processing" in page and "Charter Art. 52(1)" in page
    # Each finding links to the answers it rests on: the very field, for the stream concerned.
    anchor = "id_legality-legality__instrument_kind--s1_0"
    assert f'href="{step_url(assessment, "legality")}#{anchor}"' in page
    assert f'id="{anchor}"' in logged_in.get(step_url(assessment, "legality")).content.decode()


def test_live_summary_costs_a_bounded_number_of_queries(logged_in, assessment, django_assert_max_num_queries):
    save_step(logged_in, assessment, "streams", {"streams.list": [STREAM]})
    with django_assert_max_num_queries(12):
        logged_in.get(step_url(assessment, "legality"))


def test_a_new_stream_never_inherits_the_answers_of_a_removed_one(logged_in, assessment):
    save_step(logged_in, assessment, "screening", {"screening.jurisdiction": "fr"})
    save_step(logged_in, assessment, "streams", {"streams.list": [
        {"name": "Alpha", "purpose_kind": "crime_prevention"}, {"name": "Beta", "purpose_kind": "crime_prevention"}]})
    assessment.refresh_from_db()
    alpha, beta = (item["key"] for item in assessment.answers["streams.list"])
    save_step(logged_in, assessment, "legality", {"legality.legal_provision": {alpha: "Act of Alpha, art. 1"}})
    assessment.refresh_from_db()
    assert assessment.answers["legality.legal_provision"] == {alpha: "Act of Alpha, art. 1"}
    # One save: Alpha removed, Gamma added.
    save_step(logged_in, assessment, "streams", {"streams.list": [
        {"key": beta, "name": "Beta", "purpose_kind": "crime_prevention"},
        {"name": "Gamma", "purpose_kind": "crime_prevention"}]})
    assessment.refresh_from_db()
    gamma = assessment.answers["streams.list"][1]["key"]
    assert assessment.answers["streams.list"][1]["name"] == "Gamma" and gamma not in (alpha, beta)
    assert gamma not in assessment.answers.get("legality.legal_provision", {})
    page = logged_in.get(step_url(assessment, "legality")).content.decode()
    assert "Act of Alpha" not in page


def test_changes_to_different_answers_of_one_section_both_survive(client, author, make_user, assessment):
    colleague = make_user(Membership.Role.AUTHOR, organisation=assessment.organisation, username="camille")
    tab_b = client.__class__()
    client.force_login(author)
    tab_b.force_login(colleague)
    save_step(client, assessment, "project", {"project.name": "Tram cameras"})
    opened_by_b = step_post_data(assessment, "project", {"project.summary": "Twelve cameras."})
    save_step(client, assessment, "project", {"project.name": "Tram and bus cameras"})  # tab A: X
    response = tab_b.post(step_url(assessment, "project"), opened_by_b)  # tab B: Y, from the older page
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["project.name"] == "Tram and bus cameras"
    assert assessment.answers["project.summary"] == "Twelve cameras."


def test_only_an_answer_changed_on_both_sides_is_shown_for_a_decision(client, author, make_user, assessment):
    colleague = make_user(Membership.Role.AUTHOR, organisation=assessment.organisation, username="camille")
    tab_b = client.__class__()
    client.force_login(author)
    tab_b.force_login(colleague)
    save_step(client, assessment, "project", {"project.name": "Tram cameras", "project.summary": "Cameras."})
    opened_by_b = step_post_data(assessment, "project", {"project.summary": "Twelve cameras at four stops.",
                                                         "project.locations": "Four tram stops."})
    save_step(client, assessment, "project", {"project.name": "Tram and bus cameras",
                                              "project.summary": "Ten cameras."})
    response = tab_b.post(step_url(assessment, "project"), opened_by_b)
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this section first" in page
    table = page[page.index("<table"):page.index("</table>")]
    assert "Ten cameras." in table and "Twelve cameras at four stops." in table
    assert "Name of the project" not in table and "Tram and bus cameras" not in table
    assessment.refresh_from_db()
    assert assessment.answers["project.summary"] == "Ten cameras."  # nothing written yet
    # The form holds A's name, B's locations and B's summary; B keeps it and saves.
    form = page[page.index("wizard-form"):]
    assert 'value="Tram and bus cameras"' in form and "Four tram stops." in form
    again = step_post_data(assessment, "project", {"project.summary": "Twelve cameras at four stops.",
                                                   "project.locations": "Four tram stops."})
    assert tab_b.post(step_url(assessment, "project"), again).status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["project.name"] == "Tram and bus cameras"
    assert assessment.answers["project.summary"] == "Twelve cameras at four stops."
    assert assessment.answers["project.locations"] == "Four tram stops."


def test_the_necessity_step_proposes_the_alternatives_a_regulator_will_ask_about(logged_in, assessment):
    save_step(logged_in, assessment, "project", {"project.technologies": ["live_facial_recognition"]})
    page = logged_in.get(step_url(assessment, "necessity")).content.decode()
    assert "Alternatives a regulator will ask about for this project" in page
    proposed = relevant_alternatives({"project.technologies": ["live_facial_recognition"]}, default_bank())
    assert proposed and all(entry.label.en in page for entry in proposed)
    other_step = logged_in.get(step_url(assessment, "rights")).content.decode()
    assert "Alternatives a regulator will ask about" not in other_step


@pytest.mark.parametrize("field, value", [("revision", "abc"), ("revision", "-5")])
def test_an_altered_hidden_field_gets_a_plain_message_and_saves_nothing(logged_in, assessment, field, value):
    data = step_post_data(assessment, "screening", {"screening.jurisdiction": "be"})
    data[f"screening-{field}"] = [value]
    response = logged_in.post(step_url(assessment, "screening"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The page was altered or is out of date; nothing was saved." in page
    assert "<li>: " not in page and '<a href="#id_screening-revision">' not in page
    assessment.refresh_from_db()
    assert "screening.jurisdiction" not in assessment.answers


def test_an_altered_hidden_field_kept_on_leaving_does_not_lock_the_step(logged_in, assessment):
    # Save and leave keeps what was typed even when it does not validate; an altered revision kept as sent would
    # refuse every later save of the step. It is put back as stored, and the next save goes through.
    data = step_post_data(assessment, "project", {"project.name": "Tram cameras"})
    data["project-revision"] = ["abc"]
    data["save_and_leave"] = ["1"]
    logged_in.post(step_url(assessment, "project"), data)
    assessment.refresh_from_db()
    assert assessment.pending_steps["project"]["project-revision"] == [str(assessment.revision)]
    page = logged_in.get(step_url(assessment, "project")).content.decode()
    assert 'value="abc"' not in page
    response = logged_in.post(step_url(assessment, "project"),
                              step_post_data(assessment, "project", {"project.name": "Tram cameras"}))
    assert "The page was altered" not in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers.get("project.name") == "Tram cameras"
