"""Provided for by law, per processing stream: the basis, the quality of the law, the competence of
the body, special categories, criminal data, and re-use of data collected for other purposes."""

from __future__ import annotations

from dpia.engine.context import (
    BIOMETRIC_DATA,
    FRT,
    OFFENCE_LINKED,
    OWN_FILES,
    PUBLIC_CONTROLLERS,
    SPECIAL_DATA,
    TARGETED_ROLES,
    Context,
    Hit,
    rule,
)
from dpia.engine.proportionality import CAPTURE_AT_PLACES, made_public_identifiable

RULES: dict = {}

SUB_STATUTORY = {"council_resolution", "internal_procedure", "contract"}
# What a foreseeable law says about a surveillance measure (ECHR Art. 8(2); Charter Art. 52(1)).
FORESEEABILITY = ("who_may_be_targeted", "where", "when_and_how_long", "which_data", "retention", "safeguards")


def _hit(rule_id: str, stream, *answers: str, **params) -> Hit:
    return Hit(rule_id, tuple(answers), stream.key, params)


# Automated analysis or linking of data goes beyond what a general video-surveillance power foresees.
AUTOMATED_ANALYSIS = FRT | {"predictive_algorithms", "video_analytics", "data_fusion", "social_media_monitoring",
                             "anpr", "audio_sensors", "wifi_tracking"}
# Grounds that do not rest on a law conferring a power (GDPR Art. 6(1)(a), (b), (d), (f)).
GROUNDS_WITHOUT_LAW = {"consent", "contract", "vital_interests", "legitimate_interests"}
# A stream held to process no personal data names no ground and needs no law; whether it truly is
# anonymous is judged on what leaves the device (GDPR Recital 26).
NOT_PERSONAL_DATA = "not_personal_data"


# Devices a general power over fixed cameras does not foresee: airborne, body-worn, hand-held or vehicle-mounted
# cameras, and images from devices the controller does not operate (residents' phones, private cameras).
OTHER_DEVICES = {"drones", "body_cameras", "handheld_cameras", "vehicle_cameras", "citizen_reporting_app"}
# Listening to communications is no camera power at all.
INTERCEPTION = {"communications_interception"}
OTHER_SOURCES = {"private_cameras", "citizen_reports"}


def _intrusive(ctx: Context, stream) -> bool:
    """What a general surveillance power does not foresee: biometric or genetic data, automated analysis,
    capture by devices other than the controller's own fixed cameras, and interception of communications."""
    return bool(stream.data & (BIOMETRIC_DATA | {"genetic"})) or bool(stream.sources & OTHER_SOURCES) \
        or bool(ctx.technologies_of(stream) & (AUTOMATED_ANALYSIS | OTHER_DEVICES | INTERCEPTION))


def needs_law(ctx: Context, stream) -> bool:
    """Whether the stream must be provided for by law: every LED stream, and GDPR streams on a public
    task or legal obligation (GDPR Art. 6(3)). A resident relying on legitimate interests needs none."""
    return stream.analysis == "led" or \
        ctx.of_stream("legality.gdpr_basis", stream) not in GROUNDS_WITHOUT_LAW | {NOT_PERSONAL_DATA}


def _streams_needing_law(ctx: Context):
    return [s for s in ctx.streams if needs_law(ctx, s)]


@rule(RULES, "legality.no_law")
def no_law(ctx: Context):
    for s in _streams_needing_law(ctx):
        if ctx.of_stream("legality.instrument_kind", s) == "none":
            yield _hit("legality.no_law", s, "legality.instrument_kind", "legality.legal_provision")


@rule(RULES, "legality.sub_statutory_instrument")
def sub_statutory(ctx: Context):
    for s in _streams_needing_law(ctx):
        if ctx.of_stream("legality.instrument_kind", s) in SUB_STATUTORY:
            yield _hit("legality.sub_statutory_instrument", s, "legality.instrument_kind", "legality.legal_provision")


