"""Where the system is used: each country's framework is data; outside the Union the same four-part
test runs under national law and ECHR Art. 8(2), with the same severities."""

import datetime as dt

from dpia.engine import assess
from dpia.engine.bank import default_bank

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)

# Live facial recognition of everyone by the police, with no law behind it.
LFR_NO_LAW = {
    "streams.list": [{"key": "cams", "name": "Street cameras", "controller_kind": "state_police",
                      "purpose_kind": "crime_prevention",
                      "data_categories": ["identifiable_images", "biometric_identification"],
                      "data_subjects": ["general_public"], "retention_days": 30}],
    "project.technologies": ["live_facial_recognition"],
    "legality.instrument_kind": {"cams": "none"},
    "ai_act.is_ai_system": "yes", "ai_act.practices": ["realtime_remote_biometric_identification"],
    "ai_act.law_enforcement": "yes", "ai_act.publicly_accessible_space": "yes",
}


def run(country):
    return assess({**LFR_NO_LAW, "screening.jurisdiction": country}, BANK, today=TODAY)


def test_every_eu_and_eea_state_and_the_named_neighbours_are_listed_with_their_framework():
    codes = set(BANK.jurisdictions)
    assert len([j for j in BANK.jurisdictions.values() if j.group == "eu"]) == 27
    assert {"is", "li", "no", "gb", "rs", "ch", "coe_other", "elsewhere"} <= codes
    for jurisdiction in BANK.jurisdictions.values():
        assert jurisdiction.framework.en and jurisdiction.framework.fr, jurisdiction.code
    assert BANK.jurisdictions["rs"].modelled_on_gdpr_led and BANK.jurisdictions["rs"].council_of_europe
    assert not BANK.jurisdictions["elsewhere"].council_of_europe
    assert set(BANK.question("screening.jurisdiction").choice_values()) == codes


def test_mass_facial_recognition_without_a_law_is_unlawful_inside_and_outside_the_union():
    for country in ("fr", "gb", "rs", "ch", "coe_other", "elsewhere"):
        result = run(country)
        assert result.verdict.outcome == "unlawful_as_proposed", country
        no_law = next(f for f in result.findings if f.id == "legality.no_law")
        assert no_law.severity == "blocker"


def test_outside_the_union_the_report_names_the_framework_and_the_led_structure_is_applied():
    result = run("rs")
    regime = result.regimes[0]
    assert regime.regime == "outside_eu_law" and regime.analysis == "led"
    assert "Personal Data Protection" in regime.framework.en
    assert "Article 8" in regime.reasons[0].en
    assert run("elsewhere").regimes[0].reasons[0].en != regime.reasons[0].en  # no ECHR outside the CoE


def test_the_same_gap_weighs_the_same_in_serbia_as_in_france():
    def severities(country):
        return {(f.id, f.severity) for f in run(country).findings if not f.id.startswith("ai_act.")}

    assert severities("rs") == severities("fr")


def test_the_ai_act_applies_only_in_the_union():
    assert run("fr").ai_act.prohibited
    for country in ("no", "gb", "rs", "ch"):
        assert run(country).ai_act.prohibited == (), country


def test_the_ai_act_prohibitions_bind_only_from_their_date_of_application():
    before = assess({**LFR_NO_LAW, "screening.jurisdiction": "fr"}, BANK, today=dt.date(2020, 1, 30))
    assert before.ai_act.prohibited == ()
    assert before.verdict.outcome == "unlawful_as_proposed"  # the GDPR/LED test still runs


# Live facial recognition by the police at chosen deployments, under general policing powers and a
# general data-protection statute, with published policies under them.
LFR_GENERAL_POWERS = {
    **LFR_NO_LAW,
    "legality.instrument_kind": {"cams": "common_law"},
    "legality.provision_specificity": {"cams": "general_surveillance_power"},
    "legality.law_published": {"cams": "yes"},
    "legality.law_specifies": {"cams": ["purposes_objectives"]},
}
WHO_AND_WHERE = {"cams": ["who_may_be_targeted", "where"]}


def general_power(country, published_rules=None):
    answers = {**LFR_GENERAL_POWERS, "screening.jurisdiction": country}
    if published_rules is not None:
        answers["legality.published_rules_specify"] = published_rules
    result = assess(answers, BANK, today=TODAY)
    return next(f for f in result.findings if f.id == "legality.general_power_for_intrusive_processing")


def test_outside_eu_law_published_rules_that_fix_whom_and_where_make_a_general_power_a_condition():
    """ECHR Art. 8(2) reads "law" in its substantive sense: published policies under a general power can
    make it foreseeable if they leave neither whom to target nor where to deploy to the officers (Bridges)."""
    assert general_power("gb").severity == "blocker"
    framed = general_power("gb", WHO_AND_WHERE)
    assert framed.severity == "major" and framed.level == "most_serious"
    assert "substantive sense" in framed.resolution.en and "sens matériel" in framed.resolution.fr
    assert "Bridges" in {c.act for c in framed.citations}
    for country in ("rs", "coe_other"):
        assert general_power(country, WHO_AND_WHERE).severity == "major", country
    # Outside the Council of Europe the Convention does not apply; the Swiss constitution itself demands a
    # statute for a serious restriction (Federal Constitution Art. 36(1)).
    for country in ("elsewhere", "ch"):
        assert general_power(country, WHO_AND_WHERE).severity == "blocker", country


def test_published_rules_that_leave_whom_or_where_to_the_officers_do_not_frame_the_power():
    for partial in (["who_may_be_targeted"], ["where", "when_and_how_long", "retention"], ["none"]):
        found = general_power("gb", {"cams": partial})
        assert found.severity == "blocker", partial
        assert "substantive sense" not in found.resolution.en


def test_inside_the_union_published_rules_do_not_replace_a_law_made_for_the_processing():
    """GDPR Art. 6(3), LED Art. 8(2) and AI Act Art. 5(5): inside the Union the law itself must provide for
    it; the question is not even asked there."""
    for country in ("fr", "de", "no"):
        assert general_power(country, WHO_AND_WHERE).severity == "blocker", country
        assert not BANK.jurisdictions[country].published_rules_can_frame_a_general_power, country
    # The profile's own guard, whatever the questionnaire shows.
    assert BANK.severity_of("legality.general_power_for_intrusive_processing", "most_serious",
                            eu_law=True, framed=True) == "blocker"
    assert BANK.severity_of("legality.general_power_for_intrusive_processing", "most_serious",
                            eu_law=False, framed=True) == "major"
    question = BANK.question("legality.published_rules_specify")
    asked_in = next(c for c in question.show_if.conditions if c.question == "screening.jurisdiction").value
    assert set(asked_in) == {code for code, j in BANK.jurisdictions.items()
                             if j.published_rules_can_frame_a_general_power}
    stream = LFR_GENERAL_POWERS["streams.list"][0]
    for country, asked in (("gb", True), ("rs", True), ("ch", False), ("fr", False), ("no", False)):
        answers = {**LFR_GENERAL_POWERS, "screening.jurisdiction": country}
        assert BANK.question_applies(question, answers, stream) is asked, country
    specific = {**LFR_GENERAL_POWERS, "screening.jurisdiction": "gb",
                "legality.provision_specificity": {"cams": "specific_to_this_processing"}}
    assert not BANK.question_applies(question, specific, stream)  # a law made for it needs no framing
