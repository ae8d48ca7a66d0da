"""Seriousness of the interference: levels from cited factors, and severities that follow them."""

import datetime as dt
import re
import shutil

import pytest

from dpia.engine import assess, context_for
from dpia.engine.bank import DEFAULT_BANK_DIR, BankError, default_bank, load_bank
from dpia.engine.conditions import Not

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)


def stream(**fields):
    return {"key": "s1", "name": "Cameras", "controller_kind": "city_administration",
            "purpose_kind": "public_services", **fields}


def level(answers, evidence=()):
    return context_for(answers, BANK, today=TODAY, evidence=evidence).seriousness[0]


COUNTER = stream(data_categories=["identifiable_images"], data_subjects=["general_public"], retention_days=0)
CCTV = stream(data_categories=["identifiable_images"], data_subjects=["general_public"], retention_days=15)
LFR = stream(controller_kind="state_police", purpose_kind="crime_prevention",
             data_categories=["identifiable_images", "biometric_identification"], data_subjects=["general_public"],
             retention_days=1)
ANPR_KEEPS_ALL = stream(controller_kind="state_police", purpose_kind="crime_prevention",
                        data_categories=["licence_plates", "location"], data_subjects=["drivers"],
                        retention_days=365)


def test_levels_rise_with_the_interference():
    assert level({"streams.list": [COUNTER]}).level == "light"
    assert level({"streams.list": [CCTV], "project.duration": "permanent",
                  "project.operation": "continuous"}).level == "moderate"
    assert level({"streams.list": [ANPR_KEEPS_ALL]}).level == "serious"
    assert level({"streams.list": [LFR], "project.technologies": ["live_facial_recognition"]}).level == "most_serious"


def test_the_result_names_the_factors_that_raised_and_lowered_it_with_citations():
    result = level({"streams.list": [ANPR_KEEPS_ALL]})
    raised = {f.id for f in result.raised}
    assert {"movements", "everyone", "long_retention", "very_long_retention", "movements_of_everyone_kept"} <= raised
    assert all(f.citations for f in result.raised)
    short = level({"streams.list": [{**CCTV, "retention_days": 3, "data_subjects": ["suspects"]}]})
    assert {"short_retention", "targeted_people_only"} <= {f.id for f in short.lowered}


def test_children_among_suspects_stay_targeted_but_children_alone_do_not():
    # "Children" describes the suspects here (a trait), it does not add a group: the measure stays targeted
    # and the children's factor weighs on its own, once.
    adults = level({"streams.list": [{**CCTV, "data_subjects": ["suspects"]}]})
    minors = level({"streams.list": [{**CCTV, "data_subjects": ["suspects", "minors"]}]})
    assert "targeted_people_only" in {f.id for f in minors.lowered}
    assert minors.points == adults.points + 1
    pupils = level({"streams.list": [{**CCTV, "data_subjects": ["minors"]}]})
    assert "targeted_people_only" not in {f.id for f in pupils.lowered}
    staff = level({"streams.list": [{**CCTV, "data_subjects": ["suspects", "employees"]}]})
    assert "targeted_people_only" not in {f.id for f in staff.lowered}


def test_the_targeted_factor_sorts_every_category_of_people():
    """Each category is a targeted role, a role that is not targeted, or a trait (context.TRAITS) that the
    factor leaves aside: a category added to the questionnaire must be sorted here too."""
    from dpia.engine.context import TRAITS
    factor = next(f for f in BANK.seriousness.factors if f.id == "targeted_people_only")
    targeted, others = factor.when.conditions[0].value, factor.when.conditions[1].condition.value
    choices = {c.value for c in BANK.questions["streams.list"].field("data_subjects").choices}
    assert set(targeted) | set(others) | TRAITS == choices
    assert not (set(targeted) & set(others)) and not (set(targeted) | set(others)) & TRAITS


def test_keeping_the_movements_of_everyone_is_serious_whatever_else():
    # A single, quiet stream: few points, but the movements of all drivers are kept for months.
    result = level({"streams.list": [stream(data_categories=["licence_plates"], data_subjects=["drivers"],
                                            retention_days=90)], "project.technologies": ["anpr"]})
    assert result.level == "serious"
    assert any(f.at_least == "serious" for f in result.raised)


def test_a_phone_number_in_a_subscriber_register_is_identity_data_not_movements():
    """The same identifiers kept for everyone: read by sensors where people pass they trace movements;
    held in a register of customers they are civil identity data, the least serious kind."""
    register = {"streams.list": [stream(data_categories=["identity_contact", "device_identifiers"],
                                        data_subjects=["general_public"], retention_days=730)],
                "project.technologies": ["other"]}
    sensed = {**register, "project.technologies": ["wifi_tracking"]}
    assert not {"movements", "movements_of_everyone_kept"} & {f.id for f in level(register).raised}
    assert {"movements", "movements_of_everyone_kept"} <= {f.id for f in level(sensed).raised}
    assert level(sensed).level == "serious"
    found = {f.id for f in assess(register, BANK, today=TODAY).findings}
    assert "proportionality.movements_of_everyone_retained" not in found
    found = {f.id for f in assess(sensed, BANK, today=TODAY).findings}
    assert "proportionality.movements_of_everyone_retained" in found


