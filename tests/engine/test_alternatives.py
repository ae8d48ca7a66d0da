"""The catalogue of less intrusive alternatives (questionbank/alternatives.toml), the entries the
wizard proposes for a project, and the rule that lists those not weighed."""

import datetime as dt

import pytest

from dpia.engine import alternatives, assess, regime
from dpia.engine.bank import default_bank
from dpia.engine.conditions import AllOf, AnyOf, Compare, Not
from dpia.engine.context import Context

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)
RULE = "necessity.catalogued_alternatives_not_weighed"

CITY = {"key": "s1", "name": "Cameras", "controller_kind": "city_administration", "purpose_kind": "other"}
CITY_BIO = {**CITY, "data_categories": ["biometric_identification"], "data_subjects": ["general_public"]}


def relevant(answers):
    return [entry.id for entry in alternatives.relevant_alternatives(answers, BANK)]


def weighed(*entries):
    return [{"key": f"a{i}", "catalogue_entry": entry, "alternative": entry, "less_intrusive": "yes",
             "effective_enough": "no", "why_rejected": "Tried for a year; incidents did not fall (report attached)."}
            for i, entry in enumerate(entries)]


def hits(answers):
    ctx = Context(answers, BANK, today=TODAY)
    ctx.streams = regime.streams_of(ctx)
    return list(alternatives.RULES[RULE](ctx))


def compares(condition):
    if isinstance(condition, Compare):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for child in condition.conditions:
            yield from compares(child)
    elif isinstance(condition, Not):
        yield from compares(condition.condition)


# ---------------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------------

def test_the_catalogue_has_at_least_fifteen_cited_bilingual_entries():
    assert len(BANK.alternatives) >= 15
    for entry in BANK.alternatives.values():
        assert entry.citations, entry.id
        for text in (entry.label, entry.description):
            assert text.en.strip() and text.fr.strip(), entry.id
        assert entry.when is not None, entry.id


def test_labels_are_distinct():
    labels = [e.label.en for e in BANK.alternatives.values()]
    assert len(labels) == len(set(labels))
    labels_fr = [e.label.fr for e in BANK.alternatives.values()]
    assert len(labels_fr) == len(set(labels_fr))


@pytest.mark.parametrize("entry", list(BANK.alternatives.values()), ids=list(BANK.alternatives))
def test_each_condition_reads_real_questions_and_choices(entry):
    for compare in compares(entry.when):
        question = BANK.questions.get(compare.question)
        assert question is not None, f"{entry.id}: unknown question {compare.question}"
        if compare.field is not None:
            question = question.field(compare.field)
            assert question is not None, f"{entry.id}: unknown field {compare.field}"
        allowed = question.choice_values()
        values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
        if allowed and compare.operator in ("equals", "in", "includes", "includes_any"):
            assert set(values) <= set(allowed), f"{entry.id}: {set(values) - set(allowed)} not choices"


def test_every_entry_is_relevant_to_some_project():
    """No dead entry: a project that uses everything is proposed the whole catalogue."""
    technologies = list(BANK.question("project.technologies").choice_values())
    places = list(BANK.question("project.places").choice_values())
    everything = {
        "project.technologies": technologies, "project.places": places, "project.operation": "continuous",
        "streams.list": [
            {**CITY, "purpose_kind": "crime_prevention", "data_categories": ["biometric_identification",
                                                                              "licence_plates", "risk_scores"],
             "sources": ["social_media", "private_cameras"], "retention_days": 30},
            {**CITY, "key": "s2", "purpose_kind": "cybersecurity"},
            {**CITY, "key": "s3", "purpose_kind": "traffic_management"},
        ],
    }
    assert set(relevant(everything)) == set(BANK.alternatives)


def test_each_alternative_weighed_can_name_its_catalogue_entry():
    # The first field names the row (the wizard asks it of every row); the catalogue entry is optional.
    field = BANK.question("necessity.alternatives").field("catalogue_entry")
    assert BANK.question("necessity.alternatives").fields[0].id == "alternative"
    assert field.type == "single_choice" and not field.required
    assert [c.value for c in field.choices] == list(BANK.alternatives)
    assert field.label.en and field.label.fr


# ---------------------------------------------------------------------------------------------
# What the wizard proposes
# ---------------------------------------------------------------------------------------------

def test_nothing_is_proposed_before_the_project_is_described():
    assert relevant({}) == []


def test_number_plate_reading_brings_the_plate_alternatives():
    proposed = relevant({"project.technologies": ["anpr"]})
    assert {"hit_list_without_storing_non_hits", "fewer_devices_and_masking", "targeted_patrols"} <= set(proposed)
    assert "badges_or_staff_instead_of_faces" not in proposed
    assert "targeted_investigation" not in proposed


def test_traffic_counters_are_asked_about_only_where_plates_serve_traffic_or_statistics():
    anpr = {"project.technologies": ["anpr"]}
    police = {**CITY, "controller_kind": "state_police", "purpose_kind": "crime_investigation"}
    assert "aggregate_traffic_sensors" not in relevant({**anpr, "streams.list": [police]})
    traffic = {**CITY, "purpose_kind": "traffic_management"}
    assert "aggregate_traffic_sensors" in relevant({**anpr, "streams.list": [traffic]})


def test_mediation_is_asked_about_where_public_space_is_watched_against_disorder():
    prevention = {"streams.list": [{**CITY, "controller_kind": "state_police", "purpose_kind": "crime_prevention"}]}
    assert "social_mediation" in relevant({**prevention, "project.technologies": ["cctv"]})
    assert "social_mediation" not in relevant({**prevention, "project.technologies": ["anpr"]})


