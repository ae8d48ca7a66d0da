"""Two answers, not one: the verdict on the project as described, and the completeness of the DPIA
as a document. An unanswered point never hides the judgement; it is named as an assumption."""

import datetime as dt
import tomllib
from pathlib import Path

from dpia.engine import assess
from dpia.engine.bank import default_bank

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)
SCENARIOS = Path(__file__).parent.parent / "scenarios"


def scenario(name):
    case = tomllib.loads((SCENARIOS / f"{name}.toml").read_text())
    return case["answers"], case["scenario"].get("evidence", [])


def city(**fields):
    return {"key": "s1", "name": "Counters", "controller_kind": "city_administration",
            "purpose_kind": "statistics_planning", **fields}


def test_a_plainly_unlawful_project_is_called_unlawful_even_with_half_the_document_missing():
    answers = {"streams.list": [city(controller_kind="state_police", purpose_kind="crime_prevention",
                                     data_categories=["biometric_identification"],
                                     data_subjects=["general_public"])],
               "project.technologies": ["live_facial_recognition"],
               "legality.instrument_kind": {"s1": "none"}}
    result = assess(answers, BANK, today=TODAY)
    assert result.verdict.outcome == "unlawful_as_proposed"
    assert not result.completeness.complete
    assert "necessity.objective" in result.completeness.unanswered
    assert result.completeness.missing  # GDPR 35(7) elements


def test_a_verdict_resting_on_unanswered_points_says_what_it_assumed():
    answers = {"streams.list": [city(data_categories=["identifiable_images"], retention_days=0)],
               "legality.instrument_kind": {"s1": "statute"}}
    result = assess(answers, BANK, today=TODAY)
    assert result.verdict.outcome in ("proceed", "proceed_with_conditions")
    assumed = " ".join(a.en for a in result.verdict.assumptions)
    assert "assumes" in assumed and BANK.question("necessity.alternatives").label.en in assumed
    assert BANK.question("legality.legal_provision").label.en in assumed


def test_a_law_whose_publication_and_precision_are_not_given_is_named_as_assumed_only_where_asked():
    # A serious stream relies on a statute; whether it is published and what it specifies are left open: the
    # verdict says it assumed them. A stream with no instrument at all is never asked those questions.
    police = city(controller_kind="state_police", purpose_kind="crime_investigation",
                  data_categories=["identifiable_images", "location"], data_subjects=["suspects"])
    asked = assess({"streams.list": [police], "legality.instrument_kind": {"s1": "statute"}}, BANK, today=TODAY)
    assumed = " ".join(a.en for a in asked.verdict.assumptions)
    for qid in ("legality.law_published", "legality.law_specifies", "legality.provision_specificity"):
        assert BANK.question(qid).label.en in assumed
    answered = assess({"streams.list": [police], "legality.instrument_kind": {"s1": "statute"},
                       "legality.law_published": {"s1": "yes"}}, BANK, today=TODAY)
    assert BANK.question("legality.law_published").label.en not in " ".join(
        a.en for a in answered.verdict.assumptions)
    not_asked = assess({"streams.list": [police], "legality.instrument_kind": {"s1": "none"}}, BANK, today=TODAY)
    assert BANK.question("legality.law_published").label.en not in " ".join(
        a.en for a in not_asked.verdict.assumptions)


def test_a_complete_lawful_design_proceeds_and_its_document_is_complete():
    answers, evidence = scenario("cctv_renewal_bus_station_modest")
    result = assess(answers, BANK, today=TODAY, evidence=evidence)
    assert result.verdict.outcome == "proceed"
    assert result.verdict.assumptions == ()
    assert result.completeness.complete, result.completeness


def test_proceed_with_conditions_lists_each_condition_with_the_finding_it_answers():
    answers, evidence = scenario("municipal_police_body_cameras_no_access_logging")
    result = assess(answers, BANK, today=TODAY, evidence=evidence)
    assert result.verdict.outcome == "proceed_with_conditions"
    majors = {(f.id, f.stream) for f in result.findings if f.severity == "major" and f.prong != "completeness"}
    assert {(c.finding, c.stream) for c in result.verdict.conditions} == majors
    for condition in result.verdict.conditions:
        finding = next(f for f in result.findings if f.id == condition.finding and f.stream == condition.stream)
        assert condition.text == finding.resolution and condition.text.en and condition.text.fr