# The general law on police and criminal-justice processing (the act transposing the Law Enforcement Directive,
# read with the code of criminal procedure or the police act): it frames police processing in general without
# naming a technique.
POLICE_DATA_LAW = "police_data_law_only"


@rule(RULES, "legality.general_competence_only")
def general_competence(ctx: Context):
    """A general competence; the law on police processing counts as one for a stream outside that law's
    field (processing under the GDPR)."""
    for s in _streams_needing_law(ctx):
        specificity = ctx.of_stream("legality.provision_specificity", s)
        if specificity == "general_competence_only" or (specificity == POLICE_DATA_LAW and s.analysis != "led"):
            yield _hit("legality.general_competence_only", s, "legality.provision_specificity")


# Where the evidence of one case comes from: the authority's own files and sensors, recordings it already holds, and
# records of other public bodies obtained for the case. Data bought from brokers or providers, gathered on the
# internet, or drawn from residents' cameras are not evidence of one case: they reach everyone in them.
CASE_EVIDENCE_SOURCES = OWN_FILES | {"reused_existing_data", "other_public_bodies"}


def _beyond_criminal_procedure(ctx: Context, stream) -> list:
    """Why a stream is not what the general law on police processing, read with the rules of criminal procedure
    (whom, when, under which authority), can carry (LED Art. 8(2)): evidence gathered openly in the investigation of a
    given offence, each use decided for that case, from the case's own evidence. Covert measures need a law of their
    own (ECHR Art. 8(2)); so does identifying people by their body or genes, unless the measure reaches only people
    linked to the case (LED Art. 10 asks a law that authorises it; EDPB 05/2022). Each reason in words; none when
    the stream is such an investigation."""
    reasons = []
    if stream.purpose_kind != "crime_investigation":
        reasons.append(ctx.reason("legality.beyond_investigation.purpose"))
    if not ctx.decided_case_by_case(stream):
        reasons.append(ctx.reason("legality.beyond_investigation.not_case_by_case"))
    if ctx.covert_of(stream):
        reasons.append(ctx.reason("legality.beyond_investigation.covert"))
    if not stream.sources <= CASE_EVIDENCE_SOURCES:
        reasons.append(ctx.reason("legality.beyond_investigation.sources"))
    if stream.data & (BIOMETRIC_DATA | {"genetic"}) and not ctx.targeted(stream):
        reasons.append(ctx.reason("legality.beyond_investigation.bodies"))
    return reasons


def _investigating_an_offence(ctx: Context, stream) -> bool:
    return not _beyond_criminal_procedure(ctx, stream)


# The answers that decide whether the stream is the investigation of a given offence.
INVESTIGATION_ANSWERS = ("legality.provision_specificity", "streams.list", "legality.led_strict_necessity_assessment",
                         "project.operation", "rights.information_layers", "rights.information_restricted")


def _under_police_data_law(ctx: Context, stream) -> bool:
    return stream.analysis == "led" and ctx.of_stream("legality.provision_specificity", stream) == POLICE_DATA_LAW


@rule(RULES, "legality.police_data_law_for_investigation")
def police_data_law_for_investigation(ctx: Context):
    for s in _streams_needing_law(ctx):
        if _under_police_data_law(ctx, s) and _investigating_an_offence(ctx, s):
            yield _hit("legality.police_data_law_for_investigation", s, *INVESTIGATION_ANSWERS)


@rule(RULES, "legality.police_data_law_beyond_investigation")
def police_data_law_beyond_investigation(ctx: Context):
    for s in _streams_needing_law(ctx):
        why = _beyond_criminal_procedure(ctx, s) if _under_police_data_law(ctx, s) else []
        if why:
            yield _hit("legality.police_data_law_beyond_investigation", s, *INVESTIGATION_ANSWERS,
                       why=[t.en for t in why], why_fr=[t.fr for t in why])