def test_a_register_of_civil_identity_kept_on_everyone_is_at_most_moderate_however_wide_and_hidden():
    """Who holds a line, kept for the whole country and consulted without the holder knowing, is still not a
    serious interference for the Court of Justice; add one photograph or one offence record and it can be."""
    register = {"streams.list": [stream(data_categories=["identity_contact", "device_identifiers"],
                                        data_subjects=["general_public"], retention_days=730,
                                        sources=["commercial_providers"])],
                "project.technologies": ["other"], "project.area": "several_cities", "project.duration": "permanent",
                "project.operation": "continuous", "rights.information_layers": ["none"]}
    result = level(register)
    assert result.points >= 7 and result.level == "moderate"
    assert "civil_identity_only" in {f.id for f in result.lowered}
    # Lower, but still personal data: unlike verified anonymisation, it does not take the register outside the law.
    assert not context_for(register, BANK, today=TODAY).anonymous_at_source
    # Plates alone, or a register whose technology is not described, are not capped as identity data.
    plates = {**register, "streams.list": [{**register["streams.list"][0], "data_categories": ["licence_plates"]}]}
    assert "civil_identity_only" not in {f.id for f in level(plates).lowered}
    unsaid = {k: v for k, v in register.items() if k != "project.technologies"}
    assert "civil_identity_only" not in {f.id for f in level(unsaid).lowered}
    with_photos = {**register, "streams.list": [{**register["streams.list"][0],
                                                 "data_categories": ["identity_contact", "identifiable_images"]}]}
    assert level(with_photos).level == "serious"
    assert "civil_identity_only" not in {f.id for f in level(with_photos).lowered}


def test_the_civil_identity_ceiling_excludes_every_data_category_but_identity_and_register_identifiers():
    """The ceiling lists the categories it excludes: a category added to the bank must be excluded too (or
    argued to be identity data), or it would be capped at moderate unseen."""
    factor = next(f for f in BANK.seriousness.factors if f.id == "civil_identity_only")
    excluded = next(c.condition.value for c in factor.when.conditions
                    if isinstance(c, Not) and c.condition.field == "data_categories")
    field = next(f for f in BANK.question("streams.list").fields if f.id == "data_categories")
    assert set(excluded) == {c.value for c in field.choices} - {"identity_contact", "device_identifiers",
                                                                "licence_plates"}


def test_only_the_verified_anonymisation_factor_takes_a_stream_outside_the_law():
    from dpia.engine.seriousness import ANONYMISED_AT_SOURCE
    factor = next(f for f in BANK.seriousness.factors if f.id == ANONYMISED_AT_SOURCE)
    assert factor.at_most == "light" and factor.requires_evidence


def test_anonymisation_at_the_source_lowers_the_level_only_with_evidence():
    answers = {"streams.list": [{**CCTV, "retention_days": 0}], "project.area": "city_wide",
               "streams.anonymisation_claim": "yes", "streams.anonymisation_output": "counts_only",
               "streams.anonymisation_raw_data": "in_memory_only",
               "streams.anonymisation_tested": "independent_test"}
    assert level(answers, ["streams.anonymisation_method"]).level == "light"
    assert "anonymised_at_source" not in {f.id for f in level(answers).lowered}


GENERAL_POWER = {"legality.instrument_kind": {"s1": "statute"},
                 "legality.provision_specificity": {"s1": "general_competence_only"}}


def severity(rule_id, answers):
    found = [f for f in assess(answers, BANK, today=TODAY).findings if f.id == rule_id]
    assert found, f"{rule_id} did not fire"
    return found[0].severity, found[0].level


def test_the_same_gap_weighs_differently_at_different_levels():
    light = {"streams.list": [COUNTER], **GENERAL_POWER}
    moderate = {"streams.list": [CCTV], "project.duration": "permanent", "project.operation": "continuous",
                **GENERAL_POWER}
    serious = {"streams.list": [ANPR_KEEPS_ALL], **GENERAL_POWER}
    assert severity("legality.general_competence_only", light) == ("minor", "light")
    assert severity("legality.general_competence_only", moderate) == ("blocker", "moderate")
    assert severity("legality.general_competence_only", serious) == ("blocker", "serious")


def test_a_law_made_for_this_kind_of_processing_but_silent_on_its_details_carries_a_moderate_interference():
    """Moderate demands a law that provides for this kind of processing; who, where, when, which data
    and how long are demanded of the law from serious on."""
    silent = {"legality.instrument_kind": {"s1": "statute"},
              "legality.provision_specificity": {"s1": "general_surveillance_power"},
              "legality.law_specifies": {"s1": ["oversight"]}}
    moderate = {"streams.list": [CCTV], "project.duration": "permanent", "project.operation": "continuous", **silent}
    serious = {"streams.list": [ANPR_KEEPS_ALL], **silent}
    assert severity("legality.law_specifies_nothing", moderate) == ("major", "moderate")
    assert severity("legality.law_specifies_nothing", serious) == ("blocker", "serious")


def test_ordinary_cameras_at_places_of_freedoms_without_limits_are_a_condition():
    """Watching a school or a demonstration raises even plain cameras to a moderate interference, at which
    having no limit there is a condition to meet, not a note (a court required cameras to pause during assemblies)."""
    no_limits = {"project.places": ["schools"], "proportionality.sensitive_places_limits": ["none"]}
    plain = {"streams.list": [CCTV], "project.duration": "permanent", "project.operation": "continuous", **no_limits}
    assert severity("proportionality.sensitive_places_without_limits", plain) == ("major", "moderate")
    assert BANK.severity_of("proportionality.sensitive_places_without_limits", "light", eu_law=True) == "minor"


def test_a_rule_with_a_fixed_severity_weighs_the_same_everywhere():
    for answers in ({"streams.list": [COUNTER]}, {"streams.list": [ANPR_KEEPS_ALL]}):
        answers = {**answers, "legality.instrument_kind": {"s1": "none"}}
        assert severity("legality.no_law", answers) == ("blocker", None)