def test_the_export_carries_both_answers_side_by_side():
    answers, evidence = scenario("cctv_renewal_bus_station_modest")
    exported = assess(answers, BANK, today=TODAY, evidence=evidence).to_dict()
    assert exported["verdict"]["outcome"] == "proceed"
    assert exported["completeness"] == {"complete": True, "missing": [], "unanswered": []}
    assert exported["seriousness"][0]["level"] == "moderate"


NO_PERSONAL_DATA = {
    "screening.jurisdiction": "fr",
    "streams.list": [city(data_categories=["identifiable_images"], data_subjects=["general_public"],
                          retention_days=0, new_filing_system="no")],
    "project.technologies": ["video_analytics"],
    "project.area": "district",
    "streams.anonymisation_claim": "yes", "streams.anonymisation_output": "counts_only",
    "streams.anonymisation_raw_data": "in_memory_only", "streams.anonymisation_tested": "independent_test",
    "streams.anonymisation_method": "Counting on the sensor; frames are overwritten in memory; an independent lab "
                                    "tried to re-identify people from the output and could not.",
    "legality.instrument_kind": {"s1": "statute"},
    "legality.provision_specificity": {"s1": "general_competence_only"},
}


def test_counting_anonymously_at_the_source_with_evidence_proceeds_without_a_dpia():
    result = assess(NO_PERSONAL_DATA, BANK, today=TODAY, evidence=["streams.anonymisation_method"])
    assert result.screening.outcome == "not_required"
    assert result.verdict.outcome == "proceed", [(f.id, f.severity) for f in result.findings]
    assert result.seriousness[0].level == "light"
    assert "screening.anonymous_at_source" in result.finding_ids()
    assert "evidence.anonymisation_claim_unsupported" not in result.finding_ids()


def test_the_same_claim_without_evidence_is_a_finding_and_a_dpia_is_owed():
    result = assess(NO_PERSONAL_DATA, BANK, today=TODAY)
    assert "evidence.anonymisation_claim_unsupported" in result.finding_ids()
    assert "screening.anonymous_at_source" not in result.finding_ids()
    assert result.screening.outcome != "not_required" or result.verdict.outcome != "proceed"


# A promoter who holds that no personal data are processed names no ground (and no law).
HELD_ANONYMOUS = {**{k: v for k, v in NO_PERSONAL_DATA.items() if not k.startswith("legality.")},
                  "streams.anonymisation_tested": "vendor_statement",
                  "legality.gdpr_basis": {"s1": "not_personal_data"}, "legality.instrument_kind": {"s1": "none"}}


def test_a_design_anonymous_at_the_source_awaits_its_proof_as_a_condition_not_a_bar():
    """Only counts leave the sensor and raw frames stay in memory: the missing proof is the condition;
    the missing ground is not a bar while the anonymity can still be proven."""
    result = assess(HELD_ANONYMOUS, BANK, today=TODAY)
    found = result.finding_ids()
    assert "evidence.anonymisation_claim_unsupported" in found
    assert not found & {"legality.no_law", "legality.gdpr_no_ground", "legality.personal_data_held_anonymous"}
    assert result.verdict.outcome == "proceed_with_conditions", [(f.id, f.severity) for f in result.findings]


def test_pixelated_images_sent_to_a_server_are_personal_data_whatever_the_promoter_holds():
    pixelated = {**HELD_ANONYMOUS, "streams.anonymisation_output": "pseudonymised_records",
                 "streams.anonymisation_raw_data": "kept_briefly"}
    result = assess(pixelated, BANK, today=TODAY)
    held = [f for f in result.findings if f.id == "legality.personal_data_held_anonymous"]
    assert held and held[0].severity == "blocker"
    assert "pseudonymised" in held[0].explanation.en.lower()
    assert result.verdict.outcome == "unlawful_as_proposed"