@rule(RULES, "legality.purpose_not_provided_for")
def purpose_not_provided_for(ctx: Context):
    for s in _streams_needing_law(ctx):
        if ctx.of_stream("legality.provision_specificity", s) == "other_purposes_only":
            yield _hit("legality.purpose_not_provided_for", s, "legality.provision_specificity", "streams.list")


@rule(RULES, "legality.general_power_for_intrusive_processing")
def general_power(ctx: Context):
    for s in _streams_needing_law(ctx):
        if ctx.of_stream("legality.provision_specificity", s) == "general_surveillance_power" and _intrusive(ctx, s):
            yield _hit("legality.general_power_for_intrusive_processing", s, "legality.provision_specificity",
                       "streams.list")


def _publication(ctx: Context, stream) -> str | None:
    """Whether the text is published; a draft is not published yet, and is judged on it once adopted."""
    return None if ctx.drafting(stream) else ctx.of_stream("legality.law_published", stream)


@rule(RULES, "legality.law_not_published")
def not_published(ctx: Context):
    for s in _streams_needing_law(ctx):
        if _publication(ctx, s) == "no":
            yield _hit("legality.law_not_published", s, "legality.law_published")


@rule(RULES, "legality.law_partly_unpublished")
def partly_unpublished(ctx: Context):
    for s in _streams_needing_law(ctx):
        if _publication(ctx, s) == "partly":
            yield _hit("legality.law_partly_unpublished", s, "legality.law_published")


@rule(RULES, "legality.law_publication_unknown")
def publication_unknown(ctx: Context):
    for s in _streams_needing_law(ctx):
        if _publication(ctx, s) == "unknown":
            yield _hit("legality.law_publication_unknown", s, "legality.law_published")


# A court or an independent authority that authorises each use beforehand decides, case by case and
# under independent control, whom the measure targets, where and for how long.
SUPPLIED_BY_INDEPENDENT_AUTHORISATION = {"who_may_be_targeted", "where", "when_and_how_long"}
INDEPENDENT = {"judicial", "independent_authority"}


def independently_authorised(ctx: Context, stream) -> bool:
    """A court or an independent authority authorises each use, by an order that does not leave whom to target to
    the officers (one that names no one counts as no independent authorisation; ECtHR Roman Zakharov)."""
    if ctx.of_stream("legality.authorisation_names_target", stream) == "no":
        return False
    return ctx.of_stream("legality.prior_authorisation", stream) in INDEPENDENT or \
        ctx.get("ai_act.rbi_authorisation") in ("judicial", "independent_administrative")


# In the investigation of a given offence under the general law on police processing, the rules of criminal
# procedure say when a measure may be used (while the investigation runs, under the authority that directs it) and,
# where it reaches only people the case concerns, whom.
CASE_ROLES = TARGETED_ROLES | {"witnesses_contacts"}


# A permit the law requires for this processing, granted for the project as it stands after the law's own test,
# is given for named places: like a law naming them, it says where the measure may operate.
SUPPLIED_BY_PERMIT = {"where"}


def _specified(ctx: Context, stream) -> set[str]:
    specified = set(ctx.of_stream("legality.law_specifies", stream, [])) - {"none"}
    if ctx.of_stream("legality.law_specifies", stream) and independently_authorised(ctx, stream):
        specified |= SUPPLIED_BY_INDEPENDENT_AUTHORISATION
    if ctx.of_stream("legality.law_specifies", stream) and ctx.get("measures.national_authorisation") == "obtained":
        specified |= SUPPLIED_BY_PERMIT
    if ctx.of_stream("legality.law_specifies", stream) and _under_police_data_law(ctx, stream) \
            and _investigating_an_offence(ctx, stream):
        specified.add("when_and_how_long")
        if stream.roles and stream.roles <= CASE_ROLES:
            specified.add("who_may_be_targeted")
    return specified


