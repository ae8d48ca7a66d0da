"""Every engine rule, one by one: answers that make it fire, and the nearest answers that do not."""

import datetime as dt

import pytest

from dpia.engine import all_rules, alternatives, assess, context_for
from dpia.engine.bank import default_bank
from dpia.engine.conditions import evaluate
from dpia.engine.result import SEVERITY_ORDER
from tests.engine.test_rights_rules import CASES as RIGHTS_CASES

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)


def stream(**fields):
    return {"key": "s1", "name": "Cameras", **fields}


CITY = stream(controller_kind="city_administration", purpose_kind="traffic_management")
POLICE = stream(controller_kind="state_police", purpose_kind="crime_prevention")
INVESTIGATION = stream(controller_kind="state_police", purpose_kind="crime_investigation")
POLICE_BIO = stream(controller_kind="state_police", purpose_kind="crime_prevention",
                    data_categories=["biometric_identification"], data_subjects=["general_public"])
CITY_BIO = stream(controller_kind="city_administration", purpose_kind="crowd_management",
                  data_categories=["biometric_identification"], data_subjects=["general_public"])


def on(base, **per_stream):
    """Answers with one stream and per-stream answers for it."""
    answers = {"streams.list": [base]}
    answers.update({qid.replace("__", "."): {"s1": value} for qid, value in per_stream.items()})
    return answers


def risk(kind, severity, likelihood="significant", **extra):
    return {"key": kind, "risk": kind, "severity": severity, "likelihood": likelihood, **extra}


# Customs keep every plate read for four months, under a law made for a three-year experiment that sets
# the period itself.
PLATES_BY_EXPERIMENTAL_LAW = {
    **on({**POLICE, "data_categories": ["licence_plates"], "data_subjects": ["drivers"], "retention_days": 120,
          "retention_fixed": "by_law"},
         legality__instrument_kind="statute", legality__provision_specificity="specific_to_this_processing",
         legality__law_specifies=["purposes_objectives", "which_data", "retention"],
         legality__led_task_necessity="yes"),
    "project.duration": "pilot", "project.technologies": ["anpr"],
}
LFR_POLICE = {"streams.list": [POLICE_BIO], "project.technologies": ["live_facial_recognition"]}
SHOP = stream(controller_kind="private_own_purposes", purpose_kind="other")
# People counted on the device: only counts leave it, raw images never do, an independent test backs it.
ANONYMOUS_ANSWERS = {
    "streams.list": [stream(controller_kind="city_administration", purpose_kind="statistics_planning",
                            data_categories=["identifiable_images"], data_subjects=["general_public"],
                            retention_days=0)],
    "streams.anonymisation_claim": "yes", "streams.anonymisation_output": "counts_only",
    "streams.anonymisation_raw_data": "in_memory_only", "streams.anonymisation_tested": "independent_test",
}
ANONYMOUS_COUNTER = (ANONYMOUS_ANSWERS, ["streams.anonymisation_method"])
RT = {"ai_act.is_ai_system": "yes", "ai_act.practices": ["realtime_remote_biometric_identification"],
      "ai_act.law_enforcement": "yes", "ai_act.publicly_accessible_space": "yes"}
RT_OK = {**RT, "ai_act.rbi_objective": "victim_search", "ai_act.rbi_national_law": "yes",
         "ai_act.rbi_authorisation": "judicial"}
HIGH_RISK_PUBLIC = {"streams.list": [CITY], "ai_act.is_ai_system": "yes",
                    "ai_act.annex_iii": ["remote_biometric_identification"]}

# A badge kept beside the reader for whoever refuses: the fact that rebuts the presumption against consent.
CARD_KEPT = {"key": "card", "alternative": "Badge", "catalogue_entry": "badges_or_staff_instead_of_faces",
             "less_intrusive": "yes", "adopted": "yes"}
# Staff who refuse to clock in by face scan at the door are checked in by the badge reader beside it.
STAFF_FACE_SCAN = stream(controller_kind="city_administration", purpose_kind="public_services",
                         data_categories=["biometric_identification"], data_subjects=["employees"])
STAFF_CONSENT = {**on(STAFF_FACE_SCAN, legality__gdpr_basis="consent", legality__consent_free="yes",
                      legality__consent_refusal_option="same_service_other_means"),
                 "necessity.alternatives": [CARD_KEPT]}
# A camera system already running, of a kind that needs an assessment.
STARTED = {"project.stage": "in_operation", "project.technologies": ["cctv"],
           "screening.wp248_criteria": ["large_scale", "systematic_monitoring"]}

