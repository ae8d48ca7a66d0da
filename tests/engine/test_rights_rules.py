"""The rules on information and rights (dpia/engine/rights.py): answers that make each fire, the
nearest answers that do not, and severities that follow the seriousness of the interference."""

import datetime as dt

import pytest

from dpia.engine import assess, context_for, rights
from dpia.engine.bank import default_bank

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)


def stream(**fields):
    return {"key": "s1", "name": "Cameras", **fields}


# A city watching the public (GDPR, light) and the police (LED); with biometric identification both
# become serious interferences.
CITY = stream(controller_kind="city_administration", purpose_kind="crowd_management",
              data_subjects=["general_public"])
CITY_PLAIN = stream(controller_kind="city_administration", purpose_kind="crowd_management")
CITY_STAFF = stream(controller_kind="city_administration", purpose_kind="public_services",
                    data_subjects=["employees"])
POLICE = stream(controller_kind="state_police", purpose_kind="crime_prevention", data_subjects=["general_public"])
CITY_BIO = {**CITY, "data_categories": ["biometric_identification"]}
POLICE_BIO = {**POLICE, "data_categories": ["biometric_identification"]}
RESIDENTS = stream(controller_kind="private_own_purposes", purpose_kind="other",
                   data_categories=["identifiable_images"], data_subjects=["general_public"], sources=["own_sensors"])
SOCIAL = stream(controller_kind="city_administration", purpose_kind="other", sources=["social_media"])

GDPR_NOTICE = ["controller_identity", "dpo_contact", "purposes", "legal_basis", "recipients", "retention",
               "rights_and_how", "complaint"]
LED_NOTICE = ["controller_identity", "dpo_contact", "purposes", "rights_and_how", "complaint"]
LAW = "Code of Criminal Procedure, art. 77-1; information given when the investigation closes."
PROCEDURE = ("Online form or letter to the DPO; identity checked; requester gives date, time and place; "
             "third parties blurred; answer within one month; footage under request kept until answered.")


def with_notice(contents, **extra):
    return {"rights.information_layers": ["warning_signs", "full_notice"], "rights.notice_contents": contents,
            "rights.sign_wording": "Video protection", **extra}


# (rule id, answers that make it fire, the nearest answers that do not)
CASES = [
    ("rights.covert_without_law",
     {"rights.information_layers": ["none"]},
     {"rights.information_layers": ["none"], "rights.information_restricted": "yes",
      "rights.information_restriction_basis": LAW}),
    ("rights.no_general_information",
     {"streams.list": [POLICE], "rights.information_layers": ["none"], "rights.information_restricted": "yes",
      "rights.information_restriction_basis": LAW},
     {"streams.list": [CITY], "rights.information_layers": ["none"], "rights.information_restricted": "yes",
      "rights.information_restriction_basis": LAW}),
    ("rights.no_full_notice",
     {"rights.information_layers": ["warning_signs"]},
     {"rights.information_layers": ["warning_signs", "full_notice"]}),
    ("rights.analytics_not_disclosed",
     {"project.technologies": ["cctv", "video_analytics"], "rights.information_layers": ["warning_signs"],
      "rights.sign_wording": "Video protection. City of Lyon."},
     {"project.technologies": ["cctv", "video_analytics"], "rights.information_layers": ["warning_signs"],
      "rights.sign_wording": "Cameras with automated image analysis. City of Lyon, see lyon.fr/cameras."}),
    ("rights.notice_incomplete",
     {"streams.list": [CITY], **with_notice(["controller_identity", "purposes"])},
     {"streams.list": [CITY], **with_notice(GDPR_NOTICE)}),
    ("rights.third_party_sources_not_disclosed",
     {"streams.list": [SOCIAL], **with_notice(GDPR_NOTICE)},
     {"streams.list": [SOCIAL], **with_notice([*GDPR_NOTICE, "data_sources"])}),
    ("rights.restriction_without_law",
     {"rights.restrictions": "yes", "rights.restrictions_detail": "Internal policy: footage is never released."},
     {"rights.restrictions": "yes", "rights.restrictions_detail": "Data Protection Act 2018, s. 45(4), case by case."}),
    ("rights.no_exercise_procedure",
     {"rights.information_layers": ["full_notice"], "rights.exercise_procedure": "Ask the DPO."},
     {"rights.information_layers": ["full_notice"], "rights.exercise_procedure": PROCEDURE}),
    ("rights.people_not_consulted",
     {"streams.list": [CITY_BIO], "rights.consultation": "no"},
     {"streams.list": [CITY_BIO], "rights.consultation": "yes"}),
    ("rights.serious_deployment_not_public",
     {"streams.list": [CITY_BIO], "rights.information_layers": ["full_notice"]},
     {"streams.list": [CITY_BIO], "rights.information_layers": ["full_notice", "device_map"]}),
    # A co-owners' association films its hall; one resident objected and the cameras stay as they were.
    ("rights.objection_not_answered",
     {"streams.list": [RESIDENTS], "legality.gdpr_basis": {"s1": "legitimate_interests"},
      "legality.objections": {"s1": "not_answered"}},
     {"streams.list": [RESIDENTS], "legality.gdpr_basis": {"s1": "legitimate_interests"},
      "legality.objections": {"s1": "overriding_grounds"}}),
]


