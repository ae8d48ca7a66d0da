"""Proportionality in the strict sense: the essence of the rights, the intensity of the
interference, and whether safeguards and proven benefits can balance it."""

from __future__ import annotations

from dpia.engine.context import BIOMETRIC_DATA, FRT, OFFENCE_LINKED, Context, Hit, Stream, rule

RULES: dict = {}

ASSEMBLY_PLACES = {"demonstrations", "places_of_worship"}
# Places where people exercise freedoms (assembly, religion, education, health), and data that let
# them be recognised there.
FREEDOM_PLACES = ASSEMBLY_PLACES | {"schools", "health_social_services"}
RECOGNISABLE = BIOMETRIC_DATA | {"identifiable_images", "voice_audio"}


def intrusive(ctx: Context) -> bool:
    """A serious interference or worse, by the seriousness model (any stream, or the project)."""
    return ctx.at_least("serious")


@rule(RULES, "proportionality.essence_not_respected")
def essence(ctx: Context):
    if ctx.get("proportionality.essence_respected") == "no":
        yield Hit("proportionality.essence_not_respected", ("proportionality.essence_respected",))


@rule(RULES, "proportionality.biometrics_at_assemblies")
def biometrics_at_assemblies(ctx: Context):
    biometric = any(s.data & BIOMETRIC_DATA for s in ctx.streams) or bool(ctx.technologies & FRT)
    if biometric and ctx.places & ASSEMBLY_PLACES:
        yield Hit("proportionality.biometrics_at_assemblies", ("project.places", "project.technologies"))


@rule(RULES, "proportionality.sensitive_places_without_limits")
def sensitive_places_without_limits(ctx: Context):
    """Even ordinary cameras at assemblies, places of worship, schools or care services can deter people
    from exercising their freedoms; a regulator asks what changes there. Only an explicit 'no limit' fires."""
    if ctx.places & FREEDOM_PLACES and ctx.choices("proportionality.sensitive_places_limits") == {"none"} and \
            any(s.data & RECOGNISABLE for s in ctx.streams):
        yield Hit("proportionality.sensitive_places_without_limits",
                  ("project.places", "proportionality.sensitive_places_limits"))


@rule(RULES, "proportionality.everyone_treated_as_suspect")
def everyone_as_suspect(ctx: Context):
    for s in ctx.streams:
        if s.analysis == "led" and "general_public" in s.subjects:
            yield Hit("proportionality.everyone_treated_as_suspect", ("streams.list",), s.key)


@rule(RULES, "proportionality.led_logging_missing")
def led_logging(ctx: Context):
    if any(s.analysis == "led" for s in ctx.streams) and ctx.answered("proportionality.safeguards") and \
            "logging_led_art25" not in ctx.choices("proportionality.safeguards"):
        yield Hit("proportionality.led_logging_missing", ("proportionality.safeguards",))


@rule(RULES, "proportionality.no_bias_testing")
def bias(ctx: Context):
    risky = ctx.technologies & (FRT | {"predictive_algorithms", "video_analytics"})
    if risky and ctx.answered("proportionality.safeguards") and \
            "bias_testing" not in ctx.choices("proportionality.safeguards"):
        yield Hit("proportionality.no_bias_testing", ("proportionality.safeguards", "project.technologies"))


@rule(RULES, "proportionality.weak_safeguards_for_serious_interference")
def weak_safeguards(ctx: Context):
    if not intrusive(ctx) or not ctx.answered("proportionality.safeguards"):
        return
    expected = {"human_review", "independent_oversight", "access_restriction"}
    missing = expected - ctx.choices("proportionality.safeguards")
    if missing:
        question = ctx.bank.question("proportionality.safeguards")
        yield Hit("proportionality.weak_safeguards_for_serious_interference", ("proportionality.safeguards",),
                  params={"missing": [question.choice_label(m, "en") for m in sorted(missing)],
                          "missing_fr": [question.choice_label(m, "fr") for m in sorted(missing)]})


def _ends_by_itself(ctx: Context, stream: Stream) -> bool:
    """The stream stops without anyone deciding to stop it: the law relied on expires no later than the project is
    planned to end."""
    law_ends, project_ends = ctx.date("legality.provision_end_date", stream), ctx.date("project.end_date")
    return law_ends is not None and project_ends is not None and law_ends <= project_ends


@rule(RULES, "proportionality.pilot_without_sunset")
def sunset(ctx: Context):
    if ctx.streams and all(_ends_by_itself(ctx, s) for s in ctx.streams):
        return
    if ctx.get("project.duration") in ("pilot", "fixed_term") and ctx.answered("proportionality.safeguards") and \
            "sunset_clause" not in ctx.choices("proportionality.safeguards"):
        yield Hit("proportionality.pilot_without_sunset", ("project.duration", "proportionality.safeguards"))