def test_the_independent_authorisation_demand_only_binds_the_most_serious():
    internal = {"legality.prior_authorisation": {"s1": "internal_only"}}
    assert severity("legality.no_prior_independent_authorisation",
                    {"streams.list": [ANPR_KEEPS_ALL], **internal})[0] == "minor"
    assert severity("legality.no_prior_independent_authorisation",
                    {"streams.list": [LFR], "project.technologies": ["live_facial_recognition"], **internal})[0] \
        == "blocker"


def test_profiles_must_cover_every_level_and_never_soften(tmp_path):
    shutil.copytree(DEFAULT_BANK_DIR, tmp_path / "bank")
    path = tmp_path / "bank" / "seriousness.toml"
    text = path.read_text()
    first_profile = re.search(r"severities = \{[^}]*\}", text).group(0)
    path.write_text(text.replace(first_profile,
                                 'severities = { light = "blocker", moderate = "minor", serious = "major" }', 1))
    with pytest.raises(BankError) as error:
        load_bank(tmp_path / "bank")
    message = str(error.value)
    assert "give a severity for each level" in message and "may not fall" in message


def test_a_demand_of_eu_law_alone_weighs_less_where_eu_law_does_not_apply():
    """Prior independent authorisation of live facial recognition comes from the Court of Justice and the
    AI Act: a blocker in the Union, a major gap under a national law on the GDPR/LED model outside it."""
    answers = {"streams.list": [LFR], "project.technologies": ["live_facial_recognition"],
               "legality.prior_authorisation": {"s1": "internal_only"}}
    assert severity("legality.no_prior_independent_authorisation",
                    {**answers, "screening.jurisdiction": "fr"})[0] == "blocker"
    assert severity("legality.no_prior_independent_authorisation",
                    {**answers, "screening.jurisdiction": "gb"})[0] == "major"


@pytest.mark.parametrize(("variant", "as_given"), [("outside_eu_law", '{ most_serious = "major" }'),
                                                  ("while_drafting", '{ serious = "major" }'),
                                                  ("for_targeted", '{ serious = "major" }')])
def test_a_profile_variant_may_only_lighten_its_severities(tmp_path, variant, as_given):
    shutil.copytree(DEFAULT_BANK_DIR, tmp_path / "bank")
    path = tmp_path / "bank" / "seriousness.toml"
    path.write_text(path.read_text().replace(f"{variant} = {as_given}", f'{variant} = {{ light = "blocker" }}', 1))
    with pytest.raises(BankError, match=f"{variant}: may only lighten"):
        load_bank(tmp_path / "bank")


def test_a_gap_in_a_draft_law_is_a_condition_on_its_drafting_short_of_the_most_serious():
    """GDPR Art. 36(4), LED Art. 28(2): the authority is consulted on the draft, and what the text lacks
    can still be added to it."""
    general = {"legality.instrument_kind": {"s1": "statute"},
               "legality.provision_specificity": {"s1": "general_surveillance_power"},
               "legality.law_specifies": {"s1": ["purposes_objectives", "retention"]}}
    in_force = {"streams.list": [ANPR_KEEPS_ALL], **general, "legality.provision_status": {"s1": "in_force"}}
    draft = {**in_force, "legality.provision_status": {"s1": "draft"}}
    assert severity("legality.law_scope_open", in_force) == ("blocker", "serious")
    assert severity("legality.law_scope_open", draft) == ("major", "serious")
    condition = next(f for f in assess(draft, BANK, today=TODAY).findings if f.id == "legality.law_scope_open")
    assert "still a draft" in condition.resolution.en and "projet" in condition.resolution.fr
    lfr = {"streams.list": [LFR], "project.technologies": ["live_facial_recognition"], **general,
           "legality.provision_status": {"s1": "draft"}}
    assert severity("legality.law_scope_open", lfr) == ("blocker", "most_serious")


def test_each_stream_is_judged_under_its_own_text_draft_or_in_force():
    general = {"instrument_kind": "statute", "provision_specificity": "general_surveillance_power",
               "law_specifies": ["purposes_objectives", "retention"]}
    plates = {**ANPR_KEEPS_ALL, "key": "plates", "name": "Plates"}
    other = {**ANPR_KEEPS_ALL, "key": "other", "name": "Other plates"}
    answers = {"streams.list": [plates, other],
               **{f"legality.{q}": {"plates": v, "other": v} for q, v in general.items()},
               "legality.provision_status": {"plates": "in_force", "other": "draft"}}
    found = {f.stream: f for f in assess(answers, BANK, today=TODAY).findings if f.id == "legality.law_scope_open"}
    assert found["plates"].severity == "blocker" and found["other"].severity == "major"
    assert "draft" not in found["plates"].resolution.en
    # The lightened finding cites the consultation on drafts and says what to do with the draft.
    assert ("GDPR", "36", "4") in {(c.act, c.article, c.paragraph) for c in found["other"].citations}
    assert "still a draft" in found["other"].resolution.en


def test_outside_eu_law_and_drafting_each_lighten_and_the_lightest_applies():
    profile = BANK.seriousness.profiles["independent_authorisation"]
    assert profile.severity("most_serious") == "blocker"
    assert profile.severity("most_serious", eu_law=False) == "major"
    assert profile.severity("most_serious", eu_law=False, drafting=True) == "major"
    precision = BANK.seriousness.profiles["law_precision"]
    assert precision.severity("serious", drafting=True) == "major"
    assert precision.severity("most_serious", eu_law=False, drafting=True) == "blocker"