@rule(RULES, "legality.law_specifies_nothing")
def specifies_nothing(ctx: Context):
    for s in _streams_needing_law(ctx):
        answered = ctx.of_stream("legality.law_specifies", s)
        if answered and not _specified(ctx, s) & set(FORESEEABILITY):
            yield _hit("legality.law_specifies_nothing", s, "legality.law_specifies")


# The scope of a measure: whom it may reach and which data. A law silent on both leaves the measure
# open-ended, however precise it is about the rest.
SCOPE = {"who_may_be_targeted", "which_data"}


def scope_of(stream) -> set[str]:
    """What sets the reach of a stream's measure. Watching everyone at a place with one's own sensors is
    bounded by the places the law names: a law saying where says whom it reaches. Once images are fused
    with other files or biometrics pick people out, the place no longer bounds it."""
    place_bound = "general_public" in stream.subjects and stream.sources <= {"own_sensors"} and \
        not stream.data & SPECIAL_DATA
    return SCOPE | {"where"} if place_bound else SCOPE


@rule(RULES, "legality.law_scope_open")
def scope_open(ctx: Context):
    for s in _streams_needing_law(ctx):
        specified = _specified(ctx, s)
        if specified & set(FORESEEABILITY) and not specified & scope_of(s):
            yield _hit("legality.law_scope_open", s, "legality.law_specifies")


@rule(RULES, "legality.law_not_foreseeable")
def not_foreseeable(ctx: Context):
    for s in _streams_needing_law(ctx):
        specified = _specified(ctx, s)
        if not specified & scope_of(s):
            continue  # silent on the scope, or on everything: law_scope_open, law_specifies_nothing
        missing = [item for item in FORESEEABILITY if item not in specified]
        if missing:
            question = ctx.bank.question("legality.law_specifies")
            yield _hit("legality.law_not_foreseeable", s, "legality.law_specifies",
                       missing=[question.choice_label(m, "en") for m in missing],
                       missing_fr=[question.choice_label(m, "fr") for m in missing])