# (rule id, answers that make it fire, evidence, answers that must not)
CASES = [
    ("screening.criteria_not_ticked",
     {"screening.wp248_criteria": ["large_scale"], "project.technologies": ["cctv"]},
     {"screening.wp248_criteria": ["large_scale", "systematic_monitoring"], "project.technologies": ["cctv"]}),
    ("screening.public_monitoring_denied",
     {"screening.public_area_monitoring": "no", "project.places": ["public_streets"], "project.technologies": ["cctv"]},
     {"screening.public_area_monitoring": "no", "project.places": ["workplaces"], "project.technologies": ["cctv"]}),
    ("screening.national_security_claim", {"screening.national_security": "yes"},
     {"screening.national_security": "no"}),
    ("regime.national_security_non_security_body",
     {"streams.list": [stream(purpose_kind="national_security", controller_kind="city_administration")]},
     {"streams.list": [stream(purpose_kind="national_security", controller_kind="intelligence_service")]}),
    ("regime.led_purpose_without_competent_authority",
     {"streams.list": [stream(purpose_kind="crime_prevention", controller_kind="city_administration")]},
     {"streams.list": [POLICE]}),
    ("regime.outside_eu_law_unjustified",
     {"streams.list": [stream(purpose_kind="national_security", controller_kind="intelligence_service")]},
     {"streams.list": [stream(purpose_kind="national_security", controller_kind="intelligence_service")],
      "screening.national_security": "yes",
      "screening.national_security_justification": "The state security service, under the 2015 intelligence act."}),
    ("regime.mixed_regimes", {"streams.list": [POLICE, {**CITY, "key": "s2"}]}, {"streams.list": [POLICE]}),
    ("regime.no_streams", {"project.name": "X"}, {"streams.list": [CITY]}),
    ("legality.no_law", on(CITY, legality__instrument_kind="none"), on(CITY, legality__instrument_kind="statute")),
    ("legality.sub_statutory_instrument", on(CITY, legality__instrument_kind="council_resolution"),
     on(CITY, legality__instrument_kind="regulation_decree")),
    ("legality.general_competence_only",
     on(CITY, legality__instrument_kind="statute", legality__provision_specificity="general_competence_only"),
     on(CITY, legality__instrument_kind="statute", legality__provision_specificity="specific_to_this_processing")),
    # The general law on police processing: in the investigation of a given offence, each use decided for the
    # case, the rules of criminal procedure frame it; beyond that (prevention), it does not provide for it.
    ("legality.police_data_law_for_investigation",
     {**on(INVESTIGATION, legality__instrument_kind="statute", legality__provision_specificity="police_data_law_only"),
      "project.operation": "on_demand"},
     on(POLICE, legality__instrument_kind="statute", legality__provision_specificity="police_data_law_only")),
    ("legality.police_data_law_beyond_investigation",
     on(POLICE, legality__instrument_kind="statute", legality__provision_specificity="police_data_law_only"),
     {**on(INVESTIGATION, legality__instrument_kind="statute", legality__provision_specificity="police_data_law_only"),
      "project.operation": "on_demand"}),
    # Cameras a law allows for the safety of premises, used to watch how lectures are given.
    ("legality.purpose_not_provided_for",
     on(CITY, legality__instrument_kind="statute", legality__provision_specificity="other_purposes_only"),
     on(CITY, legality__instrument_kind="statute", legality__provision_specificity="specific_to_this_processing")),
    ("legality.general_power_for_intrusive_processing",
     on(CITY_BIO, legality__instrument_kind="statute", legality__provision_specificity="general_surveillance_power"),
     on(CITY, legality__instrument_kind="statute", legality__provision_specificity="general_surveillance_power")),
    ("legality.law_not_published", on(CITY, legality__instrument_kind="statute", legality__law_published="no"),
     on(CITY, legality__instrument_kind="statute", legality__law_published="yes")),
    ("legality.law_partly_unpublished", on(CITY, legality__instrument_kind="statute", legality__law_published="partly"),
     on(CITY, legality__instrument_kind="statute", legality__law_published="yes")),
    ("legality.law_publication_unknown",
     on(CITY, legality__instrument_kind="statute", legality__law_published="unknown"),
     on(CITY, legality__instrument_kind="statute", legality__law_published="yes")),
    ("legality.law_specifies_nothing", on(CITY, legality__instrument_kind="statute", legality__law_specifies=["none"]),
     on(CITY, legality__instrument_kind="statute", legality__law_specifies=["where"])),
    ("legality.law_scope_open", on(CITY, legality__instrument_kind="statute", legality__law_specifies=["where"]),
     on(CITY, legality__instrument_kind="statute", legality__law_specifies=["where", "which_data"])),
    ("legality.law_not_foreseeable",
     on(CITY, legality__instrument_kind="statute", legality__law_specifies=["which_data", "where"]),
     on(CITY, legality__instrument_kind="statute", legality__law_specifies=[
         "who_may_be_targeted", "where", "when_and_how_long", "which_data", "retention", "safeguards"])),
    ("legality.no_competence", on(CITY, legality__competence="no"), on(CITY, legality__competence="yes")),
    ("legality.competence_unknown", on(CITY, legality__competence="unknown"), on(CITY, legality__competence="yes")),
    ("legality.required_permit_not_sought", {"measures.national_authorisation": "not_sought"},
     {"measures.national_authorisation": "obtained"}),
    ("legality.required_permit_pending", {"measures.national_authorisation": "pending"},
     {"measures.national_authorisation": "not_required"}),
    ("legality.gdpr_no_ground", {**on(CITY, legality__gdpr_basis="none_identified"), "project.stage": "in_operation"},
     {**on(CITY, legality__gdpr_basis="none_identified"), "project.stage": "idea"}),
    ("legality.gdpr_ground_not_yet_identified",
     {**on(CITY, legality__gdpr_basis="none_identified"), "project.stage": "procurement"},
     {**on(CITY, legality__gdpr_basis="public_task"), "project.stage": "procurement"}),
    ("legality.legitimate_interests_public_body", on(CITY, legality__gdpr_basis="legitimate_interests"),
     on(stream(controller_kind="private_own_purposes", purpose_kind="other"),
        legality__gdpr_basis="legitimate_interests")),
    ("legality.consent_in_public_space", on(CITY_BIO, legality__gdpr_basis="consent"),
     on({**CITY_BIO, "data_subjects": ["employees"]}, legality__gdpr_basis="consent")),
    ("legality.consent_not_free",
     on({**CITY, "data_subjects": ["drivers"]}, legality__gdpr_basis="consent", legality__consent_free="no"),
     on({**CITY, "data_subjects": ["drivers"]}, legality__gdpr_basis="consent", legality__consent_free="yes")),
    ("legality.public_interest_claimed_by_private_body", on(SHOP, legality__gdpr_basis="public_task"),
     on(SHOP, legality__gdpr_basis="legitimate_interests")),
    ("proportionality.review_date_passed", {"proportionality.review_date": "2025-01-15"},
     {"proportionality.review_date": "2027-06-30"}),
    ("proportionality.conversations_of_passers_by",
     {"streams.list": [stream(data_categories=["voice_audio"], data_subjects=["general_public"])],
      "project.technologies": ["audio_sensors"], "project.operation": "continuous"},
     {"streams.list": [stream(data_categories=["voice_audio"], data_subjects=["general_public"])],
      "project.technologies": ["audio_sensors"], "project.operation": "on_demand"}),
    ("proportionality.movements_of_everyone_retained",
     {"streams.list": [stream(data_categories=["licence_plates"], data_subjects=["drivers"], retention_days=90)],
      "project.technologies": ["anpr"]},
     {"streams.list": [stream(data_categories=["licence_plates"], data_subjects=["drivers"], retention_days=7)],
      "project.technologies": ["anpr"]}),
    # The same retention set by a law made for a time-limited criminal-law measure: the period is to be proven.
    ("proportionality.movements_retention_to_be_proven", PLATES_BY_EXPERIMENTAL_LAW,
     {**PLATES_BY_EXPERIMENTAL_LAW, "project.duration": "permanent"}),
    ("claims.consent_presumed_not_free",
     on({**SHOP, "data_subjects": ["employees"]}, legality__gdpr_basis="consent", legality__consent_free="yes"),
     on({**SHOP, "data_subjects": ["drivers"]}, legality__gdpr_basis="consent",
        legality__consent_free="yes")),
    ("claims.consent_of_dependent_people_needs_equal_alternative", STAFF_CONSENT,
     {**STAFF_CONSENT, "legality.consent_refusal_option": {"s1": "other_means_with_disadvantage"}}),
    ("legality.consent_not_affirmative",
     on({**CITY, "data_subjects": ["drivers"]}, legality__gdpr_basis="consent", legality__consent_collection="implied"),
     on({**CITY, "data_subjects": ["drivers"]}, legality__gdpr_basis="consent", legality__consent_collection="opt_in")),
    ("screening.processing_started_before_assessment",
     {**STARTED, "project.assessed_before_start": "no"}, {**STARTED, "project.assessed_before_start": "yes"}),
    ("claims.essence_claimed_for_blanket_identification",
     {**LFR_POLICE, "proportionality.essence_respected": "yes"},
     {"streams.list": [{**POLICE_BIO, "data_subjects": ["suspects"]}], "proportionality.essence_respected": "yes"}),
    ("claims.no_storage_but_kept",
     {"streams.list": [stream(retention_days=0)], "streams.retention_by_category": "Images: 30 days."},
     {"streams.list": [stream(retention_days=0)], "streams.retention_by_category": "Images: 0 days, never written."}),
    ("legality.law_expired",
     on(CITY, legality__instrument_kind="statute", legality__provision_end_date="2025-03-31"),
     on(CITY, legality__instrument_kind="statute", legality__provision_end_date="2027-03-31")),
    ("legality.law_ends_before_project",
     {**on(CITY, legality__instrument_kind="statute", legality__provision_end_date="2027-03-31"),
      "project.duration": "permanent"},
     {**on(CITY, legality__instrument_kind="statute", legality__provision_end_date="2027-03-31"),
      "project.duration": "pilot", "project.end_date": "2027-01-31"}),
    ("legality.no_prior_independent_authorisation",
     on(POLICE_BIO, legality__prior_authorisation="internal_only"),
     on(POLICE_BIO, legality__prior_authorisation="judicial")),
    ("legality.legitimate_interests_balancing_missing",
     on(stream(controller_kind="public_undertaking", purpose_kind="cybersecurity"),
        legality__gdpr_basis="legitimate_interests", legality__gdpr_basis_reasoning="Security."),
     on(stream(controller_kind="public_undertaking", purpose_kind="cybersecurity"),
        legality__gdpr_basis="legitimate_interests", legality__gdpr_basis_reasoning=" ".join(["reason"] * 30))),
    ("screening.anonymous_at_source", ANONYMOUS_COUNTER, ANONYMOUS_ANSWERS),
    # Held anonymous while hashed records leave the device: personal data; quiet when only counts leave it.
    ("legality.personal_data_held_anonymous",
     {**ANONYMOUS_ANSWERS, "streams.anonymisation_output": "pseudonymised_records",
      "legality.gdpr_basis": {"s1": "not_personal_data"}},
     {**ANONYMOUS_ANSWERS, "legality.gdpr_basis": {"s1": "not_personal_data"}}),
    ("legality.special_data_no_exception", on(CITY_BIO, legality__gdpr_special_exception="none"),
     on(CITY_BIO, legality__gdpr_special_exception="substantial_public_interest_law",
        legality__gdpr_special_law="Act 12, art. 3")),
    ("legality.special_data_law_missing",
     on(CITY_BIO, legality__gdpr_special_exception="substantial_public_interest_law"),
     on(CITY_BIO, legality__gdpr_special_exception="substantial_public_interest_law",
        legality__gdpr_special_law="Act 12, art. 3")),
    # Staff clock in with a fingerprint; the employer points to its duty to keep working-time records.
    ("legality.special_data_law_does_not_provide",
     on(stream(controller_kind="private_own_purposes", purpose_kind="other", data_subjects=["employees"],
               data_categories=["biometric_identification"]),
        legality__gdpr_basis="contract", legality__gdpr_special_exception="other_exception",
        legality__gdpr_special_law="Working-time records duty", legality__gdpr_special_law_scope="task_or_duty_only"),
     on(stream(controller_kind="private_own_purposes", purpose_kind="other", data_subjects=["employees"],
               data_categories=["biometric_identification"]),
        legality__gdpr_basis="contract", legality__gdpr_special_exception="other_exception",
        legality__gdpr_special_law="Act 12, art. 3", legality__gdpr_special_law_scope="covers_these_data")),
    ("legality.manifestly_public_relied_on",
     on({**CITY, "data_categories": ["special_categories_other"]},
        legality__gdpr_special_exception="manifestly_public"),
     on({**CITY, "data_categories": ["special_categories_other"]},
        legality__gdpr_special_exception="substantial_public_interest_law", legality__gdpr_special_law="Act")),
    ("legality.criminal_data_no_basis",
     on({**CITY, "data_categories": ["criminal_offence"]}, legality__criminal_data_basis="none"),
     on({**CITY, "data_categories": ["criminal_offence"]}, legality__criminal_data_basis="official_authority_control")),
    ("legality.led_not_necessary_for_task", on(POLICE, legality__led_task_necessity="no"),
     on(POLICE, legality__led_task_necessity="yes")),
    ("legality.led_special_not_authorised", on(POLICE_BIO, legality__led_special_condition="authorised_by_law"),
     on(POLICE_BIO, legality__led_special_condition="authorised_by_law",
        legality__led_special_provision="Code, art. 1")),
    ("necessity.led_special_data_collected_systematically",
     on(POLICE_BIO, legality__led_strict_necessity_assessment="systematic"),
     on(POLICE_BIO, legality__led_strict_necessity_assessment="case_by_case")),
    ("necessity.led_strict_necessity_missing", on(POLICE_BIO),
     on(POLICE_BIO, legality__led_strict_necessity="Only for listed serious offences, per warrant.")),
    ("legitimate_aim.reuse_not_assessed",
     on({**CITY, "sources": ["reused_existing_data"]}, legality__reuse_route="not_assessed"),
     on({**CITY, "sources": ["reused_existing_data"]}, legality__reuse_route="union_or_member_state_law")),
    ("legitimate_aim.reuse_factors_incomplete",
     on({**CITY, "sources": ["reused_existing_data"]}, legality__reuse_route="compatibility_assessment",
        legality__reuse_factors=["link_between_purposes"]),
     on({**CITY, "sources": ["reused_existing_data"]}, legality__reuse_route="compatibility_assessment",
        legality__reuse_factors=["link_between_purposes", "collection_context", "nature_of_data", "consequences",
                                 "safeguards"])),
    ("legitimate_aim.vague_objective", {"necessity.objective": "Security."},
     {"necessity.objective": "Reduce night-time burglaries in the old town by a third within two years."}),
    # The police follow a suspect's car covertly under a law that allows it for any offence; quiet once the
    # law limits it to serious offences.
    ("legitimate_aim.covert_measure_for_any_offence",
     {"streams.list": [{**POLICE, "data_categories": ["location"], "data_subjects": ["suspects"]}],
      "proportionality.intrusiveness_factors": ["covert"], "legality.offences_served": {"s1": "any_offence"}},
     {"streams.list": [{**POLICE, "data_categories": ["location"], "data_subjects": ["suspects"]}],
      "proportionality.intrusiveness_factors": ["covert"], "legality.offences_served": {"s1": "serious_offences"}}),
    # Plate readers keep every passing car for two weeks, searchable for any offence; quiet once the law limits
    # searches to serious offences.
    ("legitimate_aim.movements_of_everyone_for_any_offence",
     {"streams.list": [{**POLICE, "data_categories": ["licence_plates"], "data_subjects": ["drivers"],
                        "retention_days": 14}],
      "project.technologies": ["anpr"], "legality.offences_served": {"s1": "any_offence"}},
     {"streams.list": [{**POLICE, "data_categories": ["licence_plates"], "data_subjects": ["drivers"],
                        "retention_days": 14}],
      "project.technologies": ["anpr"], "legality.offences_served": {"s1": "serious_offences"}}),
    ("legitimate_aim.problem_not_evidenced", {"necessity.problem": "Crime.", "necessity.problem_evidence": ["none"]},
     {"necessity.problem": "Crime.", "necessity.problem_evidence": ["crime_statistics"]}),
    ("evidence.problem_claim_without_document", {"necessity.problem_evidence": ["crime_statistics"]},
     ({"necessity.problem_evidence": ["crime_statistics"]}, ["necessity.problem_evidence"])),
    ("necessity.effectiveness_unsupported", {"necessity.effectiveness_evidence": "vendor_claims"},
     {"necessity.effectiveness_evidence": "independent_evaluation"}),
    ("evidence.effectiveness_claim_without_document", {"necessity.effectiveness_evidence": "pilot_results"},
     ({"necessity.effectiveness_evidence": "pilot_results"}, ["necessity.effectiveness_description"])),
    ("necessity.accuracy_not_evidenced", {"project.technologies": ["anpr"]},
     {"project.technologies": ["anpr"], "necessity.accuracy_evidence": "Read rate 98% in tests, attached."}),
    ("necessity.no_alternatives", {"necessity.objective": "x"},
     {"necessity.alternatives": [{"key": "a", "alternative": "More patrols"}]}),
    ("necessity.less_intrusive_alternative_available",
     {"necessity.alternatives": [{"key": "a", "alternative": "Badges", "less_intrusive": "yes",
                                  "effective_enough": "yes"}]},
     {"necessity.alternatives": [{"key": "a", "alternative": "Badges", "less_intrusive": "yes",
                                  "effective_enough": "no", "why_rejected": "Badges are lent."}]}),
    ("necessity.alternative_rejected_without_reason",
     {"necessity.alternatives": [{"key": "a", "alternative": "Lighting", "less_intrusive": "unknown"}]},
     {"necessity.alternatives": [{"key": "a", "alternative": "Lighting", "less_intrusive": "unknown",
                                  "why_rejected": "Tried in 2024; no effect (report attached)."}]}),
    ("necessity.not_least_intrusive", {"necessity.least_intrusive": "no"}, {"necessity.least_intrusive": "yes",
                                                                           "necessity.alternatives": [{"key": "a"}]}),
    ("evidence.necessity_claim_without_alternatives", {"necessity.least_intrusive": "yes"},
     {"necessity.least_intrusive": "yes", "necessity.alternatives": [{"key": "a", "alternative": "Patrols"}]}),
    ("necessity.retention_unjustified", {"streams.list": [{**CITY, "retention_days": 90}]},
     {"streams.list": [{**CITY, "retention_days": 90}], "necessity.retention_reasons": "Appeals take 60 days."}),
    ("necessity.retention_not_fixed", {"streams.list": [{**CITY, "retention_fixed": "not_yet"}]},
     {"streams.list": [{**CITY, "retention_fixed": "periodic_review"}]}),
    ("necessity.no_deletion", {"necessity.deletion_mechanism": "none"},
     {"necessity.deletion_mechanism": "automatic_deletion"}),
    ("necessity.unused_capability_not_locked",
     {"project.technologies": ["cctv"], "necessity.unused_capabilities": ["sound"],
      "necessity.unused_capabilities_locked": "setting"},
     {"project.technologies": ["cctv"], "necessity.unused_capabilities": ["sound"],
      "necessity.unused_capabilities_locked": "locked"}),
    ("evidence.anonymisation_claim_unsupported", {"streams.anonymisation_claim": "yes"},
     ({"streams.anonymisation_claim": "yes"}, ["streams.anonymisation_method"])),
    ("evidence.no_storage_claim_unsupported", {"streams.list": [{**CITY, "retention_days": 0}]},
     ({"streams.list": [{**CITY, "retention_days": 0}]}, ["streams.retention_by_category"])),
    ("proportionality.identifiable_people_made_public",
     {"streams.list": [{**CITY, "data_subjects": ["general_public"], "made_public": "identifiable"}]},
     {"streams.list": [{**CITY, "data_subjects": ["general_public"], "made_public": "masked"}]}),
    ("necessity.operates_beyond_problem_times",
     {"streams.list": [CITY], "project.operation": "continuous", "necessity.problem_times": "certain_times"},
     {"streams.list": [CITY], "project.operation": "continuous", "necessity.problem_times": "at_all_times"}),
    ("legality.authorisation_in_general_terms",
     on({**INVESTIGATION, "data_categories": ["voice_audio"]}, legality__prior_authorisation="judicial",
        legality__authorisation_names_target="no"),
     on({**INVESTIGATION, "data_categories": ["voice_audio"]}, legality__prior_authorisation="judicial",
        legality__authorisation_names_target="unknown")),
    ("legality.authorisation_content_unknown",
     {**on({**INVESTIGATION, "data_categories": ["voice_audio", "communications_content"],
            "data_subjects": ["suspects", "witnesses_contacts"]}, legality__prior_authorisation="judicial",
           legality__authorisation_names_target="unknown"), "proportionality.intrusiveness_factors": ["covert"]},
     {**on({**INVESTIGATION, "data_categories": ["voice_audio", "communications_content"],
            "data_subjects": ["suspects", "witnesses_contacts"]}, legality__prior_authorisation="judicial",
           legality__authorisation_names_target="yes"), "proportionality.intrusiveness_factors": ["covert"]}),
    ("legality.authorisation_without_reasons",
     on({**INVESTIGATION, "data_categories": ["voice_audio"]}, legality__prior_authorisation="judicial",
        legality__authorisation_reasoned="no"),
     on({**INVESTIGATION, "data_categories": ["voice_audio"]}, legality__prior_authorisation="judicial",
        legality__authorisation_reasoned="yes")),
    ("legality.listing_criteria_not_written",
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["no_written_criteria"]),
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["individual_facts"])),
    ("legality.listing_grounds_unknown",
     on({**POLICE, "data_categories": ["risk_scores", "biometric_identification"]},
        legality__listing_grounds=["not_known"]),
     on({**POLICE, "data_categories": ["risk_scores", "biometric_identification"]},
        legality__listing_grounds=["individual_facts"])),
    ("proportionality.listed_for_beliefs_or_civic_activity",
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["beliefs_or_civic_activity"]),
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["own_record"])),
    ("necessity.listed_by_association",
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["association", "own_record"]),
     on({**POLICE, "data_categories": ["risk_scores"]}, legality__listing_grounds=["individual_facts", "own_record"])),
    ("legality.eu_regulation_outside_union",
     {**on(CITY, legality__instrument_kind="eu_regulation"), "screening.jurisdiction": "rs"},
     {**on(CITY, legality__instrument_kind="eu_regulation"), "screening.jurisdiction": "fr"}),
    ("proportionality.suspects_shown_beyond_an_appeal",
     {"streams.list": [{**POLICE, "purpose_kind": "other", "data_subjects": ["suspects"],
                        "made_public": "identifiable"}]},
     {"streams.list": [{**INVESTIGATION, "data_subjects": ["suspects"], "made_public": "identifiable"}]}),
    ("legality.publication_without_law",
     on({**INVESTIGATION, "data_subjects": ["suspects"], "made_public": "identifiable"},
        legality__publication_provided_by_law="no"),
     on({**INVESTIGATION, "data_subjects": ["suspects"], "made_public": "identifiable"},
        legality__publication_provided_by_law="yes")),
    ("proportionality.public_role_made_public",
     {"streams.list": [{**CITY, "data_subjects": ["employees"], "made_public": "public_role"}]},
     {"streams.list": [{**CITY, "data_subjects": ["employees"], "made_public": "masked"}]}),
    ("proportionality.child_made_public",
     {"streams.list": [{**CITY, "data_subjects": ["suspects", "minors"], "made_public": "identifiable"}]},
     {"streams.list": [{**CITY, "data_subjects": ["suspects", "minors"], "made_public": "masked"}]}),
    ("proportionality.essence_not_respected", {"proportionality.essence_respected": "no"},
     {"proportionality.essence_respected": "yes"}),
    ("proportionality.biometrics_at_assemblies", {**LFR_POLICE, "project.places": ["demonstrations"]},
     {**LFR_POLICE, "project.places": ["public_transport"]}),
    # Ordinary cameras at a demonstration, with nothing that changes there; quiet once recording pauses
    # while people assemble, and quiet where only counts of people are taken.
    ("proportionality.sensitive_places_without_limits",
     {"streams.list": [{**CITY, "data_categories": ["identifiable_images"]}], "project.places": ["demonstrations"],
      "proportionality.sensitive_places_limits": ["none"]},
     {"streams.list": [{**CITY, "data_categories": ["identifiable_images"]}], "project.places": ["demonstrations"],
      "proportionality.sensitive_places_limits": ["paused_during_use"]}),
    ("proportionality.everyone_treated_as_suspect", {"streams.list": [POLICE_BIO]},
     {"streams.list": [{**POLICE_BIO, "data_subjects": ["suspects"]}]}),
    ("proportionality.led_logging_missing", {"streams.list": [POLICE], "proportionality.safeguards": ["human_review"]},
     {"streams.list": [POLICE], "proportionality.safeguards": ["logging_led_art25"]}),
    ("proportionality.no_bias_testing", {**LFR_POLICE, "proportionality.safeguards": ["human_review"]},
     {**LFR_POLICE, "proportionality.safeguards": ["bias_testing"]}),
    ("proportionality.weak_safeguards_for_serious_interference",
     {**LFR_POLICE, "proportionality.safeguards": ["human_review"]},
     {**LFR_POLICE, "proportionality.safeguards": ["human_review", "independent_oversight", "access_restriction"]}),
    ("proportionality.pilot_without_sunset", {"project.duration": "pilot",
                                              "proportionality.safeguards": ["periodic_audit"]},
     {"project.duration": "pilot", "proportionality.safeguards": ["sunset_clause"]}),
    ("proportionality.permanent_monitoring_without_review",
     {"project.duration": "permanent", "screening.public_area_monitoring": "yes",
      "proportionality.safeguards": ["human_review"]},
     {"project.duration": "permanent", "screening.public_area_monitoring": "yes",
      "proportionality.safeguards": ["human_review"], "proportionality.review_date": "2028-01-31"}),
    ("proportionality.benefit_not_shown_for_serious_interference",
     {**LFR_POLICE, "necessity.effectiveness_evidence": "none"},
     {**LFR_POLICE, "necessity.effectiveness_evidence": "independent_evaluation"}),
    ("ai_act.realtime_rbi_prohibited", RT, RT_OK),
    ("ai_act.realtime_rbi_preconditions_missing", RT_OK,
     {**RT_OK, "ai_act.rbi_fria_completed": "yes", "ai_act.rbi_registered": "yes"}),
    ("ai_act.untargeted_facial_scraping", {"ai_act.is_ai_system": "yes", "ai_act.practices": ["facial_image_scraping"]},
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["post_remote_biometric_identification"]}),
    ("ai_act.individual_prediction_by_profiling",
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["individual_offending_prediction"],
      "ai_act.prediction_basis": "solely_profiling"},
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["individual_offending_prediction"],
      "ai_act.prediction_basis": "supports_human_assessment"}),
    ("ai_act.emotion_recognition_work_or_school",
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["emotion_recognition"],
      "ai_act.emotion_setting": ["education_institution"]},
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["emotion_recognition"],
      "ai_act.emotion_setting": ["public_space"]}),
    ("ai_act.sensitive_biometric_categorisation",
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["biometric_categorisation_sensitive"]},
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["emotion_recognition"]}),
    ("ai_act.ai_system_denied", {"ai_act.is_ai_system": "no", "project.technologies": ["video_analytics"]},
     {"ai_act.is_ai_system": "no", "project.technologies": ["cctv"]}),
    ("ai_act.post_rbi_without_authorisation",
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["post_remote_biometric_identification"],
      "ai_act.law_enforcement": "yes", "ai_act.post_rbi_authorisation": "none"},
     {"ai_act.is_ai_system": "yes", "ai_act.practices": ["post_remote_biometric_identification"],
      "ai_act.law_enforcement": "yes", "ai_act.post_rbi_authorisation": "judicial_prior"}),
    ("ai_act.fria_content_missing", HIGH_RISK_PUBLIC,
     {**HIGH_RISK_PUBLIC, **{q: "Described." for q in [
         "ai_act.fria_processes", "ai_act.fria_period_frequency", "ai_act.fria_affected_groups",
         "ai_act.fria_specific_risks", "ai_act.fria_human_oversight", "ai_act.fria_mitigation_governance"]}}),
    ("ai_act.registration_missing", {**HIGH_RISK_PUBLIC, "ai_act.registration": "no"},
     {**HIGH_RISK_PUBLIC, "ai_act.registration": "yes"}),
    ("ai_act.no_two_person_verification",
     {**RT_OK, "ai_act.two_person_verification": "no"}, {**RT_OK, "ai_act.two_person_verification": "yes"}),
    ("ai_act.logs_kept_too_briefly",
     {**HIGH_RISK_PUBLIC, "ai_act.logs_kept": "yes", "ai_act.logs_retention_months": 3},
     {**HIGH_RISK_PUBLIC, "ai_act.logs_kept": "yes", "ai_act.logs_retention_months": 6}),
    ("risks.severity_below_floor", {**LFR_POLICE, "risks.list": [risk("misidentification", "limited")]},
     {**LFR_POLICE, "risks.list": [risk("misidentification", "limited",
                                        justification="Alerts only open a manual check by two officers.")]}),
    ("risks.residual_lowered_without_measure",
     {"risks.list": [risk("illegitimate_access", "significant")],
      "measures.residual": [{"key": "r", "risk": "illegitimate_access", "residual_severity": "significant",
                             "residual_likelihood": "limited"}]},
     {"risks.list": [risk("illegitimate_access", "significant")],
      "measures.list": [{"key": "m", "title": "Encryption", "addresses": ["illegitimate_access"]}],
      "measures.residual": [{"key": "r", "risk": "illegitimate_access", "residual_severity": "significant",
                             "residual_likelihood": "limited"}]}),
    ("risks.expected_risk_missing", {**LFR_POLICE, "risks.list": [risk("illegitimate_access", "significant")]},
     {**LFR_POLICE, "risks.list": [risk(k, "significant") for k in [
         "illegitimate_access", "unwanted_modification", "disappearance", "misidentification", "discrimination"]]}),
    ("risks.measure_without_owner", {"measures.list": [{"key": "m", "title": "Masking", "status": "planned"}]},
     {"measures.list": [{"key": "m", "title": "Masking", "status": "planned", "owner": "CISO",
                         "due_date": "2027-01-01"}]}),
    ("risks.high_residual_risk", {"risks.list": [risk("chilling_effect", "maximum", "significant")]},
     {"risks.list": [risk("chilling_effect", "limited", "limited")]}),
    ("completeness.minimum_content_missing", {"project.summary": "Cameras."},
     {"project.summary": "Cameras.", "streams.list": [CITY], "necessity.objective": "x",
      "necessity.alternatives": [{"key": "a"}], "proportionality.balance": "x",
      "risks.list": [risk("illegitimate_access", "limited")], "measures.list": [{"key": "m", "title": "x"}]}),
]