def test_each_stream_is_weighed_on_the_technologies_it_uses():
    # A police project identifies faces live at one place and reads plates for traffic at another.
    faces = {**LFR, "key": "faces", "technologies": ["live_facial_recognition"]}
    traffic = stream(key="traffic", purpose_kind="traffic_management", data_categories=["identifiable_images"],
                     data_subjects=["drivers"], retention_days=3, technologies=["anpr"])
    answers = {"streams.list": [faces, traffic], "project.technologies": ["live_facial_recognition", "anpr"]}
    by_stream = {s.stream: s for s in context_for(answers, BANK, today=TODAY).seriousness}
    assert by_stream["faces"].level == "most_serious"
    assert "live_identification" in {f.id for f in by_stream["faces"].raised}
    assert "live_identification" not in {f.id for f in by_stream["traffic"].raised}
    assert by_stream["traffic"].level != "most_serious"
    # A stream that names none uses all of the project's technologies.
    unnamed = {**traffic, "technologies": []}
    answers = {"streams.list": [faces, unnamed], "project.technologies": ["live_facial_recognition", "anpr"]}
    by_stream = {s.stream: s for s in context_for(answers, BANK, today=TODAY).seriousness}
    assert "live_identification" in {f.id for f in by_stream["traffic"].raised}


def test_a_streams_technologies_are_chosen_from_the_projects_list():
    field = next(f for f in BANK.question("streams.list").fields if f.id == "technologies")
    assert field.choice_values() == BANK.question("project.technologies").choice_values()


# Forensic staff compare the still of an unknown suspect with the police's own photograph register, one
# investigation at a time, under the general police-data law.
RETROSPECTIVE_SEARCH = stream(controller_kind="state_police", purpose_kind="crime_investigation",
                              data_categories=["identifiable_images", "biometric_identification"],
                              data_subjects=["suspects"], sources=["police_databases"])
GENERAL_POLICE_LAW = {"legality.instrument_kind": {"s1": "statute"},
                      "legality.provision_specificity": {"s1": "general_competence_only"},
                      "legality.law_specifies": {"s1": ["purposes_objectives"]},
                      "legality.led_strict_necessity_assessment": {"s1": "case_by_case"},
                      "project.technologies": ["post_facial_recognition"]}


def test_a_targeted_measure_on_a_general_law_is_a_condition_where_a_general_one_is_barred():
    """CJEU C-205/21, La Quadrature du Net: a measure reaching only suspects, on the authority's own files,
    decided case by case, is the opposite of general surveillance; the gaps of the law become conditions."""
    targeted = {"streams.list": [RETROSPECTIVE_SEARCH], **GENERAL_POLICE_LAW}
    assert severity("legality.general_competence_only", targeted) == ("major", "serious")
    assert severity("legality.law_specifies_nothing", targeted) == ("major", "serious")
    found = next(f for f in assess(targeted, BANK, today=TODAY).findings if f.id == "legality.law_specifies_nothing")
    assert "targeted" in found.resolution.en and "ciblée" in found.resolution.fr
    assert "CJEU C-205/21" in {c.act for c in found.citations}
    # The same search run on everyone in the footage, or decided wholesale, or on scraped images: barred.
    for widened in ({**RETROSPECTIVE_SEARCH, "data_subjects": ["suspects", "general_public"]},
                    {**RETROSPECTIVE_SEARCH, "sources": ["police_databases", "open_sources"]}):
        assert severity("legality.general_competence_only", {**targeted, "streams.list": [widened]})[0] == "blocker"
    wholesale = {**targeted, "legality.led_strict_necessity_assessment": {"s1": "systematic"}}
    assert severity("legality.general_competence_only", wholesale)[0] == "blocker"
    general = next(f for f in assess(wholesale, BANK, today=TODAY).findings if f.id == "legality.law_specifies_nothing")
    assert "targeted" not in general.resolution.en


def test_a_targeted_measure_stays_targeted_for_minor_suspects_and_victims_but_not_for_associates():
    """"Minors" ticked beside "suspects" says how old the suspects are, not that others are reached; the
    victims of the offence are singled out by the case as the suspects are, but victims alone (a register of
    people at risk) are not a targeted measure; contacts and associates widen the circle to people with no link
    of their own."""
    targeted = {"streams.list": [RETROSPECTIVE_SEARCH], **GENERAL_POLICE_LAW}
    for subjects in (["suspects", "minors"], ["suspects", "vulnerable_people"], ["suspects", "victims"]):
        case = {**targeted, "streams.list": [{**RETROSPECTIVE_SEARCH, "data_subjects": subjects}]}
        assert severity("legality.general_competence_only", case) == ("major", "serious"), subjects
    for subjects in (["suspects", "witnesses_contacts"], ["minors"], ["minors", "general_public"], ["victims"],
                     ["victims", "minors"]):
        case = {**targeted, "streams.list": [{**RETROSPECTIVE_SEARCH, "data_subjects": subjects}]}
        assert severity("legality.general_competence_only", case)[0] == "blocker", subjects


def test_a_targeted_measure_at_the_most_serious_level_still_needs_its_own_law():
    precision = BANK.seriousness.profiles["law_precision"]
    assert precision.severity("serious", targeted=True) == "major"
    assert precision.severity("most_serious", targeted=True) == "blocker"
    assert BANK.seriousness.profiles["law_for_this_kind"].severity("moderate", targeted=True) == "major"


