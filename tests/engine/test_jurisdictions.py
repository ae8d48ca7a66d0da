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