def _answers_and_evidence(case):
    return case if isinstance(case, tuple) else (case, [])


def hits(rule_id, case):
    answers, evidence = _answers_and_evidence(case)
    return list(all_rules()[rule_id](context_for(answers, BANK, today=TODAY, evidence=evidence)))


def test_every_rule_has_a_case_and_words():
    # Rights rules and the alternatives catalogue have their own modules of cases.
    covered = [rule_id for rule_id, *_ in CASES + RIGHTS_CASES] + list(alternatives.RULES)
    assert sorted(covered) == sorted(all_rules())
    assert set(all_rules()) == set(BANK.rules)


@pytest.mark.parametrize(("rule_id", "fires", "quiet"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule_id, fires, quiet):
    fired = hits(rule_id, fires)
    assert fired, f"{rule_id} did not fire"
    for hit in fired:
        assert hit.rule == rule_id and hit.answers
        assert all(qid in BANK.questions for qid in hit.answers)
    assert hits(rule_id, quiet) == [], f"{rule_id} fired on the quiet case"


def test_a_resident_on_legitimate_interests_needs_no_law_but_a_city_does():
    resident = stream(controller_kind="private_own_purposes", purpose_kind="other")
    assert hits("legality.no_law", on(resident, legality__gdpr_basis="legitimate_interests",
                                      legality__instrument_kind="none")) == []
    assert hits("legality.no_law", on(CITY, legality__gdpr_basis="public_task", legality__instrument_kind="none"))
    assert hits("legality.no_law", on(POLICE, legality__instrument_kind="none"))


def test_the_ai_act_is_not_applied_outside_the_union():
    assert hits("ai_act.realtime_rbi_prohibited", {**RT, "screening.jurisdiction": "rs"}) == []
    assert hits("ai_act.realtime_rbi_prohibited", {**RT, "screening.jurisdiction": "be"})


def test_calls_made_to_the_body_are_not_conversations_taken_from_passers_by():
    """An emergency line records what callers say to the police around the clock: no microphone in the street."""
    calls = {"streams.list": [stream(data_categories=["voice_audio", "communications_content"],
                                     data_subjects=["general_public"], technologies=["call_recording"])],
             "project.technologies": ["call_recording", "audio_sensors"], "project.operation": "continuous"}
    assert hits("proportionality.conversations_of_passers_by", calls) == []
    street = {**calls, "streams.list": [{**calls["streams.list"][0], "technologies": ["audio_sensors"]}]}
    assert hits("proportionality.conversations_of_passers_by", street)


def test_video_analytics_is_read_under_the_ai_act_until_the_ai_question_is_answered():
    def ai_act(**answers):
        return assess({"screening.jurisdiction": "fr", **answers}, BANK, today=TODAY).ai_act

    analytics = {"project.technologies": ["cctv", "video_analytics"]}
    assert (ai_act(**analytics).applies, ai_act(**analytics).basis) == (True, "presumed")
    assert ai_act(**analytics, **{"ai_act.is_ai_system": "yes"}).basis == "declared"
    # A plain camera is no AI system; a "no" against analytics is not accepted silently either.
    assert (ai_act(**{"project.technologies": ["cctv"]}).applies,
            ai_act(**{"project.technologies": ["cctv"]}).basis) == (False, "not_declared")
    denied = {**analytics, "ai_act.is_ai_system": "no"}
    assert not ai_act(**denied).applies and hits("ai_act.ai_system_denied", denied)
    assert ai_act(**{**analytics, "screening.jurisdiction": "ch"}).basis == "outside_union"


@pytest.mark.parametrize("authority", ["external_executive", "prosecutor"])
def test_a_prefects_or_a_prosecutors_authorisation_is_an_outside_check_but_not_an_independent_one(authority):
    """A prosecutor who directs the investigation is not independent (CJEU Prokuratuur); nor is a prefect."""
    assert authority in {c.value for c in BANK.question("legality.prior_authorisation").choices}
    prefect = on(POLICE_BIO, legality__prior_authorisation=authority,
                 legality__law_specifies=["which_data"])
    assert hits("legality.no_prior_independent_authorisation", prefect)
    # Unlike a court's authorisation, it does not supply whom, where and when the law leaves open.
    assert hits("legality.law_not_foreseeable", prefect)[0].params["missing"][:3] == [
        BANK.question("legality.law_specifies").choice_label(m, "en") for m in ("who_may_be_targeted", "where",
                                                                                 "when_and_how_long")]


def test_a_court_authorising_each_use_supplies_whom_where_and_when():
    law = {"legality__instrument_kind": "statute", "legality__law_specifies": ["which_data", "retention", "safeguards"]}
    assert hits("legality.law_not_foreseeable", on(POLICE_BIO, **law))
    assert not hits("legality.law_not_foreseeable", on(POLICE_BIO, legality__prior_authorisation="judicial", **law))
    assert not hits("legality.law_scope_open", on(POLICE_BIO, legality__prior_authorisation="judicial",
                                                  legality__instrument_kind="statute",
                                                  legality__law_specifies=["oversight", "retention"]))


def test_a_general_power_does_not_cover_automated_analysis_or_data_fusion():
    fusion = {**on(CITY, legality__instrument_kind="statute",
                   legality__provision_specificity="general_surveillance_power"),
              "project.technologies": ["cctv", "data_fusion"]}
    assert hits("legality.general_power_for_intrusive_processing", fusion)


def test_showing_suspects_to_the_public_is_not_faulted_as_showing_passers_by():
    wanted = {**POLICE, "data_subjects": ["suspects"], "made_public": "identifiable"}
    assert not hits("proportionality.identifiable_people_made_public", {"streams.list": [wanted]})
    bystanders = {**wanted, "data_subjects": ["suspects", "general_public"]}
    assert hits("proportionality.identifiable_people_made_public", {"streams.list": [bystanders]})


@pytest.mark.parametrize(("operation", "times", "severity"), [
    ("continuous", "certain_times", "major"), ("continuous", "during_events", "major"),
    ("continuous", "at_all_times", None), ("continuous", "not_known", None),
    ("continuous", "operation_limited", None), ("scheduled_events", "during_events", None)])
def test_a_system_running_at_all_hours_for_a_problem_at_some_hours_is_limited_to_them(operation, times, severity):
    """Cameras around the clock for night-time vandalism, or on a stadium route every day for match days: the
    other hours capture people with no need behind them; limiting operation is the condition."""
    cameras = {**CITY, "data_categories": ["identifiable_images"], "data_subjects": ["general_public"]}
    answers = {"streams.list": [cameras], "project.technologies": ["cctv"], "project.operation": operation,
               "necessity.problem_times": times}
    found = [f for f in assess(answers, BANK, today=TODAY).findings
             if f.id == "necessity.operates_beyond_problem_times"]
    assert [(f.severity, f.level) for f in found] == ([(severity, "moderate")] if severity else [])
    if found:
        assert "continuously" in found[0].explanation.en and "{" not in found[0].explanation.fr
        assert "Limit operation" in found[0].resolution.en


def test_a_court_order_that_names_no_one_supervises_nothing():
    """Covert recording of a suspect's meetings, authorised by a judge: an order naming no one counts as no
    independent authorisation and no longer supplies the whom the law left to it (ECtHR Roman Zakharov §§ 257-267),
    so a law silent on whom leaves the scope open; a named, reasoned order does both. Not known: read as courts'
    orders usually are, with a minor finding to obtain them."""
    recording = {**INVESTIGATION, "data_categories": ["identifiable_images", "voice_audio", "communications_content"],
                 "data_subjects": ["suspects", "witnesses_contacts"]}
    base = {**on(recording, legality__prior_authorisation="judicial",
                 legality__law_specifies=["purposes_objectives", "when_and_how_long"]),
            "proportionality.intrusiveness_factors": ["covert", "reveals_private_life"]}

    def findings(names=None, reasoned=None):
        answers = dict(base)
        if names:
            answers["legality.authorisation_names_target"] = {"s1": names}
        if reasoned:
            answers["legality.authorisation_reasoned"] = {"s1": reasoned}
        return {f.id: f for f in assess(answers, BANK, today=TODAY).findings}

    vague = findings("no", "no")
    general = vague["legality.authorisation_in_general_terms"]
    assert general.level == "serious" and "does not name whom" in general.explanation.en
    assert general.severity == BANK.severity_of("legality.no_prior_independent_authorisation", "serious")
    assert "legality.no_prior_independent_authorisation" not in vague  # one finding for one gap
    assert "legality.authorisation_without_reasons" in vague
    assert vague["legality.law_scope_open"].severity == "blocker"  # nobody said whom: neither the law nor the order
    specific = findings("yes", "yes")
    assert not {"legality.authorisation_in_general_terms", "legality.authorisation_without_reasons",
                "legality.authorisation_content_unknown", "legality.law_scope_open"} & set(specific)
    unknown = findings("unknown", "unknown")
    assert not {"legality.authorisation_in_general_terms", "legality.law_scope_open"} & set(unknown)
    assert unknown["legality.authorisation_content_unknown"].severity == "minor"
    assert "legality.authorisation_content_unknown" not in findings()  # not asked yet: the question is open
    # A prosecutor's authorisation is not asked about: it is no independent authorisation in the first place.
    prosecutor = {**base, "legality.prior_authorisation": {"s1": "prosecutor"},
                  "legality.authorisation_names_target": {"s1": "no"}}
    assert not hits("legality.authorisation_in_general_terms", prosecutor)
    assert hits("legality.no_prior_independent_authorisation", prosecutor)


@pytest.mark.parametrize("level", ["light", "moderate", "serious", "most_serious"])
@pytest.mark.parametrize("eu_law", [True, False])
def test_a_vague_or_unreasoned_order_weighs_no_more_than_no_independent_order(level, eu_law):
    """Saying honestly what the orders contain must never cost more than saying there is no independent order."""
    none = BANK.severity_of("legality.no_prior_independent_authorisation", level, eu_law=eu_law)
    for rule_id in ("legality.authorisation_in_general_terms", "legality.authorisation_without_reasons"):
        severity = BANK.severity_of(rule_id, level, eu_law=eu_law)
        assert SEVERITY_ORDER[severity] >= SEVERITY_ORDER[none], (rule_id, severity, none)  # 0 is the heaviest


def test_a_fixed_term_measure_that_ends_by_itself_needs_no_sunset_clause():
    """A pilot under a law that expires ends without anyone deciding to end it; a fixed-term project on an
    open-ended basis still needs the clause."""
    tapping = {**INVESTIGATION, "data_categories": ["voice_audio"]}
    base = {**on(tapping, legality__prior_authorisation="judicial"), "project.duration": "fixed_term",
            "proportionality.safeguards": ["human_review"]}
    assert hits("proportionality.pilot_without_sunset", base)
    expiring = {**base, "legality.provision_end_date": {"s1": "2027-06-30"}, "project.end_date": "2027-06-30"}
    assert not hits("proportionality.pilot_without_sunset", expiring)
    # A law that outlives the project, or a date that is not one, ends nothing in time.
    for law_ends in ("2099-12-31", "soon"):
        assert hits("proportionality.pilot_without_sunset",
                    {**expiring, "legality.provision_end_date": {"s1": law_ends}})


def test_the_grounds_for_listing_a_person_decide_what_the_list_is():
    """A watchlist of activists for their campaigning is barred whatever else it does (LED Art. 11(3), ECHR Art. 11);
    contacts listed for whom they know and officers listing at will are findings that grow with the seriousness;
    facts about the person or their own record raise none. Asked only of streams that list or score people."""
    watchlist = {**POLICE, "data_categories": ["identity_contact", "risk_scores"], "data_subjects": ["suspects"]}

    def found(grounds, stream=watchlist):
        answers = on(stream, legality__listing_grounds=grounds)
        return {f.id: f for f in assess(answers, BANK, today=TODAY).findings}

    rule_id = "proportionality.listed_for_beliefs_or_civic_activity"
    activists = found(["individual_facts", "beliefs_or_civic_activity"])[rule_id]
    assert activists.severity == "blocker"
    assert "freedoms of expression, assembly and association" in activists.explanation.en
    listing_rules = {"proportionality.listed_for_beliefs_or_civic_activity", "necessity.listed_by_association",
                     "legality.listing_criteria_not_written"}
    assert not listing_rules & set(found(["individual_facts", "own_record", "system_patterns"]))
    # A face-recognition watchlist is a list too.
    faces = {**watchlist, "data_categories": ["biometric_identification"]}
    assert "necessity.listed_by_association" in found(["association"], faces)
    # Without scores or lists the question is not asked, and an answer left from before counts for nothing.
    plain = {**watchlist, "data_categories": ["identity_contact"]}
    assert not listing_rules & set(found(["beliefs_or_civic_activity", "association"], plain))


def test_a_plate_readers_hit_list_and_a_police_file_are_lists_too():
    """Whom a hit list or a police file holds is asked as for a watch list: the keeper of a car put on a plate reader's
    list for their campaigning is listed for civic activity; the same plates read with no reader, or a database that
    holds no offence data, are not asked about."""
    plates = {**POLICE, "data_categories": ["licence_plates"], "data_subjects": ["drivers"]}
    police_file = {**POLICE, "data_categories": ["identity_contact", "criminal_offence"], "data_subjects": ["suspects"]}
    rule_id = "proportionality.listed_for_beliefs_or_civic_activity"

    def found(stream, technologies, grounds=("beliefs_or_civic_activity",)):
        answers = {**on(stream, legality__listing_grounds=list(grounds)), "project.technologies": technologies}
        return {f.id for f in assess(answers, BANK, today=TODAY).findings}

    assert rule_id in found(plates, ["anpr"])
    assert rule_id not in found(plates, ["cctv"])
    assert rule_id in found(police_file, ["records_database"])
    assert rule_id not in found({**police_file, "data_categories": ["identity_contact"]}, ["records_database"])


def test_grounds_not_known_are_asked_for_only_where_the_interference_is_serious():
    """Not knowing the grounds of a list is a minor finding for a serious interference, and none for a list of a
    few suspects' names; "not known" is ticked alone."""
    serious = {**POLICE, "data_categories": ["risk_scores", "biometric_identification"]}
    light = {**POLICE, "data_categories": ["risk_scores"], "data_subjects": ["suspects"], "retention_days": 7}
    rule_id = "legality.listing_grounds_unknown"

    def findings(stream):
        return {f.id: f for f in assess(on(stream, legality__listing_grounds=["not_known"]), BANK,
                                        today=TODAY).findings}

    assert findings(serious)[rule_id].severity == "minor"
    assert rule_id not in findings(light)
    from dpia.engine.answers import validate_answers
    both = on(serious, legality__listing_grounds=["not_known", "own_record"])
    assert any("cannot be ticked with other choices" in e for e in validate_answers(both, BANK))


def test_a_suspect_shown_on_television_is_a_serious_interference_unless_an_appeal_needs_it():
    """A detained man filmed at the police station and broadcast to inform the public: publication makes the
    interference serious (Peck), and with no appeal to identify or trace anyone behind it the suspect's exposure is
    barred. An appeal for witnesses in an investigation may show the suspect, on the law's terms."""
    filmed = {**POLICE, "purpose_kind": "other", "data_categories": ["identifiable_images", "criminal_offence"],
              "data_subjects": ["suspects"], "made_public": "identifiable"}
    result = assess({"streams.list": [filmed]}, BANK, today=TODAY)
    assert result.seriousness[0].level == "serious"
    shown = [f for f in result.findings if f.id == "proportionality.suspects_shown_beyond_an_appeal"]
    assert shown and shown[0].severity == "blocker" and "presumed innocent" in shown[0].explanation.en
    # Appeals, warnings and wanted notices serve a law-enforcement end, whichever kind the stream is.
    for purpose in ("crime_investigation", "crime_prevention", "public_security_threats", "execution_of_penalties"):
        appeal = {**filmed, "purpose_kind": purpose}
        assert not hits("proportionality.suspects_shown_beyond_an_appeal", {"streams.list": [appeal]}), purpose
    # Convicted persons are not presumed innocent: their publication is left to the law that provides for it.
    assert not hits("proportionality.suspects_shown_beyond_an_appeal",
                    {"streams.list": [{**filmed, "data_subjects": ["convicted"]}]})
    # Calling the suspect a public figure does not take the images out of the bar, nor the stream out of seriousness.
    as_public_role = {**filmed, "made_public": "public_role"}
    assert hits("proportionality.suspects_shown_beyond_an_appeal", {"streams.list": [as_public_role]})
    assert not hits("proportionality.public_role_made_public", {"streams.list": [as_public_role]})
    assert assess({"streams.list": [as_public_role]}, BANK, today=TODAY).seriousness[0].level == "serious"
    masked = {**filmed, "made_public": "masked"}
    assert assess({"streams.list": [masked]}, BANK, today=TODAY).seriousness[0].level != "serious"
    # Said why, the answer decides over the stream's kind: a prevention stream showing a detainee to display police
    # action is barred, an appeal on an "other" stream is not; no law for the release bars it whatever the aim.
    rule_id = "proportionality.suspects_shown_beyond_an_appeal"
    shown_off = on({**filmed, "purpose_kind": "crime_prevention"},
                   legality__publication_purpose="inform_or_show_action")
    assert hits(rule_id, shown_off)
    assert not hits(rule_id, on(filmed, legality__publication_purpose="identify_or_trace"))
    no_law = on({**filmed, "purpose_kind": "crime_investigation"}, legality__publication_purpose="identify_or_trace",
                legality__publication_provided_by_law="no")
    assert [f.severity for f in assess(no_law, BANK, today=TODAY).findings
            if f.id == "legality.publication_without_law"] == ["blocker"]


def test_a_directly_applicable_eu_regulation_is_law_and_its_status_is_asked():
    eu_law = on(CITY, legality__instrument_kind="eu_regulation")
    assert "eu_regulation" in {c.value for c in BANK.question("legality.instrument_kind").choices}
    assert not hits("legality.sub_statutory_instrument", eu_law) and not hits("legality.no_law", eu_law)
    outside = [f for f in assess({**eu_law, "screening.jurisdiction": "gb"}, BANK, today=TODAY).findings
               if f.id == "legality.eu_regulation_outside_union"]
    assert outside and outside[0].severity == "blocker" and "Union law does not apply" in outside[0].explanation.en
    assert BANK.jurisdictions["gb"].name.en in outside[0].explanation.en and "{" not in outside[0].explanation.fr
    assert not hits("legality.eu_regulation_outside_union", {**eu_law, "screening.jurisdiction": "no"})  # EEA
    status = BANK.question("legality.provision_status")
    for kind, asked in (("eu_regulation", True), ("contract", False)):
        ctx = context_for(on(CITY, legality__instrument_kind=kind), BANK, today=TODAY)
        assert evaluate(status.show_if, ctx.answers_for(ctx.streams[0]), ctx.streams[0].item) is asked


def test_officials_named_for_their_public_role_are_a_condition_where_bystanders_are_a_bar():
    """Officers' conduct in their duties quoted by an oversight body: accountability can justify it, within the role.
    The answer relieves nothing for anyone else the stream reaches: passers-by, demonstrators and children stay
    bystanders (and a child the subject of its own rule)."""
    officials = {**CITY, "data_subjects": ["employees"], "made_public": "public_role"}
    found = {f.id: f for f in assess({"streams.list": [officials]}, BANK, today=TODAY).findings}
    assert "proportionality.identifiable_people_made_public" not in found
    assert found["proportionality.public_role_made_public"].severity == "major"
    assert "private life" in found["proportionality.public_role_made_public"].explanation.en
    assert hits("proportionality.identifiable_people_made_public",
                {"streams.list": [{**officials, "made_public": "identifiable"}]})
    for others in (["employees", "general_public"], ["general_public", "protesters"], ["general_public", "minors"],
                   ["employees", "vulnerable_people"], ["drivers"]):
        square = {"streams.list": [{**officials, "data_subjects": others}]}
        assert hits("proportionality.identifiable_people_made_public", square), others
        assert not hits("proportionality.public_role_made_public", square), others
    assert hits("proportionality.child_made_public",
                {"streams.list": [{**officials, "data_subjects": ["general_public", "minors"]}]})
    # Suspects are no officials in a role: the answer is read as showing them identifiable (an appeal may).
    wanted = {"streams.list": [{**POLICE, "data_subjects": ["suspects"], "made_public": "public_role"}]}
    assert not hits("proportionality.public_role_made_public", wanted)
    assert not hits("proportionality.identifiable_people_made_public", wanted)


@pytest.mark.parametrize("device", ["body_cameras", "handheld_cameras"])
def test_cameras_carried_by_officers_in_the_street_are_monitoring_of_a_public_area(device):
    denied = {"screening.public_area_monitoring": "no", "project.places": ["demonstrations"],
              "project.technologies": [device]}
    assert hits("screening.public_monitoring_denied", denied)
    assert not hits("screening.public_monitoring_denied", {**denied, "project.places": ["workplaces"]})


@pytest.mark.parametrize("device", ["vehicle_cameras", "handheld_cameras"])
def test_a_general_power_over_fixed_cameras_does_not_foresee_cameras_on_vehicles_or_in_hand(device):
    general = on(CITY, legality__instrument_kind="statute",
                 legality__provision_specificity="general_surveillance_power")
    assert not hits("legality.general_power_for_intrusive_processing", {**general, "project.technologies": ["cctv"]})
    assert hits("legality.general_power_for_intrusive_processing",
                {**general, "project.technologies": ["cctv", device]})


def test_a_stream_of_plain_cameras_is_not_faulted_for_analytics_another_stream_runs():
    cameras = {**CITY, "key": "cameras", "technologies": ["cctv"]}
    analytics = {**CITY, "key": "analytics", "technologies": ["video_analytics"]}
    general = {"instrument_kind": "statute", "provision_specificity": "general_surveillance_power"}
    answers = {"streams.list": [cameras, analytics], "project.technologies": ["cctv", "video_analytics"],
               **{f"legality.{q}": {"cameras": v, "analytics": v} for q, v in general.items()}}
    faulted = {h.stream for h in hits("legality.general_power_for_intrusive_processing", answers)}
    assert faulted == {"analytics"}


def test_an_alternative_the_project_adopted_is_not_one_it_left_aside():
    adopted = {"necessity.alternatives": [{"key": "a", "alternative": "Two cameras fewer", "less_intrusive": "yes",
                                           "effective_enough": "yes", "adopted": "yes"}]}
    assert hits("necessity.less_intrusive_alternative_available", adopted) == []
    assert hits("necessity.alternative_rejected_without_reason", adopted) == []


def test_the_time_limit_that_runs_follows_the_regime_that_requires_consultation():
    from dpia.engine import assess

    police = {"streams.list": [{**POLICE_BIO, "new_filing_system": "yes"}],
              "project.technologies": ["live_facial_recognition"]}
    led = assess(police, BANK, today=TODAY).consultation
    assert (led.required, led.regime, led.regulator_weeks) == (True, "led", 6)
    city = {"streams.list": [CITY], "risks.list": [risk("chilling_effect", "maximum", "maximum")]}
    gdpr = assess(city, BANK, today=TODAY).consultation
    assert (gdpr.required, gdpr.regime, gdpr.regulator_weeks) == (True, "gdpr", 8)
    assert assess({"streams.list": [CITY]}, BANK, today=TODAY).consultation.regime is None


def test_a_law_on_watching_everyone_at_a_place_is_bounded_by_the_places_it_names():
    names_places = {"legality__instrument_kind": "statute",
                    "legality__law_specifies": ["purposes_objectives", "where", "retention"]}
    targeted = assess(on({**POLICE, "data_subjects": ["suspects"]}, **names_places), BANK, today=TODAY)
    place = assess(on({**POLICE, "data_subjects": ["general_public"]}, **names_places), BANK, today=TODAY)
    assert "legality.law_scope_open" in targeted.finding_ids()
    assert "legality.law_scope_open" not in place.finding_ids()


def test_consent_of_pupils_is_presumed_unfree_until_an_alternative_is_kept_for_whoever_refuses():
    canteen = stream(controller_kind="city_administration", purpose_kind="public_services",
                     data_categories=["biometric_identification"], data_subjects=["minors"])
    pupils = on(canteen, legality__gdpr_basis="consent", legality__gdpr_special_exception="explicit_consent",
                legality__consent_free="yes", legality__consent_refusal_option="same_service_other_means")
    assert assess(pupils, BANK, today=TODAY).verdict.outcome == "unlawful_as_proposed"
    with_card = assess({**pupils, "necessity.alternatives": [CARD_KEPT]}, BANK, today=TODAY)
    ids = {f.id: f.severity for f in with_card.findings}
    assert "claims.consent_presumed_not_free" not in ids
    assert ids["claims.consent_of_dependent_people_needs_equal_alternative"] == "major"
    condition = [c for c in with_card.verdict.conditions
                 if c.finding == "claims.consent_of_dependent_people_needs_equal_alternative"]
    assert condition and "separate queue" in condition[0].text.en

    def presumed_unfree(**changes):
        answers = {**pupils, "necessity.alternatives": [CARD_KEPT]}
        for key, value in changes.items():
            answers[key.replace("__", ".")] = value
        found = {f.id for f in assess(answers, BANK, today=TODAY).findings}
        return "claims.consent_presumed_not_free" in found and \
            "claims.consent_of_dependent_people_needs_equal_alternative" not in found

    # A card kept does not cure consent taken by silence, nor consent whose freedom is not even claimed,
    # nor a refusal that costs a wait.
    assert presumed_unfree(legality__consent_collection={"s1": "opt_out"})
    assert presumed_unfree(legality__consent_free={"s1": "unknown"})
    assert presumed_unfree(legality__consent_refusal_option={"s1": "other_means_with_disadvantage"})
    # Only an alternative that serves refusers and is really kept: fewer cameras, or a badge merely
    # considered, are no outlet for a pupil who says no.
    fewer = {"key": "fewer", "alternative": "Fewer cameras", "catalogue_entry": "targeted_patrols",
             "less_intrusive": "yes", "adopted": "yes"}
    assert presumed_unfree(necessity__alternatives=[fewer])
    assert presumed_unfree(necessity__alternatives=[{**CARD_KEPT, "adopted": "no"}])
    assert presumed_unfree(necessity__alternatives=[{**CARD_KEPT, "less_intrusive": "unknown"}])


def test_the_outlet_for_refusers_is_judged_stream_by_stream():
    """A badge beside the canteen's face scanner does not make the staff's consent to a scan free when
    staff who refuse have no other way in."""
    canteen = stream(key="canteen", name="Canteen", controller_kind="city_administration",
                     purpose_kind="public_services", data_categories=["biometric_identification"],
                     data_subjects=["minors"])
    staff = {**canteen, "key": "staff", "name": "Staff entrance", "data_subjects": ["employees"]}
    both = lambda value, other: {"canteen": value, "staff": other}  # noqa: E731
    answers = {"streams.list": [canteen, staff], "necessity.alternatives": [CARD_KEPT],
               "legality.gdpr_basis": both("consent", "consent"),
               "legality.consent_free": both("yes", "yes"),
               "legality.consent_refusal_option": both("same_service_other_means", "nothing")}
    findings = {(f.id, f.stream) for f in assess(answers, BANK, today=TODAY).findings}
    assert ("claims.consent_of_dependent_people_needs_equal_alternative", "canteen") in findings
    assert ("claims.consent_presumed_not_free", "staff") in findings
    assert ("claims.consent_presumed_not_free", "canteen") not in findings


def test_an_assessment_owed_before_the_start_is_a_finding_only_where_one_is_owed():
    assert hits("screening.processing_started_before_assessment",
                {**STARTED, "project.assessed_before_start": "no"})
    # An extension is assessed before the part being added: the question is not asked.
    assert hits("screening.processing_started_before_assessment",
                {**STARTED, "project.stage": "extension", "project.assessed_before_start": "no"}) == []
    # A running system that needs no assessment owed none before it started.
    small = {"project.stage": "in_operation", "project.assessed_before_start": "no"}
    assert hits("screening.processing_started_before_assessment", small) == []


def test_customs_investigators_fall_under_the_led_and_a_fire_service_is_a_public_authority():
    customs = stream(controller_kind="other_competent_authority", purpose_kind="crime_investigation")
    assert [r.analysis for r in assess({"streams.list": [customs]}, BANK, today=TODAY).regimes] == ["led"]
    duties = {**customs, "purpose_kind": "public_services"}
    assert [r.analysis for r in assess({"streams.list": [duties]}, BANK, today=TODAY).regimes] == ["gdpr"]
    fire = stream(controller_kind="other_public_body", purpose_kind="public_services")
    assert hits("legality.legitimate_interests_public_body", on(fire, legality__gdpr_basis="legitimate_interests"))


def test_common_law_powers_are_law_but_a_general_power_does_not_foresee_facial_recognition():
    """As in Bridges (Court of Appeal, 2020): the police's common-law powers are a legal basis, but
    too general for live facial recognition of the public."""
    common_law = on(POLICE_BIO, legality__instrument_kind="common_law",
                    legality__provision_specificity="general_surveillance_power")
    assert hits("legality.sub_statutory_instrument", common_law) == []
    assert hits("legality.no_law", common_law) == []
    assert hits("legality.general_power_for_intrusive_processing", common_law)


def test_a_draft_is_not_faulted_for_being_unpublished_yet():
    unpublished = on(CITY, legality__instrument_kind="statute", legality__law_published="no")
    assert hits("legality.law_not_published", unpublished)
    draft = {**unpublished, "legality.provision_status": {"s1": "draft"}}
    assert hits("legality.law_not_published", draft) == []
    assert hits("legality.law_publication_unknown", {**draft, "legality.law_published": {"s1": "unknown"}}) == []


def test_a_function_the_equipment_has_is_a_condition_until_locked_but_one_the_project_uses_is_judged_as_used():
    """A microphone that is only there asks that it be locked off (a condition, named in the finding); sound
    the project actually records from passers-by all day is judged as what it is."""
    cameras = {**POLICE, "data_categories": ["identifiable_images"], "data_subjects": ["general_public"]}
    base = {"streams.list": [cameras], "project.operation": "continuous", "project.technologies": ["cctv"]}
    unused = assess({**base, "necessity.unused_capabilities": ["sound", "view_private_places"]}, BANK, today=TODAY)
    found = {f.id: f for f in unused.findings}
    assert found["necessity.unused_capability_not_locked"].severity == "major"
    assert "record or listen to sound" in found["necessity.unused_capability_not_locked"].explanation.en
    assert "is not said" in found["necessity.unused_capability_not_locked"].explanation.en
    assert "proportionality.conversations_of_passers_by" not in found
    none = assess({**base, "necessity.unused_capabilities": ["none"]}, BANK, today=TODAY)
    assert "necessity.unused_capability_not_locked" not in {f.id for f in none.findings}
    # A records database has no microphone or zoom: the question is not asked, and an old answer does not count.
    records = assess({**base, "project.technologies": ["records_database"],
                      "necessity.unused_capabilities": ["sound"]}, BANK, today=TODAY)
    assert "necessity.unused_capability_not_locked" not in {f.id for f in records.findings}
    used = assess({"streams.list": [{**cameras, "data_categories": ["identifiable_images", "voice_audio"]}],
                   "project.operation": "continuous", "project.technologies": ["cctv"]}, BANK, today=TODAY)
    assert "proportionality.conversations_of_passers_by" in {f.id for f in used.findings}


def test_a_minor_suspect_shown_in_a_wanted_appeal_is_a_suspect_not_a_passer_by():
    """'Minors' ticked beside 'suspects' says who the suspects are; minors alone, or beside passers-by or
    staff, are people with no link to an offence."""
    rule_id = "proportionality.identifiable_people_made_public"
    young_suspect = {**POLICE, "data_subjects": ["suspects", "minors"], "made_public": "identifiable"}
    assert not hits(rule_id, {"streams.list": [young_suspect]})
    for subjects in (["minors"], ["minors", "general_public", "suspects"], ["vulnerable_people"],
                     ["employees", "convicted", "minors"]):
        assert hits(rule_id, {"streams.list": [{**young_suspect, "data_subjects": subjects}]}), subjects
    # A covert measure on minor suspects still singles people out (Stream.roles); beside passers-by it does not.
    tracking = {**POLICE, "data_categories": ["location"], "data_subjects": ["suspects", "minors"]}
    covert = {"streams.list": [tracking], "proportionality.intrusiveness_factors": ["covert"],
              "legality.offences_served": {"s1": "any_offence"}}
    assert hits("legitimate_aim.covert_measure_for_any_offence", covert)
    widened = {**covert, "streams.list": [{**tracking, "data_subjects": ["suspects", "minors", "general_public"]}]}
    assert not hits("legitimate_aim.covert_measure_for_any_offence", widened)
    # Not barred, but the child's age asks for its own justification (Charter Art. 24(2), UNCRC Art. 40(2)(b)).
    child = [f for f in assess({"streams.list": [young_suspect]}, BANK, today=TODAY).findings
             if f.id == "proportionality.child_made_public"]
    assert child and child[0].severity == "major" and "last resort" in child[0].explanation.en
    assert not hits("proportionality.child_made_public",
                    {"streams.list": [{**young_suspect, "data_subjects": ["suspects"]}]})


@pytest.mark.parametrize("stage, severity", [("idea", "major"), ("procurement", "major"), ("pilot_running", "blocker"),
                                             ("in_operation", "blocker"), ("extension", "blocker"), (None, "blocker")])
def test_a_ground_still_to_find_bars_processing_that_runs_but_only_conditions_one_not_started(stage, severity):
    answers = {**on(CITY, legality__gdpr_basis="none_identified"), "project.stage": stage}
    found = {f.id: f for f in assess(answers, BANK, today=TODAY).findings
             if f.id in ("legality.gdpr_no_ground", "legality.gdpr_ground_not_yet_identified")}
    assert [f.severity for f in found.values()] == [severity]
    if severity == "major":  # the condition says what must happen before the start
        verdict = assess(answers, BANK, today=TODAY).verdict
        assert any(c.finding == "legality.gdpr_ground_not_yet_identified" for c in verdict.conditions)


@pytest.mark.parametrize("start, severity", [("2019-01-01", "blocker"), (TODAY.isoformat(), "blocker"),
                                             ("2027-06-01", "major"), ("not a date", "major")])
def test_a_project_said_not_to_have_started_whose_start_date_has_passed_is_judged_as_running(start, severity):
    answers = {**on(CITY, legality__gdpr_basis="none_identified"), "project.stage": "idea",
               "project.start_date": start}
    found = [f.severity for f in assess(answers, BANK, today=TODAY).findings
             if f.id in ("legality.gdpr_no_ground", "legality.gdpr_ground_not_yet_identified")]
    assert found == [severity]


def _raised(answers):
    return {f.id for s in assess(answers, BANK, today=TODAY).seriousness for f in s.raised}


def test_interception_of_communications_is_covert_by_nature_and_no_camera_power_covers_it():
    """Wiretapping is secret while it lasts whatever the information answers say, and a general surveillance power
    (written for cameras) does not foresee it."""
    tapping = {**INVESTIGATION, "data_categories": ["communications_content"], "data_subjects": ["suspects"]}
    answers = {**on(tapping, legality__instrument_kind="statute",
                    legality__provision_specificity="general_surveillance_power"),
               "project.technologies": ["communications_interception"]}
    assert "covert" in _raised(answers)
    assert hits("legality.general_power_for_intrusive_processing", answers)
    assert "covert" not in _raised({**answers, "project.technologies": ["records_database"]})


def test_people_held_in_custody_raise_the_seriousness():
    cells = {**POLICE, "data_categories": ["identifiable_images"], "data_subjects": ["suspects"]}
    held = {"streams.list": [cells], "project.places": ["places_of_detention"]}
    assert "people_held" in _raised(held)
    assert "people_held" not in _raised({**held, "project.places": ["public_streets"]})


def test_a_one_off_operation_has_an_end_date_and_needs_no_sunset_clause():
    base = {"streams.list": [CITY], "proportionality.safeguards": ["human_review"], "project.end_date": "2027-01-10"}
    one_off = {**base, "project.duration": "one_off"}
    assert "project.end_date" in BANK.applicable_answers(one_off)
    assert not hits("proportionality.pilot_without_sunset", one_off)
    assert hits("proportionality.pilot_without_sunset", {**base, "project.duration": "pilot"})


def test_no_safeguard_decided_is_an_answer_the_rules_read():
    """"None of these is decided" is weighed as the absence of every safeguard (not as a question left open), and
    asks for no description of the safeguards."""
    answers = {**LFR_POLICE, "proportionality.safeguards": ["none"], "proportionality.safeguards_detail": "x"}
    assert hits("proportionality.weak_safeguards_for_serious_interference", answers)
    assert hits("proportionality.led_logging_missing", answers)
    assert "proportionality.safeguards_detail" not in BANK.applicable_answers(answers)
    unanswered = {k: v for k, v in answers.items() if not k.startswith("proportionality.safeguards")}
    assert not hits("proportionality.weak_safeguards_for_serious_interference", unanswered)


def test_consent_to_an_online_service_is_not_consent_in_public_space():
    """Passers-by cannot consent to cameras; a member of the public who enrols in an app, where the project captures
    no one at a place, is judged by the consent rules instead (a public authority's request: presumed unfree)."""
    enrolment = stream(controller_kind="other_public_body", purpose_kind="public_services",
                       data_categories=["biometric_identification"], data_subjects=["general_public"])
    answers = {**on(enrolment, legality__gdpr_basis="public_task", legality__gdpr_special_exception="explicit_consent",
                    legality__consent_free="yes", legality__consent_collection="opt_in",
                    legality__consent_refusal_option="same_service_other_means"),
               "project.places": ["no_physical_place"]}
    assert not hits("legality.consent_in_public_space", answers)
    assert hits("claims.consent_presumed_not_free", answers)
    assert hits("legality.consent_in_public_space", {**answers, "project.places": ["public_streets"]})
    assert hits("legality.consent_in_public_space", {k: v for k, v in answers.items() if k != "project.places"})
    # A camera is a camera whatever place is ticked.
    assert hits("legality.consent_in_public_space", {**answers, "project.technologies": ["live_facial_recognition"]})
    # Another way in, kept for whoever refuses, turns the presumption into a condition.
    account = {"key": "account", "alternative": "Log in with an existing account", "less_intrusive": "yes",
               "adopted": "yes", "catalogue_entry": "badges_or_staff_instead_of_faces"}
    kept = {**answers, "necessity.alternatives": [account]}
    assert not hits("claims.consent_presumed_not_free", kept)
    assert hits("claims.consent_of_dependent_people_needs_equal_alternative", kept)


def test_covertly_reading_the_communications_of_people_under_no_suspicion_is_the_most_serious_interference():
    chats = {**POLICE, "data_categories": ["communications_content"], "data_subjects": ["general_public"]}

    def level(answers):
        return assess(answers, BANK, today=TODAY).seriousness[0].level

    covert = {"streams.list": [chats], "project.technologies": ["communications_interception"]}
    assert level(covert) == "most_serious"
    assert level({**covert, "streams.list": [{**chats, "data_subjects": ["suspects"]}]}) != "most_serious"
    # A tap on a suspect's line reaches the people the suspect talks to: serious, not the most serious.
    assert level({**covert, "streams.list": [{**chats, "data_subjects": ["suspects", "general_public"]}]}) \
        != "most_serious"
    assert level({"streams.list": [chats], "project.technologies": ["social_media_monitoring"],
                  "rights.information_layers": ["full_notice"]}) != "most_serious"


def test_interception_in_one_stream_does_not_make_the_projects_open_cameras_covert():
    cameras = {**INVESTIGATION, "key": "cctv", "name": "Open cameras", "data_subjects": ["suspects"],
               "technologies": ["cctv"]}
    tap = {**INVESTIGATION, "key": "tap", "name": "Tap", "data_categories": ["communications_content"],
           "data_subjects": ["suspects"], "technologies": ["communications_interception"]}
    answers = {"streams.list": [cameras, tap], "project.technologies": ["cctv", "communications_interception"],
               "legality.offences_served": {"cctv": "any_offence", "tap": "any_offence"}}
    found = {(f.id, f.stream) for f in assess(answers, BANK, today=TODAY).findings}
    assert ("legitimate_aim.covert_measure_for_any_offence", "tap") in found
    assert ("legitimate_aim.covert_measure_for_any_offence", "cctv") not in found


def test_an_own_alternative_the_assessment_keeps_for_refusers_rebuts_the_presumption():
    """An outlet for refusers need not come from the catalogue: an alternative the project keeps, said to be offered
    to whoever refuses, turns the presumption into the condition that refusing stay costless; one kept for another
    reason does not."""
    canteen = stream(controller_kind="city_administration", purpose_kind="public_services",
                     data_categories=["biometric_identification"], data_subjects=["minors"])
    pupils = on(canteen, legality__gdpr_basis="consent", legality__gdpr_special_exception="explicit_consent",
                legality__consent_free="yes", legality__consent_refusal_option="same_service_other_means")
    card = {"key": "card", "alternative": "A meal card at the door", "less_intrusive": "yes", "adopted": "yes"}
    assert hits("claims.consent_presumed_not_free", {**pupils, "necessity.alternatives": [card]})
    kept = {**pupils, "necessity.alternatives": [{**card, "for_refusers": "yes"}]}
    assert not hits("claims.consent_presumed_not_free", kept)
    assert hits("claims.consent_of_dependent_people_needs_equal_alternative", kept)
    assert hits("claims.consent_presumed_not_free",
                {**pupils, "necessity.alternatives": [{**card, "for_refusers": "yes", "adopted": "no"}]})


def test_people_held_cannot_freely_consent_to_whoever_holds_them():
    private_prison = stream(controller_kind="private_own_purposes", purpose_kind="other",
                            data_categories=["biometric_identification"], data_subjects=["general_public"])
    answers = {**on(private_prison, legality__gdpr_basis="consent", legality__consent_free="yes"),
               "project.places": ["places_of_detention"]}
    assert hits("claims.consent_presumed_not_free", answers)
    assert not hits("claims.consent_presumed_not_free", {**answers, "project.places": ["workplaces"]})


def test_a_permit_the_law_requires_for_these_cameras_says_where_they_may_film():
    """A law that only requires a permit, granted site by site after its own test, bounds cameras watching everyone
    at a place as a law naming the places would; it says nothing of whom a face search may reach."""
    square = {**CITY, "purpose_kind": "crime_prevention", "data_categories": ["identifiable_images"],
              "data_subjects": ["general_public"], "sources": ["own_sensors"], "retention_days": 60}
    answers = {**on(square, legality__instrument_kind="statute", legality__law_specifies=["oversight"],
                    legality__provision_specificity="general_surveillance_power"),
               "project.places": ["public_streets", "schools"], "project.duration": "permanent",
               "project.operation": "continuous", "streams.list": [{**square, "data_subjects": ["general_public",
                                                                                               "minors"]}]}
    assert hits("legality.law_specifies_nothing", answers)
    permitted = {**answers, "measures.national_authorisation": "obtained"}
    assert not hits("legality.law_specifies_nothing", permitted)
    assert not hits("legality.law_scope_open", permitted)
    assert hits("legality.law_not_foreseeable", permitted)  # when, how long and the rest are still the law's to say
    faces = {**permitted, "streams.list": [{**square, "data_categories": ["biometric_identification"]}]}
    assert hits("legality.law_scope_open", faces)
    assert hits("legality.law_specifies_nothing", {**answers, "measures.national_authorisation": "pending"})


def test_a_stream_whose_controller_or_purpose_is_not_given_is_read_under_the_gdpr_as_an_assumption():
    half = {"key": "s1", "name": "Recordings for the police"}
    regime = assess({"streams.list": [half]}, BANK, today=TODAY).regimes[0]
    assert regime.regime == "gdpr"
    assert "not given yet" in regime.reasons[0].en and "n'est pas encore indiquée" in regime.reasons[0].fr
    given = assess({"streams.list": [{**half, **CITY}]}, BANK, today=TODAY).regimes[0]
    assert "not a competent authority" in given.reasons[0].en
    police = assess({"streams.list": [{**half, "controller_kind": "state_police"}]}, BANK, today=TODAY).regimes[0]
    assert "not given yet" in police.reasons[0].en