def test_movements_kept_under_a_law_made_for_an_experiment_are_a_condition_up_to_six_months():
    """A law made for a time-limited criminal-law measure sets the period itself: what remains is to prove
    it; without such a law, or beyond six months, keeping everyone's movements stays a bar."""
    plates = {**stream(controller_kind="state_police", purpose_kind="crime_prevention",
                       data_categories=["licence_plates"], data_subjects=["drivers"], retention_days=120),
              "retention_fixed": "by_law"}
    law = {"legality.instrument_kind": {"s1": "statute"},
           "legality.provision_specificity": {"s1": "specific_to_this_processing"},
           "legality.law_specifies": {"s1": ["purposes_objectives", "which_data", "retention"]},
           "legality.led_task_necessity": {"s1": "yes"}}
    experiment = {"streams.list": [plates], **law, "project.duration": "pilot", "project.technologies": ["anpr"]}
    ids = {f.id: f.severity for f in assess(experiment, BANK, today=TODAY).findings}
    assert ids.get("proportionality.movements_retention_to_be_proven") == "major"
    assert "proportionality.movements_of_everyone_retained" not in ids
    for barred in ({**experiment, "project.duration": "permanent"},
                   {**experiment, "streams.list": [{**plates, "retention_days": 365}]},
                   {**experiment, "streams.list": [{**plates, "retention_fixed": "by_controller"}]},
                   {**experiment, "legality.provision_specificity": {"s1": "general_surveillance_power"}}):
        ids = {f.id: f.severity for f in assess(barred, BANK, today=TODAY).findings}
        assert ids.get("proportionality.movements_of_everyone_retained") == "blocker"
        assert "proportionality.movements_retention_to_be_proven" not in ids


# The police follow a person covertly: a tracker on their car and their phone calls.
TRACKER = stream(controller_kind="state_police", purpose_kind="crime_prevention",
                 data_categories=["location", "communications_content"], data_subjects=["suspects"],
                 sources=["own_sensors"], retention_days=180)
COVERT = {"proportionality.intrusiveness_factors": ["covert"]}


def fired(answers, rule_id="legitimate_aim.covert_measure_for_any_offence"):
    return [f for f in assess(answers, BANK, today=TODAY).findings if f.id == rule_id]


def test_covert_tracking_allowed_for_any_offence_is_barred_when_serious_and_only_noted_when_lighter():
    """CJEU Ministerio Fiscal: only a serious interference requires the fight against serious crime."""
    serious = {"streams.list": [TRACKER], **COVERT, "legality.offences_served": {"s1": "any_offence"}}
    assert severity("legitimate_aim.covert_measure_for_any_offence", serious) == ("blocker", "serious")
    # The tracker alone, without the calls: a moderate interference, which offences in general can justify.
    lighter = {**serious, "streams.list": [{**TRACKER, "data_categories": ["location"]}]}
    assert severity("legitimate_aim.covert_measure_for_any_offence", lighter) == ("info", "moderate")


def test_covert_tracking_limited_to_serious_offences_or_unanswered_is_not_faulted_on_its_aim():
    base = {"streams.list": [TRACKER], **COVERT}
    for answer in ("serious_offences", "unknown", None):
        answers = {**base, "legality.offences_served": {"s1": answer}} if answer else base
        assert not fired(answers), answer


def test_cameras_watching_everyone_for_any_offence_are_not_covert_observation_of_a_person():
    crowd = {**TRACKER, "data_subjects": ["general_public"], "data_categories": ["identifiable_images"]}
    assert not fired({"streams.list": [crowd], **COVERT, "legality.offences_served": {"s1": "any_offence"}})
    # An overt tracker is not covert observation (an electronic tag, for instance).
    assert not fired({"streams.list": [TRACKER], "legality.offences_served": {"s1": "any_offence"}})
    # Hidden cameras on staff watch a group, not a person singled out for an offence.
    staff = {**TRACKER, "data_subjects": ["employees"], "data_categories": ["identifiable_images"]}
    assert not fired({"streams.list": [staff], **COVERT, "legality.offences_served": {"s1": "any_offence"}})


def test_the_offences_question_is_asked_only_for_criminal_law_purposes():
    question = BANK.question("legality.offences_served")
    assert BANK.question_applies(question, {"streams.list": [TRACKER]}, TRACKER)
    civil = {**TRACKER, "purpose_kind": "traffic_management"}
    assert not BANK.question_applies(question, {"streams.list": [civil]}, civil)
    crowd = {**TRACKER, "data_subjects": ["general_public"]}
    assert not BANK.question_applies(question, {"streams.list": [crowd]}, crowd)
    # ... except where the stream reads everyone's plates or devices: what they may serve is then asked.
    readers = {**crowd, "data_subjects": ["drivers"], "data_categories": ["licence_plates"]}
    assert BANK.question_applies(question, {"streams.list": [readers]}, readers)
    # Plates of protesters only, or of no one in particular, are not everyone's movements.
    protesters = {**readers, "data_subjects": ["protesters"]}
    assert not BANK.question_applies(question, {"streams.list": [protesters]}, protesters)


# Cameras read every passing plate, for the police.
PLATE_READERS = stream(controller_kind="state_police", purpose_kind="crime_prevention",
                       data_categories=["licence_plates", "identifiable_images"], data_subjects=["drivers"],
                       retention_days=14)