def test_facial_recognition_brings_badges_and_detection_without_identification():
    proposed = relevant({"project.technologies": ["live_facial_recognition"]})
    assert {"badges_or_staff_instead_of_faces", "detection_without_identification", "cameras_without_analytics",
            "targeted_patrols"} <= set(proposed)
    assert "hit_list_without_storing_non_hits" not in proposed


def test_after_the_event_face_search_brings_the_manual_search_per_case():
    proposed = relevant({"project.technologies": ["post_facial_recognition"]})
    assert "manual_search_per_case" in proposed
    assert "badges_or_staff_instead_of_faces" not in proposed  # no live identification, no biometric stream


def test_social_media_and_prediction_bring_their_own_alternatives():
    assert "targeted_investigation" in relevant({"project.technologies": ["social_media_monitoring"]})
    assert "place_based_analysis" in relevant({"project.technologies": ["predictive_algorithms"]})
    assert "existing_reporting_channels" in relevant({"project.technologies": ["citizen_reporting_app"]})


def test_places_hours_and_retention_refine_the_proposals():
    cameras = {"project.technologies": ["cctv"]}
    assert "lighting_and_urban_design" not in relevant(cameras)
    assert "lighting_and_urban_design" in relevant({**cameras, "project.places": ["public_streets"]})
    assert "problem_hours_only" in relevant({**cameras, "project.operation": "continuous"})
    assert "problem_hours_only" not in relevant({**cameras, "project.operation": "on_demand"})
    assert "shorter_retention" in relevant({**cameras, "streams.list": [{**CITY, "retention_days": 30}]})
    assert "shorter_retention" not in relevant({**cameras, "streams.list": [{**CITY, "retention_days": 3}]})


def test_a_biometric_stream_brings_badges_even_without_the_technology_ticked():
    assert "badges_or_staff_instead_of_faces" in relevant({"streams.list": [CITY_BIO]})


# ---------------------------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------------------------

def test_the_rule_lists_every_relevant_entry_not_weighed_in_one_finding():
    answers = {"project.technologies": ["anpr"]}
    fired = hits(answers)
    assert len(fired) == 1
    hit = fired[0]
    assert hit.answers == ("necessity.alternatives", "project.technologies")
    assert hit.params["count"] == len(relevant(answers))
    for entry in alternatives.relevant_alternatives(answers, BANK):
        assert entry.label.en in hit.params["missing"] and entry.label.fr in hit.params["missing_fr"]


def test_a_weighed_entry_stops_counting():
    answers = {"project.technologies": ["anpr"]}
    before = hits(answers)[0]
    after = hits({**answers, "necessity.alternatives": weighed("hit_list_without_storing_non_hits")})[0]
    label = BANK.alternatives["hit_list_without_storing_non_hits"].label
    assert label.en in before.params["missing"] and label.en not in after.params["missing"]
    assert after.params["count"] == before.params["count"] - 1


def test_an_alternative_of_ones_own_does_not_count_for_a_catalogue_entry():
    answers = {"project.technologies": ["body_cameras"],
               "necessity.alternatives": [{"key": "a", "alternative": "Cameras on only during incidents"}]}
    assert hits(answers)


def test_the_rule_is_quiet_when_every_relevant_entry_is_weighed():
    answers = {"project.technologies": ["anpr"]}
    assert hits({**answers, "necessity.alternatives": weighed(*relevant(answers))}) == []


def test_the_rule_is_quiet_until_the_technologies_are_described():
    assert hits({"streams.list": [CITY_BIO]}) == []
    assert hits({"project.technologies": ["other"]}) == []  # nothing in the catalogue is relevant


def test_the_gap_weighs_more_on_a_serious_interference():
    light = {"project.technologies": ["cctv"], "streams.list": [CITY]}
    serious = {"project.technologies": ["cctv"], "streams.list": [CITY_BIO]}

    def severity(answers):
        found = [f for f in assess(answers, BANK, today=TODAY).findings if f.id == RULE]
        assert len(found) == 1
        return found[0].level, found[0].severity

    most_serious = {"project.technologies": ["live_facial_recognition"],
                    "streams.list": [{**CITY_BIO, "data_subjects": ["general_public", "protesters"]}]}
    assert severity(light) == ("light", "info")
    assert severity(serious) == ("serious", "minor")
    assert severity(most_serious) == ("most_serious", "major")


def test_the_finding_reads_in_both_languages():
    found = next(f for f in assess({"project.technologies": ["drones"]}, BANK, today=TODAY).findings if f.id == RULE)
    assert "Officers on the ground" in found.explanation.en
    assert "Agents sur le terrain" in found.explanation.fr
    assert "{" not in found.explanation.en + found.explanation.fr + found.resolution.en + found.resolution.fr


def test_the_wizard_proposals_mark_the_entries_already_weighed():
    answers = {"project.technologies": ["live_facial_recognition"]}
    first = alternatives.relevant_alternatives(answers, BANK)[0]
    weighed = {**answers, "necessity.alternatives": [{"key": "a", "alternative": first.label.en,
                                                       "catalogue_entry": first.id}]}
    marks = dict((entry.id, done) for entry, done in alternatives.proposals(weighed, BANK))
    assert marks[first.id] is True and not any(done for entry_id, done in marks.items() if entry_id != first.id)