def hits(rule_id, answers):
    """Run one rule on the context the engine builds (streams, regimes, seriousness)."""
    return list(rights.RULES[rule_id](context_for(answers, BANK, today=TODAY)))


def finding(rule_id, answers):
    found = [f for f in assess(answers, BANK, today=TODAY).findings if f.id == rule_id]
    assert len(found) == 1, f"{rule_id}: expected one finding, got {len(found)}"
    return found[0]


def test_every_rights_rule_has_a_case_and_words():
    assert sorted(rule_id for rule_id, *_ in CASES) == sorted(rights.RULES)
    assert len(rights.RULES) >= 6
    assert set(rights.RULES) <= set(BANK.rules)


@pytest.mark.parametrize(("rule_id", "fires", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule_id, fires, quiet):
    fired = hits(rule_id, fires)
    assert fired, f"{rule_id} did not fire"
    for hit in fired:
        assert hit.rule == rule_id and hit.answers
        assert all(qid in BANK.questions for qid in hit.answers)
    assert hits(rule_id, quiet) == [], f"{rule_id} fired on the quiet case"


@pytest.mark.parametrize(("rule_id", "fires", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_words_are_filled_in_both_languages(rule_id, fires, quiet):
    found = finding(rule_id, fires)
    for text in (found.title, found.explanation, found.resolution):
        assert text.en and text.fr
        assert "{" not in text.en + text.fr, f"{rule_id}: a placeholder was left unfilled"


def test_rules_cite_only_articles_the_bank_knows():
    for rule_id in rights.RULES:
        text = BANK.rules[rule_id]
        assert text.citations and (text.severity or text.scales_with)
        assert text.prong in ("legality", "proportionality", "consultation")


# Absolute requirements keep their severity; demands that grow with the interference scale.
def test_covert_use_weighs_with_the_interference_and_a_restriction_without_law_blocks_at_any_level():
    counted = {"streams.list": [{**CITY, "data_categories": [], "data_subjects": ["employees"]}],
               "rights.information_layers": ["none"]}
    assert (finding("rights.covert_without_law", counted).level,
            finding("rights.covert_without_law", counted).severity) == ("light", "minor")
    serious = {"streams.list": [CITY_BIO], "rights.information_layers": ["none"]}
    assert finding("rights.covert_without_law", serious).severity == "major"
    restricted = {"streams.list": [CITY], "rights.restrictions": "yes", "rights.restrictions_detail": "Our policy."}
    assert finding("rights.restriction_without_law", restricted).severity == "blocker"


def test_the_same_signage_gap_weighs_more_on_a_serious_interference():
    silent_sign = {"project.technologies": ["cctv", "video_analytics"], "rights.information_layers": ["warning_signs"],
                   "rights.sign_wording": "Video protection"}
    light = finding("rights.analytics_not_disclosed", {**silent_sign, "streams.list": [CITY_PLAIN]})
    serious = finding("rights.analytics_not_disclosed", {**silent_sign, "streams.list": [CITY_BIO]})
    assert (light.level, light.severity) == ("light", "minor")
    assert (serious.level, serious.severity) == ("serious", "major")


def test_not_consulting_people_weighs_more_as_the_interference_grows():
    serious = finding("rights.people_not_consulted", {"streams.list": [CITY_BIO], "rights.consultation": "unknown"})
    most = finding("rights.people_not_consulted", {"streams.list": [CITY_BIO], "rights.consultation": "unknown",
                                                   "project.technologies": ["live_facial_recognition"]})
    assert (serious.level, serious.severity) == ("serious", "minor")
    assert (most.level, most.severity) == ("most_serious", "major")


def test_consultation_is_not_demanded_for_a_light_interference_or_under_the_led():
    assert hits("rights.people_not_consulted", {"streams.list": [CITY], "rights.consultation": "no"}) == []
    # GDPR Art. 35(9) has no counterpart in the Directive.
    assert hits("rights.people_not_consulted", {"streams.list": [POLICE_BIO], "rights.consultation": "no"}) == []


def test_a_restriction_needs_a_law_not_a_reason():
    assert hits("rights.covert_without_law", {"rights.information_layers": ["warning_signs", "full_notice"],
                                              "rights.information_restricted": "yes",
                                              "rights.information_restriction_basis": "Security reasons."})
    assert hits("rights.restriction_without_law", {"rights.restrictions": "yes"})  # nothing named at all
    assert hits("rights.restriction_without_law", {"rights.restrictions": "no"}) == []
    # Rights withheld because the measure is secret rest on the law that keeps it secret, where one is named.
    secret = {"rights.restrictions": "yes", "rights.restrictions_detail": "People are not told, so cannot ask.",
              "rights.information_restricted": "yes"}
    assert hits("rights.restriction_without_law", secret)
    assert hits("rights.restriction_without_law",
                {**secret, "rights.information_restriction_basis": "Section 19 of the Interception Act 2000."}) == []
    # A secrecy law does not cover access refused by an internal policy.
    assert hits("rights.restriction_without_law",
                {**secret, "rights.information_restriction_basis": "Section 19 of the Interception Act 2000.",
                 "rights.restrictions_detail": "Access requests are refused under our internal policy."})


def test_a_law_can_restrict_gdpr_information_but_not_the_leds_general_information():
    hidden = {"rights.information_layers": ["none"], "rights.information_restricted": "yes",
              "rights.information_restriction_basis": LAW}
    assert hits("rights.covert_without_law", hidden) == []
    assert hits("rights.no_general_information", {**hidden, "streams.list": [CITY]}) == []
    assert hits("rights.no_general_information", {**hidden, "streams.list": [POLICE]})


def test_individual_information_is_enough_only_where_everyone_can_be_reached():
    told_one_by_one = {"rights.information_layers": ["individual_information"]}
    assert hits("rights.no_general_information", {**told_one_by_one, "streams.list": [CITY]})
    assert hits("rights.no_general_information", {**told_one_by_one, "streams.list": [CITY_STAFF]}) == []


def test_the_notice_demanded_depends_on_the_regime():
    assert hits("rights.notice_incomplete", {"streams.list": [POLICE], **with_notice(LED_NOTICE)}) == []
    missing = hits("rights.notice_incomplete", {"streams.list": [CITY], **with_notice(LED_NOTICE)})
    assert missing and "Retention periods" in missing[0].params["missing"]
    abroad = {"streams.list": [CITY], **with_notice(GDPR_NOTICE),
              "project.vendors": [{"key": "v", "name": "Cloud", "third_country_access": "yes"}]}
    assert "Transfers" in hits("rights.notice_incomplete", abroad)[0].params["missing"]
    police_abroad = {**abroad, "streams.list": [POLICE], "rights.notice_contents": LED_NOTICE}
    assert hits("rights.notice_incomplete", police_abroad) == []


def test_a_notice_silent_on_analysis_is_caught_as_well_as_a_silent_sign():
    notice = {"project.technologies": ["anpr"], "rights.information_layers": ["full_notice"],
              "rights.notice_contents": GDPR_NOTICE}
    fired = hits("rights.analytics_not_disclosed", notice)
    assert fired and fired[0].params["where"] == "the complete notice"
    assert hits("rights.analytics_not_disclosed",
                {**notice, "rights.notice_contents": [*GDPR_NOTICE, "ai_functions"]}) == []
    # A sign that names the function is enough for that layer; plain cameras need no such words.
    assert hits("rights.analytics_not_disclosed",
                {"project.technologies": ["anpr"], "rights.information_layers": ["warning_signs"],
                 "rights.sign_wording": "Lecture automatisée des plaques d'immatriculation (LAPI)."}) == []
    assert hits("rights.analytics_not_disclosed",
                {"project.technologies": ["cctv"], "rights.information_layers": ["warning_signs"],
                 "rights.sign_wording": "Video protection"}) == []


def test_a_sign_silent_on_sound_that_body_cameras_record_is_caught():
    """Cameras worn by staff that also record what people say: a sign about cameras alone leaves out the sound."""
    worn = {**CITY_PLAIN, "data_categories": ["identifiable_images", "voice_audio"], "technologies": ["body_cameras"]}
    signs = {"streams.list": [worn], "project.technologies": ["body_cameras"],
             "rights.information_layers": ["warning_signs", "full_notice"],
             "rights.sign_wording": "Body cameras in use"}
    fired = hits("rights.analytics_not_disclosed", signs)
    assert fired and fired[0].params["technologies"] == "Voice and other sound recordings"
    assert hits("rights.analytics_not_disclosed",
                {**signs, "rights.sign_wording": "Cameras recording image and sound"}) == []
    silent = {**signs, "streams.list": [{**worn, "data_categories": ["identifiable_images"]}]}
    assert hits("rights.analytics_not_disclosed", silent) == []
    # Calls people make to a help line are recorded with their voice, but no sign in the street is how callers learn it.
    calls = {**signs, "streams.list": [{**worn, "technologies": ["call_recording"]}],
             "project.technologies": ["cctv", "call_recording"], "rights.sign_wording": "Video protection"}
    assert hits("rights.analytics_not_disclosed", calls) == []


def test_third_party_sources_concern_gdpr_streams_only():
    police_social = {**POLICE, "sources": ["social_media"]}
    assert hits("rights.third_party_sources_not_disclosed",
                {"streams.list": [police_social], **with_notice(GDPR_NOTICE)}) == []


def test_the_exercise_of_rights_is_asked_once_the_section_is_started():
    assert hits("rights.no_exercise_procedure", {"rights.exercise_procedure": "Ask."}) == []


def test_publication_is_asked_only_of_serious_interferences():
    assert hits("rights.serious_deployment_not_public",
                {"streams.list": [CITY], "rights.information_layers": ["full_notice"]}) == []


def test_each_gap_is_reported_once():
    """Covert use without a law is one finding, not also 'no general information' or 'no notice'."""
    answers = {"streams.list": [POLICE], "rights.information_layers": ["none"]}
    ids = [f.id for f in assess(answers, BANK, today=TODAY).findings if f.id.startswith("rights.")]
    assert "rights.covert_without_law" in ids
    assert "rights.no_general_information" not in ids and "rights.no_full_notice" not in ids


def test_an_objection_is_weighed_only_where_the_ground_allows_it_and_is_asked_there_alone():
    """GDPR Art. 21(1): the right to object is read on a public task and on legitimate interests; on consent it
    is withdrawal, and a legal obligation leaves no objection."""
    answers = {"streams.list": [RESIDENTS], "legality.gdpr_basis": {"s1": "legitimate_interests"},
               "legality.objections": {"s1": "not_answered"}}
    found = finding("rights.objection_not_answered", answers)
    assert found.severity == "major" and found.stream == "s1"
    assert ("GDPR", "21", "1") in {(c.act, c.article, c.paragraph) for c in found.citations}
    for answered in ("none", "upheld", "overriding_grounds"):
        assert hits("rights.objection_not_answered", {**answers, "legality.objections": {"s1": answered}}) == []
    # A city filming a square on its public task owes the same answer to one resident's objection.
    assert hits("rights.objection_not_answered", {**answers, "legality.gdpr_basis": {"s1": "public_task"}})
    # Under consent or a legal obligation the question is not asked, and an answer left from before does not count.
    for ground in ("consent", "legal_obligation"):
        assert hits("rights.objection_not_answered", {**answers, "legality.gdpr_basis": {"s1": ground}}) == []


def test_interception_is_covert_whatever_the_signs_say_of_the_rest():
    """People whose calls are intercepted are not told while it lasts: without a law allowing it, the information
    answers about the project's signs do not cover them; a secrecy law named for the restriction does."""
    tap = {"streams.list": [{**POLICE, "technologies": ["communications_interception"]}],
           "project.technologies": ["communications_interception", "cctv"],
           "rights.information_layers": ["warning_signs", "full_notice"]}
    assert hits("rights.covert_without_law", tap)
    assert hits("rights.covert_without_law", {**tap, "rights.information_restricted": "yes",
                                              "rights.information_restriction_basis": LAW}) == []
    recording = {**tap, "streams.list": [{**POLICE, "technologies": ["call_recording"]}],
                 "project.technologies": ["call_recording", "cctv"]}
    assert hits("rights.covert_without_law", recording) == []