def test_plate_reads_of_everyone_kept_for_any_offence_are_barred_when_serious_and_only_noted_when_lighter():
    """Only serious crime can justify a serious interference (CJEU Ministerio Fiscal, La Quadrature du Net): two
    weeks of everyone's plate reads searchable for any offence are barred; three days are a moderate
    interference, which offences in general can justify, so the point is only noted. A hit/no-hit check that
    keeps nothing, or reads whose retention is not given, are not caught."""
    rule_id = "legitimate_aim.movements_of_everyone_for_any_offence"
    kept = {"streams.list": [PLATE_READERS], "project.technologies": ["anpr"],
            "legality.offences_served": {"s1": "any_offence"}}
    assert severity(rule_id, kept) == ("blocker", "serious")
    assert "14 days" in fired(kept, rule_id)[0].explanation.en
    one_day = fired({**kept, "streams.list": [{**PLATE_READERS, "retention_days": 1}]}, rule_id)[0].explanation
    assert "kept for one day," in one_day.en and "conservés un jour," in one_day.fr
    # A fractional period in each language's notation; data kept with no end (entered as the longest period
    # the questionnaire takes, as its help says) read as such, here and in the retention bar.
    half = fired({**kept, "streams.list": [{**PLATE_READERS, "retention_days": 1.5}]}, rule_id)[0].explanation
    assert "kept for 1.5 days," in half.en and "conservés 1,5 jour," in half.fr
    longest = int(BANK.questions["streams.list"].field("retention_days").maximum)
    no_end = {**kept, "streams.list": [{**PLATE_READERS, "retention_days": longest}]}
    for rule in (rule_id, "proportionality.movements_of_everyone_retained"):
        text = fired(no_end, rule)[0].explanation
        assert "kept with no end set" in text.en and "conservés sans limite de durée" in text.fr
        assert str(longest) not in text.en + text.fr
    assert severity(rule_id, {**kept, "streams.list": [{**PLATE_READERS, "retention_days": 3}]}) == ("info", "moderate")
    assert not fired({**kept, "streams.list": [{**PLATE_READERS, "retention_days": 0}]}, rule_id)
    unstated = {k: v for k, v in PLATE_READERS.items() if k != "retention_days"}
    assert not fired({**kept, "streams.list": [unstated]}, rule_id)
    assert not fired({**kept, "legality.offences_served": {"s1": "serious_offences"}}, rule_id)
    # The same police reads kept for traffic management, not for criminal law, are judged on other grounds.
    traffic = {**PLATE_READERS, "purpose_kind": "traffic_management"}
    assert not fired({**kept, "streams.list": [traffic]}, rule_id)


@pytest.mark.parametrize("answers", [
    {"rights.information_layers": ["none"]},
    {"rights.information_restricted": "yes"},
    {"proportionality.intrusiveness_factors": ["covert"]},
    {"rights.information_layers": ["warning_signs"], "rights.information_restricted": "no"},
])
def test_the_covert_factor_and_the_rules_read_covert_use_the_same_way(answers):
    ctx = context_for({"streams.list": [TRACKER], **answers}, BANK, today=TODAY)
    assert ctx.covert == any(f.id == "covert" for f in ctx.seriousness[0].raised)


def test_the_factors_and_the_rules_agree_on_which_technologies_capture_identifiers_where_people_pass():
    """The seriousness factors on movements and civil identity repeat, as data, the engine's list of
    technologies that read plates or devices where people pass: the two must not drift apart."""
    from dpia.engine.conditions import AllOf, AnyOf, Compare
    from dpia.engine.proportionality import CAPTURE_AT_PLACES

    def technology_lists(condition):
        if isinstance(condition, AllOf | AnyOf):
            return [v for c in condition.conditions for v in technology_lists(c)]
        if isinstance(condition, Not):
            return technology_lists(condition.condition)
        if isinstance(condition, Compare) and condition.question == "project.technologies" \
                and condition.operator == "includes_any":
            return [set(condition.value)]
        return []

    for factor_id in ("movements", "movements_of_everyone_kept", "civil_identity_only"):
        factor = next(f for f in BANK.seriousness.factors if f.id == factor_id)
        assert technology_lists(factor.when) == [CAPTURE_AT_PLACES], factor_id


def test_a_dna_file_of_convicted_people_is_serious_and_asks_for_the_law_that_allows_special_data():
    """Genetic data are a special category (GDPR Art. 9(1), LED Art. 10); a DNA profile identifies and links a
    person to their relatives (ECtHR S. and Marper). A file of convicted people alone, not of everyone, is still
    a serious interference, and a police file of them needs a law authorising it."""
    dna = stream(controller_kind="state_police", purpose_kind="crime_investigation", data_categories=["genetic"],
                 data_subjects=["convicted"], retention_days=3650, sources=["police_databases"])
    answers = {"streams.list": [dna], "project.technologies": ["records_database"],
               "project.places": ["no_physical_place"], "screening.jurisdiction": "fr",
               "legality.led_special_condition": {"s1": "none"}}
    result = level(answers)
    assert result.level == "serious" and "genetic" in {f.id for f in result.raised}
    found = {(f.id, f.severity) for f in assess(answers, BANK, today=TODAY).findings}
    assert ("legality.led_special_not_authorised", "blocker") in found
    without = {**answers, "streams.list": [{**dna, "data_categories": ["identity_contact"]}]}
    assert level(without).level != "serious"
    assert "legality.led_special_not_authorised" not in {f.id for f in assess(without, BANK, today=TODAY).findings}