@rule(RULES, "proportionality.permanent_monitoring_without_review")
def permanent_monitoring_without_review(ctx: Context):
    """Permanent, systematic monitoring of a public area stays lawful only while it stays necessary:
    authorities that allow such schemes make a dated review of their necessity a condition."""
    if ctx.anonymous_at_source or ctx.get("project.duration") != "permanent":
        return
    if ctx.get("screening.public_area_monitoring") != "yes":
        return
    if ctx.answered("proportionality.review_date") or "periodic_audit" in ctx.choices("proportionality.safeguards"):
        return
    yield Hit("proportionality.permanent_monitoring_without_review",
              ("project.duration", "proportionality.review_date", "proportionality.safeguards"))


@rule(RULES, "proportionality.review_date_passed")
def review_date_passed(ctx: Context):
    """A review date already past when the assessment is read: the review it promised is either done (and its result
    belongs in the assessment) or overdue; either way the date set is no longer a safeguard."""
    review = ctx.date("proportionality.review_date")
    if review is not None and review < ctx.today and not ctx.anonymous_at_source:
        yield Hit("proportionality.review_date_passed", ("proportionality.review_date",),
                  params={"date": review.isoformat()})


@rule(RULES, "proportionality.benefit_not_shown_for_serious_interference")
def benefit_not_shown(ctx: Context):
    if intrusive(ctx) and ctx.get("necessity.effectiveness_evidence") in ("none", "vendor_claims"):
        yield Hit("proportionality.benefit_not_shown_for_serious_interference",
                  ("necessity.effectiveness_evidence", "proportionality.benefits"))


# Sound taken in the street carries what people say: capturing it continuously to watch a place
# reaches private conversations of everyone passing. Calls people make to the body itself are not taken
# from passers-by (a device at a place is needed).
@rule(RULES, "proportionality.conversations_of_passers_by")
def conversations(ctx: Context):
    if ctx.get("project.operation") != "continuous":
        return
    for s in ctx.streams:
        if "voice_audio" in s.data and s.subjects & {"general_public", "protesters"} \
                and ctx.technologies_of(s) & CAPTURE_AT_PLACES:
            yield Hit("proportionality.conversations_of_passers_by", ("streams.list", "project.operation"), s.key)


# Identifiers read wherever a person passes (a plate, a phone): kept, they trace where everyone went.
MOVEMENT_DATA = {"licence_plates", "device_identifiers"}
# Technologies that record plates or device identifiers where people pass: only then do they trace movements
# (the same identifiers in a subscriber or customer register are identity data).
CAPTURE_AT_PLACES = {"cctv", "video_analytics", "live_facial_recognition", "post_facial_recognition", "anpr",
                     "audio_sensors", "drones", "body_cameras", "handheld_cameras", "vehicle_cameras",
                     "private_camera_access", "wifi_tracking", "citizen_reporting_app", "data_fusion"}
EVERYONE = {"general_public", "drivers"}


def traces_movements_of_everyone(ctx: Context, stream) -> bool:
    """Whether the stream records the plates or device identifiers of everyone where they pass."""
    return bool(stream.data & MOVEMENT_DATA and ctx.technologies_of(stream) & CAPTURE_AT_PLACES
                and stream.subjects & EVERYONE)


def _movements_of_everyone_kept(ctx: Context):
    """Streams that keep where everyone went beyond a short check, with the days kept and the limit."""
    limit = ctx.bank.thresholds["movements_of_everyone_days"].value
    for s in ctx.streams:
        days = s.item.get("retention_days")
        if traces_movements_of_everyone(ctx, s) and isinstance(days, int | float) and days > limit:
            yield s, days, int(limit)


def _retention_laid_down_for_an_experiment(ctx: Context, stream, days: int) -> bool:
    """Whether a law made for this processing itself sets how long the movements are kept, for a
    criminal-law purpose, in a measure limited in time, and within the ceiling the case law has accepted
    for a whole population: the legislature has then weighed the period, which stays to be proven."""
    legislated = ctx.of_stream("legality.provision_specificity", stream) == "specific_to_this_processing" \
        and "retention" in ctx.of_stream("legality.law_specifies", stream, []) \
        and stream.item.get("retention_fixed") == "by_law"
    time_limited = ctx.get("project.duration") in ("one_off", "pilot") \
        or bool(ctx.of_stream("legality.provision_end_date", stream)) \
        or "sunset_clause" in ctx.get("proportionality.safeguards", [])
    ceiling = ctx.bank.thresholds["movements_laid_down_by_law_days"].value
    return stream.analysis == "led" and legislated and time_limited and days <= ceiling