@rule(RULES, "legality.no_competence")
def no_competence(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.competence", s) == "no":
            yield _hit("legality.no_competence", s, "legality.competence")


@rule(RULES, "legality.competence_unknown")
def competence_unknown(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.competence", s) == "unknown":
            yield _hit("legality.competence_unknown", s, "legality.competence")


# Stages at which no personal data are processed yet: the DPIA comes before the processing (GDPR
# Art. 35(1)), so a ground still to be identified is a condition on starting, not a processing without one.
NOT_STARTED = {"idea", "procurement"}


def _ground_missing(ctx: Context):
    for s in ctx.streams:
        if s.analysis == "gdpr" and ctx.of_stream("legality.gdpr_basis", s) == "none_identified":
            yield s


def not_started(ctx: Context) -> bool:
    """Whether the project says it has not started processing: its stage is idea or procurement, and no start
    date given is already past (a start date on or before today means it runs, whatever the stage says)."""
    if ctx.get("project.stage") not in NOT_STARTED:
        return False
    start = ctx.date("project.start_date")
    return start is None or start > ctx.today


@rule(RULES, "legality.gdpr_no_ground")
def gdpr_no_ground(ctx: Context):
    """Processing that runs, or may already run (the stage not given), without a ground of Art. 6(1)."""
    if not_started(ctx):
        return
    stage = tuple(q for q in ("project.stage", "project.start_date") if ctx.answered(q))
    for s in _ground_missing(ctx):
        yield _hit("legality.gdpr_no_ground", s, "legality.gdpr_basis", *stage)


@rule(RULES, "legality.gdpr_ground_not_yet_identified")
def gdpr_ground_not_yet_identified(ctx: Context):
    if not not_started(ctx):
        return
    for s in _ground_missing(ctx):
        yield _hit("legality.gdpr_ground_not_yet_identified", s, "legality.gdpr_basis", "project.stage")


# Only counts or statistics leave the device, and raw data live in memory only: anonymous by design.
# Whether that is proven is the anonymisation evidence's question (evidence.anonymisation_claim_unsupported).
ANONYMOUS_OUTPUTS = {"counts_only", "aggregate_statistics"}


@rule(RULES, "legality.personal_data_held_anonymous")
def personal_data_held_anonymous(ctx: Context):
    """A stream that names no ground because it is 'anonymous', while its design keeps or sends
    pseudonymised or raw data: those are personal data (GDPR Recital 26, Art. 4(5))."""
    held = [s for s in ctx.streams
            if s.analysis == "gdpr" and ctx.of_stream("legality.gdpr_basis", s) == NOT_PERSONAL_DATA]
    output, raw = ctx.get("streams.anonymisation_output"), ctx.get("streams.anonymisation_raw_data")
    if not held or (ctx.get("streams.anonymisation_claim") == "yes" and output in ANONYMOUS_OUTPUTS
                    and raw == "in_memory_only"):
        return
    design = [(q, v) for q, v in (("streams.anonymisation_output", output), ("streams.anonymisation_raw_data", raw))
              if v is not None]

    def what(language: str) -> str:
        return "; ".join(ctx.bank.question(q).choice_label(v, language) for q, v in design) or \
            {"en": "no anonymisation is described", "fr": "aucune anonymisation n'est décrite"}[language]

    for s in held:
        yield _hit("legality.personal_data_held_anonymous", s, "legality.gdpr_basis",
                   "streams.anonymisation_output", "streams.anonymisation_raw_data",
                   what=what("en"), what_fr=what("fr"))


@rule(RULES, "legality.required_permit_not_sought")
def required_permit_not_sought(ctx: Context):
    """National law may make processing for a public task subject to the authority's permit (GDPR
    Art. 36(5)); without it the processing is unlawful, whatever else holds."""
    if ctx.get("measures.national_authorisation") == "not_sought":
        yield Hit("legality.required_permit_not_sought", ("measures.national_authorisation",))


@rule(RULES, "legality.required_permit_pending")
def required_permit_pending(ctx: Context):
    if ctx.get("measures.national_authorisation") == "pending":
        yield Hit("legality.required_permit_pending", ("measures.national_authorisation",))


# Public authorities may not rely on legitimate interests in the performance of their tasks (GDPR
# Art. 6(1), last subparagraph); a public undertaking acting commercially may, and so may anyone
# securing networks and information systems (Recital 49).
PUBLIC_AUTHORITIES = PUBLIC_CONTROLLERS - {"public_service_operator"}
PUBLIC_POWER_PURPOSES = {"crime_prevention", "crime_investigation", "public_security_threats",
                         "execution_of_penalties", "bylaw_enforcement"}
OWN_SECURITY_PURPOSES = {"cybersecurity"}


def _task_of_public_authority(stream) -> bool:
    if stream.purpose_kind in OWN_SECURITY_PURPOSES:
        return False
    if stream.controller_kind in PUBLIC_AUTHORITIES:
        return True
    # An operator of a public service exercises public powers only for those purposes.
    return stream.controller_kind == "public_service_operator" and stream.purpose_kind in PUBLIC_POWER_PURPOSES


@rule(RULES, "legality.legitimate_interests_public_body")
def legitimate_interests(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.gdpr_basis", s) == "legitimate_interests" and _task_of_public_authority(s):
            yield _hit("legality.legitimate_interests_public_body", s, "legality.gdpr_basis", "streams.list")


# A reasoning shorter than this cannot name the interest, the necessity and the balance.
MIN_BALANCING_WORDS = 25


@rule(RULES, "legality.legitimate_interests_balancing_missing")
def legitimate_interests_balancing(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.gdpr_basis", s) != "legitimate_interests" or _task_of_public_authority(s):
            continue
        reasoning = ctx.of_stream("legality.gdpr_basis_reasoning", s, "")
        if len(str(reasoning).split()) < MIN_BALANCING_WORDS:
            yield _hit("legality.legitimate_interests_balancing_missing", s, "legality.gdpr_basis",
                       "legality.gdpr_basis_reasoning")


@rule(RULES, "legality.law_expired")
def law_expired(ctx: Context):
    for s in _streams_needing_law(ctx):
        end = ctx.date("legality.provision_end_date", s)
        if end is not None and end < ctx.today:
            yield _hit("legality.law_expired", s, "legality.provision_end_date", end=end.isoformat())


@rule(RULES, "legality.law_ends_before_project")
def law_ends_before_project(ctx: Context):
    planned_end = ctx.get("project.end_date")
    for s in _streams_needing_law(ctx):
        end = ctx.date("legality.provision_end_date", s)
        if end is None or end < ctx.today:
            continue
        outlives = ctx.get("project.duration") == "permanent" or (
            isinstance(planned_end, str) and planned_end > end.isoformat())
        if outlives:
            yield _hit("legality.law_ends_before_project", s, "legality.provision_end_date", "project.duration",
                       "project.end_date", end=end.isoformat())



@rule(RULES, "legality.no_prior_independent_authorisation")
def no_prior_authorisation(ctx: Context):
    for s in ctx.streams:
        # Any answer but a court's or an independent authority's: a manager, a prefect, or nobody. A court's order
        # that names no one is legality.authorisation_in_general_terms, which weighs the same.
        authority = ctx.of_stream("legality.prior_authorisation", s)
        if authority and authority not in INDEPENDENT and not independently_authorised(ctx, s):
            yield _hit("legality.no_prior_independent_authorisation", s, "legality.prior_authorisation")


def _orders_where(ctx: Context, question: str, answer: str):
    """Streams whose every use a court or an independent authority authorises, where `question` on what those orders
    say got `answer`."""
    for s in ctx.streams:
        if ctx.of_stream("legality.prior_authorisation", s) in INDEPENDENT and ctx.of_stream(question, s) == answer:
            yield s


@rule(RULES, "legality.authorisation_in_general_terms")
def authorisation_in_general_terms(ctx: Context):
    for s in _orders_where(ctx, "legality.authorisation_names_target", "no"):
        yield _hit("legality.authorisation_in_general_terms", s, "legality.authorisation_names_target",
                   "legality.prior_authorisation")


@rule(RULES, "legality.authorisation_content_unknown")
def authorisation_content_unknown(ctx: Context):
    for s in _orders_where(ctx, "legality.authorisation_names_target", "unknown"):
        if ctx.at_least("serious", s.key):
            yield _hit("legality.authorisation_content_unknown", s, "legality.authorisation_names_target")


@rule(RULES, "legality.authorisation_without_reasons")
def authorisation_without_reasons(ctx: Context):
    for s in _orders_where(ctx, "legality.authorisation_reasoned", "no"):
        yield _hit("legality.authorisation_without_reasons", s, "legality.authorisation_reasoned",
                   "legality.prior_authorisation")


@rule(RULES, "legality.eu_regulation_outside_union")
def eu_regulation_outside_union(ctx: Context):
    where = ctx.jurisdiction
    if where is None or where.eu_law_applies:
        return
    for s in ctx.streams:
        if ctx.of_stream("legality.instrument_kind", s) == "eu_regulation":
            yield _hit("legality.eu_regulation_outside_union", s, "legality.instrument_kind", "screening.jurisdiction",
                       country=where.name.en, country_fr=where.name.fr)


@rule(RULES, "legality.publication_without_law")
def publication_without_law(ctx: Context):
    for s in ctx.streams:
        if made_public_identifiable(s) and s.subjects & OFFENCE_LINKED and \
                ctx.of_stream("legality.publication_provided_by_law", s) == "no":
            yield _hit("legality.publication_without_law", s, "legality.publication_provided_by_law", "streams.list")


@rule(RULES, "legality.listing_grounds_unknown")
def listing_grounds_unknown(ctx: Context):
    for s in ctx.streams:
        if "not_known" in ctx.of_stream("legality.listing_grounds", s, []) and ctx.at_least("serious", s.key):
            yield _hit("legality.listing_grounds_unknown", s, "legality.listing_grounds")


@rule(RULES, "legality.listing_criteria_not_written")
def listing_criteria_not_written(ctx: Context):
    for s in ctx.streams:
        if "no_written_criteria" in ctx.of_stream("legality.listing_grounds", s, []):
            yield _hit("legality.listing_criteria_not_written", s, "legality.listing_grounds")


# Bodies acting for their own purposes hold no public task: GDPR Art. 6(1)(e) and 9(2)(g) need a task
# or a public interest that the law itself entrusts to the controller.
PRIVATE_OWN_PURPOSES = {"private_own_purposes"}


@rule(RULES, "legality.public_interest_claimed_by_private_body")
def public_interest_private(ctx: Context):
    for s in ctx.streams:
        if s.controller_kind not in PRIVATE_OWN_PURPOSES:
            continue
        if ctx.of_stream("legality.gdpr_basis", s) == "public_task":
            yield _hit("legality.public_interest_claimed_by_private_body", s, "legality.gdpr_basis", "streams.list")


def relies_on_consent(ctx: Context, stream) -> bool:
    return ctx.of_stream("legality.gdpr_basis", stream) == "consent" or \
        ctx.of_stream("legality.gdpr_special_exception", stream) == "explicit_consent"


@rule(RULES, "legality.consent_in_public_space")
def consent_public_space(ctx: Context):
    """Passers-by cannot consent to being watched; a member of the public who signs up to a service online,
    where the project captures no one at a place, is not a passer-by (the consent rules then apply)."""
    for s in ctx.streams:
        if ctx.places == {"no_physical_place"} and not ctx.technologies_of(s) & CAPTURE_AT_PLACES:
            continue
        consent = relies_on_consent(ctx, s)
        if consent and "general_public" in s.subjects:
            yield _hit("legality.consent_in_public_space", s, "legality.gdpr_basis", "streams.list")


@rule(RULES, "legality.consent_not_free")
def consent_not_free(ctx: Context):
    for s in ctx.streams:
        # The user's own "no"; where the facts show dependence, claims.consent_presumed_not_free.
        if ctx.of_stream("legality.consent_free", s) == "no":
            yield _hit("legality.consent_not_free", s, "legality.consent_free", "streams.list")


# Consent is an act of the person; a slip to return only by objectors, or walking into the area,
# is silence (GDPR Art. 4(11), Recital 32; CJEU Planet49).
CONSENT_BY_SILENCE = {"opt_out", "implied"}


@rule(RULES, "legality.consent_not_affirmative")
def consent_not_affirmative(ctx: Context):
    for s in ctx.streams:
        if relies_on_consent(ctx, s) and ctx.of_stream("legality.consent_collection", s) in CONSENT_BY_SILENCE:
            yield _hit("legality.consent_not_affirmative", s, "legality.consent_collection")


@rule(RULES, "legality.special_data_no_exception")
def special_no_exception(ctx: Context):
    for s in ctx.streams:
        if s.analysis == "gdpr" and s.data & SPECIAL_DATA and \
                ctx.of_stream("legality.gdpr_special_exception", s) == "none":
            yield _hit("legality.special_data_no_exception", s, "legality.gdpr_special_exception", "streams.list")


@rule(RULES, "legality.special_data_law_missing")
def special_law_missing(ctx: Context):
    for s in ctx.streams:
        exception = ctx.of_stream("legality.gdpr_special_exception", s)
        if exception in {"substantial_public_interest_law", "scientific_research_law", "other_exception"} and \
                not ctx.of_stream("legality.gdpr_special_law", s):
            yield _hit("legality.special_data_law_missing", s, "legality.gdpr_special_exception",
                       "legality.gdpr_special_law")


@rule(RULES, "legality.special_data_law_does_not_provide")
def special_law_does_not_provide(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.gdpr_special_law_scope", s) == "task_or_duty_only":
            yield _hit("legality.special_data_law_does_not_provide", s, "legality.gdpr_special_law_scope",
                       "legality.gdpr_special_law")


@rule(RULES, "legality.manifestly_public_relied_on")
def manifestly_public(ctx: Context):
    for s in ctx.streams:
        if "manifestly_public" in {ctx.of_stream("legality.gdpr_special_exception", s),
                                   ctx.of_stream("legality.led_special_condition", s)}:
            yield _hit("legality.manifestly_public_relied_on", s, "legality.gdpr_special_exception",
                       "legality.led_special_condition")


@rule(RULES, "legality.criminal_data_no_basis")
def criminal_no_basis(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.criminal_data_basis", s) == "none":
            yield _hit("legality.criminal_data_no_basis", s, "legality.criminal_data_basis")


@rule(RULES, "legality.led_not_necessary_for_task")
def led_task(ctx: Context):
    for s in ctx.streams:
        if s.analysis == "led" and ctx.of_stream("legality.led_task_necessity", s) == "no":
            yield _hit("legality.led_not_necessary_for_task", s, "legality.led_task_necessity")


@rule(RULES, "legality.led_special_not_authorised")
def led_special(ctx: Context):
    for s in ctx.streams:
        if s.analysis != "led" or not s.data & SPECIAL_DATA:
            continue
        condition = ctx.of_stream("legality.led_special_condition", s)
        if condition == "none" or (condition == "authorised_by_law"
                                   and not ctx.of_stream("legality.led_special_provision", s)):
            yield _hit("legality.led_special_not_authorised", s, "legality.led_special_condition",
                       "legality.led_special_provision")


@rule(RULES, "necessity.led_strict_necessity_missing")
def led_strict_necessity(ctx: Context):
    for s in ctx.streams:
        if s.analysis == "led" and s.data & SPECIAL_DATA and not ctx.of_stream("legality.led_strict_necessity", s):
            yield _hit("necessity.led_strict_necessity_missing", s, "legality.led_strict_necessity")


@rule(RULES, "necessity.led_special_data_collected_systematically")
def led_special_systematic(ctx: Context):
    """Strict necessity is checked person by person: collecting sensitive data from everyone in a
    category is precluded even when a law orders it (CJEU C-205/21)."""
    for s in ctx.streams:
        if s.analysis == "led" and s.data & SPECIAL_DATA and \
                ctx.of_stream("legality.led_strict_necessity_assessment", s) == "systematic":
            yield _hit("necessity.led_special_data_collected_systematically", s,
                       "legality.led_strict_necessity_assessment")


@rule(RULES, "legitimate_aim.reuse_not_assessed")
def reuse_not_assessed(ctx: Context):
    for s in ctx.streams:
        if "reused_existing_data" in s.sources and ctx.of_stream("legality.reuse_route", s) == "not_assessed":
            yield _hit("legitimate_aim.reuse_not_assessed", s, "legality.reuse_route", "streams.list")


@rule(RULES, "legitimate_aim.reuse_factors_incomplete")
def reuse_factors(ctx: Context):
    for s in ctx.streams:
        if ctx.of_stream("legality.reuse_route", s) != "compatibility_assessment":
            continue
        factors = set(ctx.of_stream("legality.reuse_factors", s, []))
        needed = {"link_between_purposes", "collection_context", "nature_of_data", "consequences", "safeguards"}
        if not needed <= factors:
            yield _hit("legitimate_aim.reuse_factors_incomplete", s, "legality.reuse_factors",
                       count=len(needed - factors))