def test_a_records_project_with_no_place_is_not_asked_how_its_sites_were_chosen():
    """A register or a data-sharing scheme has no areas or sites: the question is not asked, so the DPIA can be
    complete without it; a project with places still owes the answer."""
    records = {"streams.list": [stream(data_categories=["identity_contact"])],
               "project.technologies": ["records_database"], "project.places": ["no_physical_place"]}
    unanswered = assess(records, BANK, today=TODAY).completeness.unanswered
    assert "project.site_selection" not in unanswered
    assert "project.site_selection" in assess({**records, "project.places": ["public_streets"]}, BANK,
                                              today=TODAY).completeness.unanswered
    # Ticked beside a real place, "no place in particular" does not hide the question; the condition names every
    # other kind of place, so a new one cannot be missed.
    mixed = {**records, "project.places": ["no_physical_place", "schools"]}
    assert "project.site_selection" in assess(mixed, BANK, today=TODAY).completeness.unanswered
    places = set(BANK.question("project.places").choice_values()) - {"no_physical_place"}
    assert set(BANK.question("project.site_selection").show_if.conditions[1].value) == places
    assert all(BANK.question_applies(BANK.question("project.site_selection"),
                                     {"project.places": ["no_physical_place", place]}) for place in places)


def test_genetic_data_under_a_general_surveillance_power_are_named_and_bring_the_authorisation_question():
    """A general video-surveillance power does not foresee DNA (ECtHR S. and Marper): the finding says so, and the
    question on who authorises each use is asked for a genetic stream as for a biometric one."""
    dna = stream(controller_kind="state_police", purpose_kind="crime_investigation", data_categories=["genetic"],
                 data_subjects=["convicted"], retention_days=3650, sources=["police_databases"])
    answers = {"streams.list": [dna], "legality.instrument_kind": {"s1": "statute"},
               "legality.provision_specificity": {"s1": "general_surveillance_power"}}
    found = [f for f in assess(answers, BANK, today=TODAY).findings
             if f.id == "legality.general_power_for_intrusive_processing"]
    assert found and "genetic" in found[0].explanation.en and "génétiques" in found[0].explanation.fr
    plain = {**answers, "streams.list": [{**dna, "data_categories": ["identity_contact"]}]}
    assert "legality.general_power_for_intrusive_processing" not in {
        f.id for f in assess(plain, BANK, today=TODAY).findings}
    question = BANK.question("legality.prior_authorisation")
    assert BANK.question_applies(question, answers, dna)
    assert not BANK.question_applies(question, plain, plain["streams.list"][0])


BODY_CAMERA = stream(controller_kind="state_police", purpose_kind="crime_investigation",
                     data_categories=["identifiable_images", "criminal_offence"],
                     data_subjects=["general_public", "suspects"], sources=["own_sensors"], retention_days=30)


def test_overt_recording_switched_on_only_for_a_case_weighs_less_than_standing_recording():
    on_demand = {"streams.list": [BODY_CAMERA], "project.technologies": ["body_cameras"],
                 "project.operation": "on_demand"}
    continuous = {**on_demand, "project.operation": "continuous"}
    assert "activated_per_incident" in {f.id for f in level(on_demand).lowered}
    assert level(on_demand).points == level(continuous).points - 1
    signed = {**on_demand, "rights.information_layers": ["warning_signs", "dpia_published"]}
    assert "activated_per_incident" in {f.id for f in level(signed).lowered}


@pytest.mark.parametrize("change", [
    {"proportionality.intrusiveness_factors": ["covert"]},  # per case by nature: secrecy is the interference
    {"rights.information_layers": ["none"]},
    {"streams.list": [{**BODY_CAMERA, "sources": ["own_sensors", "police_databases"]}]},  # stored data searched
    {"project.technologies": ["body_cameras", "data_fusion"]},
    {"project.technologies": ["body_cameras", "post_facial_recognition"]},  # the recordings searched for faces
    {"proportionality.intrusiveness_factors": ["combines_sources"]},
    {"rights.information_layers": ["dpia_published"]},  # nobody at the scene is told
    {"rights.information_restricted": "yes"},
    {"streams.list": [{**BODY_CAMERA, "data_categories": ["identifiable_images", "biometric_identification"]}]},
    {"streams.list": [{**BODY_CAMERA, "data_categories": ["communications_content", "voice_audio"]}]},  # a bug
    {"streams.list": [{**BODY_CAMERA, "data_categories": ["device_identifiers", "location"]}]},  # a phone catcher
    {"streams.list": [{**BODY_CAMERA, "controller_kind": "intelligence_service", "purpose_kind": "national_security"}]},
])
def test_covert_measures_and_analyses_of_stored_data_run_on_request_get_no_such_credit(change):
    answers = {"streams.list": [BODY_CAMERA], "project.technologies": ["body_cameras"],
               "project.operation": "on_demand", **change}
    assert "activated_per_incident" not in {f.id for f in level(answers).lowered}


# The general law on police processing (the act transposing the LED, read with criminal procedure), which does not
# name the technique: the contents and locations of a seized phone examined in one investigation.
PHONE_EXAMINATION = stream(controller_kind="state_police", purpose_kind="crime_investigation",
                           data_categories=["communications_content", "location", "identity_contact"],
                           data_subjects=["suspects", "witnesses_contacts"], sources=["reused_existing_data"])
POLICE_DATA_LAW = {"legality.instrument_kind": {"s1": "statute"},
                   "legality.provision_specificity": {"s1": "police_data_law_only"},
                   "legality.law_specifies": {"s1": ["purposes_objectives"]},
                   "project.operation": "on_demand", "project.technologies": ["other"]}


def findings_of(answers):
    return {f.id: f for f in assess(answers, BANK, today=TODAY).findings}