@rule(RULES, "proportionality.movements_of_everyone_retained")
def movements_of_everyone_retained(ctx: Context):
    """Keeping where everyone went, beyond a short check, is general and indiscriminate retention."""
    for s, days, limit in _movements_of_everyone_kept(ctx):
        if not _retention_laid_down_for_an_experiment(ctx, s, days):
            yield Hit("proportionality.movements_of_everyone_retained", ("streams.list",), s.key,
                      params={**ctx.period(days), "limit": limit})


@rule(RULES, "proportionality.movements_retention_to_be_proven")
def movements_retention_to_be_proven(ctx: Context):
    """The same retention laid down by a law for a time-limited criminal-law measure: the period must
    still be shown strictly necessary, and shorter ones tried."""
    for s, days, limit in _movements_of_everyone_kept(ctx):
        if _retention_laid_down_for_an_experiment(ctx, s, days):
            yield Hit("proportionality.movements_retention_to_be_proven",
                      ("streams.list", "legality.law_specifies", "project.duration"), s.key,
                      params={**ctx.period(days), "limit": limit})


# Suspects and convicted persons (OFFENCE_LINKED) may be shown under a law that provides for it (appeals
# for witnesses); anyone else filmed has no reason to be recognised by the public. A minor suspect is a
# suspect (Stream.roles).
def _shows_people_with_no_link_to_an_offence(stream: Stream) -> bool:
    return not stream.roles or bool(stream.roles - OFFENCE_LINKED)


# Whom a publication "in their public role" can concern: staff acting in their duties (officers quoted by an oversight
# body). Anyone else the stream reaches (suspects, passers-by, demonstrators, children, vulnerable people) is no
# official acting in a role: for them the answer is read as a publication of identifiable people.
PUBLIC_ROLE_SUBJECTS = frozenset({"employees"})


def _public_role_only(stream: Stream) -> bool:
    return stream.item.get("made_public") == "public_role" and bool(stream.subjects) and \
        stream.subjects <= PUBLIC_ROLE_SUBJECTS


def made_public_identifiable(stream: Stream) -> bool:
    """Images or records of the stream's people are released identifiable (a 'public role' answer counts for anyone
    but staff acting in their duties)."""
    return stream.item.get("made_public") == "identifiable" or (
        stream.item.get("made_public") == "public_role" and not _public_role_only(stream))


@rule(RULES, "proportionality.listed_for_beliefs_or_civic_activity")
def listed_for_beliefs_or_civic_activity(ctx: Context):
    for s in ctx.streams:
        if "beliefs_or_civic_activity" in ctx.of_stream("legality.listing_grounds", s, []):
            yield Hit("proportionality.listed_for_beliefs_or_civic_activity", ("legality.listing_grounds",), s.key)


@rule(RULES, "proportionality.identifiable_people_made_public")
def identifiable_people_made_public(ctx: Context):
    for s in ctx.streams:
        if made_public_identifiable(s) and _shows_people_with_no_link_to_an_offence(s):
            yield Hit("proportionality.identifiable_people_made_public", ("streams.list",), s.key)


@rule(RULES, "proportionality.suspects_shown_beyond_an_appeal")
def suspects_shown_beyond_an_appeal(ctx: Context):
    """The relief identifiable_people_made_public grants to suspects holds for a law-enforcement end (an appeal to
    identify or trace them, a warning of a danger); shown to inform the public or to display police action, a person
    presumed innocent has no such need behind the exposure. Convicted persons are not presumed innocent: publication
    after sentence is left to the law that provides for it."""
    for s in ctx.streams:
        if not (made_public_identifiable(s) and not _shows_people_with_no_link_to_an_offence(s)
                and "suspects" in s.subjects):
            continue
        why = ctx.of_stream("legality.publication_purpose", s)
        # Said: an appeal or a warning passes, anything else is barred; not said: read from the stream's purpose.
        unneeded = why in ("inform_or_show_action", "other") or (
            why is None and not ctx.is_law_enforcement_purpose(s.purpose_kind))
        if unneeded:
            yield Hit("proportionality.suspects_shown_beyond_an_appeal",
                      ("streams.list", "legality.publication_purpose"), s.key)



@rule(RULES, "proportionality.public_role_made_public")
def public_role_made_public(ctx: Context):
    """Officials acting in their duties must bear closer scrutiny of that conduct than private persons: naming them
    is not barred as for bystanders, but must serve accountability and stay within the role."""
    for s in ctx.streams:
        if _public_role_only(s):
            yield Hit("proportionality.public_role_made_public", ("streams.list",), s.key)


@rule(RULES, "proportionality.child_made_public")
def child_made_public(ctx: Context):
    """Whatever links them to an offence: a suspect's age does not bar the appeal, but asks for its own
    justification (the bar for bystanders is identifiable_people_made_public). A child is in no public role
    that would lower that bar."""
    for s in ctx.streams:
        if s.item.get("made_public") in ("identifiable", "public_role") and "minors" in s.subjects:
            yield Hit("proportionality.child_made_public", ("streams.list",), s.key)