def test_the_police_data_law_carries_the_open_gathering_of_a_cases_evidence_on_conditions():
    """LED Art. 8(2): in the investigation of a given offence, each use decided for the case, the general law on
    police processing with criminal procedure says when and, for people the case concerns, whom; the technique it
    does not name is a condition up to the serious level, as for a targeted measure."""
    investigation = {"streams.list": [PHONE_EXAMINATION], **POLICE_DATA_LAW}
    assert severity("legality.police_data_law_for_investigation", investigation) == ("major", "serious")
    found = findings_of(investigation)
    assert not set(found) & {"legality.law_specifies_nothing", "legality.law_scope_open",
                             "legality.police_data_law_beyond_investigation"}
    assert found["legality.law_not_foreseeable"].severity == "major"
    assert "legality.led_strict_necessity_assessment" in found["legality.police_data_law_for_investigation"].answers
    profile = BANK.seriousness.profiles["law_for_investigative_technique"]
    assert [profile.severity(level) for level in ("light", "moderate", "serious", "most_serious")] == \
        ["minor", "major", "major", "blocker"]
    # Footage of everyone examined in the case: criminal procedure says when, not whom.
    footage = {**investigation, "streams.list": [{**PHONE_EXAMINATION, "data_subjects": ["suspects", "general_public"],
                                                  "data_categories": ["identifiable_images"]}]}
    assert "legality.law_scope_open" in findings_of(footage)


@pytest.mark.parametrize("widened", [
    # Sensitive data taken wholesale from everyone in a category, even if the system runs on demand.
    {"legality.led_strict_necessity_assessment": {"s1": "systematic"},
     "streams.list": [{**PHONE_EXAMINATION,
                       "data_categories": ["communications_content", "special_categories_other"]}]},
    {"project.operation": "continuous"},  # runs whatever the case
    {"rights.information_restricted": "yes"},  # covert
    {"streams.list": [{**PHONE_EXAMINATION, "purpose_kind": "crime_prevention"}]},
    {"streams.list": [{**PHONE_EXAMINATION, "sources": ["commercial_providers"]}]},  # a tower dump bought in
    {"streams.list": [{**PHONE_EXAMINATION, "sources": ["open_sources"]}]},
    # A suspect's still searched by face against footage of everyone.
    {"streams.list": [{**PHONE_EXAMINATION, "data_categories": ["identifiable_images", "biometric_identification"],
                       "data_subjects": ["suspects", "general_public"]}]},
])
def test_beyond_what_criminal_procedure_frames_the_police_data_law_is_a_bar(widened):
    """Prevention, wholesale or standing use, covert measures (ECHR Art. 8(2)), data bought or gathered online, and
    identifying people the case does not concern by their body (LED Art. 10, EDPB 05/2022) need a law of their own."""
    answers = {"streams.list": [PHONE_EXAMINATION], **POLICE_DATA_LAW, **widened}
    found = findings_of(answers)
    assert found["legality.police_data_law_beyond_investigation"].severity == "blocker"
    assert "legality.police_data_law_for_investigation" not in found


def test_the_bar_says_which_facts_put_the_stream_beyond_an_investigation():
    covert = {"streams.list": [{**PHONE_EXAMINATION, "sources": ["commercial_providers"]}], **POLICE_DATA_LAW,
              "rights.information_restricted": "yes"}
    finding = findings_of(covert)["legality.police_data_law_beyond_investigation"]
    assert "it is covert" in finding.explanation.en and "il est dissimulé" in finding.explanation.fr
    assert "data bought" in finding.explanation.en
    assert "another purpose" not in finding.explanation.en and "whatever the case" not in finding.explanation.en


def test_a_face_search_of_the_suspects_register_alone_stays_an_investigation():
    """The still of an unknown suspect compared with the police's own register, case by case: a targeted measure."""
    register = {**PHONE_EXAMINATION, "data_categories": ["identifiable_images", "biometric_identification"],
                "data_subjects": ["suspects"], "sources": ["police_databases"]}
    answers = {"streams.list": [register], **POLICE_DATA_LAW, "project.technologies": ["post_facial_recognition"],
               "legality.led_strict_necessity_assessment": {"s1": "case_by_case"}}
    assert "legality.police_data_law_for_investigation" in findings_of(answers)


def test_a_city_cannot_rest_gdpr_processing_on_the_police_data_law():
    city = {"streams.list": [{**PHONE_EXAMINATION, "controller_kind": "city_administration",
                              "purpose_kind": "traffic_management"}], **POLICE_DATA_LAW}
    found = findings_of(city)
    assert "legality.general_competence_only" in found
    assert "police processing" in found["legality.general_competence_only"].explanation.en
    assert not set(found) & {"legality.police_data_law_for_investigation",
                             "legality.police_data_law_beyond_investigation"}


def test_rules_kept_back_in_part_weigh_more_as_the_interference_grows():
    """Tactical details may stay confidential, what sets the reach of the measure may not (ECHR Art. 8(2)): the
    gap is a note on a counter and a condition on stored plate reads of every driver."""
    partly = {"legality.instrument_kind": {"s1": "statute"}, "legality.law_published": {"s1": "partly"}}
    assert severity("legality.law_partly_unpublished", {"streams.list": [COUNTER], **partly}) == ("info", "light")
    assert severity("legality.law_partly_unpublished",
                    {"streams.list": [ANPR_KEEPS_ALL], **partly}) == ("major", "serious")
    published = {**partly, "legality.law_published": {"s1": "yes"}}
    assert "legality.law_partly_unpublished" not in {
        f.id for f in assess({"streams.list": [ANPR_KEEPS_ALL], **published}, BANK, today=TODAY).findings}
