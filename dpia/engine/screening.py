"""Screening: is a DPIA required? GDPR Art. 35(1), (3), (4); LED Art. 27(1); WP248 criteria."""

from __future__ import annotations

from dpia.engine.bank import Citation, Text
from dpia.engine.context import Context, Hit, rule
from dpia.engine.result import Screening

RULES: dict = {}

MANDATORY = {
    "screening.profiling_with_effects": Citation("GDPR", "35", "3", "a"),
    "screening.large_scale_special_data": Citation("GDPR", "35", "3", "b"),
    "screening.public_area_monitoring": Citation("GDPR", "35", "3", "c"),
}


def criteria(ctx: Context) -> tuple[set[str], set[str]]:
    """(criteria ticked by the user, criteria the facts show although not ticked)."""
    ticked = ctx.choices("screening.wp248_criteria")
    from_facts = {fact.value for fact in ctx.facts("wp248_criterion")} - ticked
    return ticked, from_facts


def national_list_items(ctx: Context) -> list[Text]:
    """The national-list entries ticked, named by their list and entry."""
    out = []
    for question in ctx.bank.section("screening").questions:
        if not question.id.startswith("screening.national_list_"):
            continue
        source = next((c for c in question.citations if c.act != "GDPR"), Citation("GDPR", "35", "4"))
        en, fr = ctx.bank.cite(source, "en").label, ctx.bank.cite(source, "fr").label
        for value in sorted(ctx.choices(question.id)):
            out.append(Text(f"{en}: {question.choice_label(value, 'en')}",
                            f"{fr}\u00a0: {question.choice_label(value, 'fr')}"))
    return out


def assess_screening(ctx: Context) -> Screening:
    ticked, from_facts = criteria(ctx)
    met = ticked | from_facts
    grounds = [Text(ctx.bank.cite(MANDATORY[qid], "en").label, ctx.bank.cite(MANDATORY[qid], "fr").label)
               for qid in MANDATORY if ctx.get(qid) == "yes"]
    grounds += national_list_items(ctx)
    led_new_tech = ctx.get("screening.new_technology") == "yes" and any(s.analysis == "led" for s in ctx.streams)
    if led_new_tech:
        grounds.append(ctx.reason("screening.led_new_technology"))
    threshold = int(ctx.bank.thresholds["wp248_criteria_for_dpia"].value)
    reasons = [ctx.reason("screening.criteria_count", count=len(met))]
    if ctx.anonymous_at_source:
        # Anonymous information is outside data-protection law (GDPR Recital 26): no DPIA is owed,
        # as long as the anonymisation holds.
        outcome = "not_required"
        reasons = [ctx.reason("screening.anonymous_at_source")]
    elif grounds:
        outcome = "required"
        reasons.append(ctx.reason("screening.mandatory_ground", grounds=[g.en for g in grounds],
                                  grounds_fr=[g.fr for g in grounds]))
    elif len(met) >= threshold:
        outcome = "required"
    elif len(met) == 1 or ctx.get("screening.new_technology") == "yes":
        outcome = "likely_required"
        reasons.append(ctx.reason("screening.one_criterion"))
    else:
        outcome = "not_required"
    citations = (Citation("GDPR", "35", "1"), Citation("GDPR", "35", "3"), Citation("GDPR", "35", "4"),
                 Citation("LED", "27", "1"), Citation("WP248", section="III.B"))
    return Screening(outcome=outcome, criteria_met=tuple(sorted(met)), criteria_from_facts=tuple(sorted(from_facts)),
                     mandatory_grounds=tuple(grounds), reasons=tuple(reasons), citations=citations)


@rule(RULES, "screening.criteria_not_ticked")
def criteria_not_ticked(ctx: Context):
    _, from_facts = criteria(ctx)
    question = ctx.bank.question("screening.wp248_criteria")
    if from_facts and ctx.answered("screening.wp248_criteria"):
        yield Hit("screening.criteria_not_ticked", ("screening.wp248_criteria",),
                  params={"criteria": [question.choice_label(c, "en") for c in sorted(from_facts)],
                          "criteria_fr": [question.choice_label(c, "fr") for c in sorted(from_facts)]})


@rule(RULES, "screening.public_monitoring_denied")
def public_monitoring_denied(ctx: Context):
    """Cameras in streets while the user says no public area is monitored."""
    watched = ctx.places & {"public_streets", "public_transport", "demonstrations"}
    sensors = ctx.technologies & {"cctv", "video_analytics", "live_facial_recognition", "anpr", "drones",
                                  "audio_sensors", "vehicle_cameras", "body_cameras", "handheld_cameras"}
    if ctx.get("screening.public_area_monitoring") == "no" and watched and sensors:
        yield Hit("screening.public_monitoring_denied",
                  ("screening.public_area_monitoring", "project.places", "project.technologies"))


@rule(RULES, "screening.national_security_claim")
def national_security_claim(ctx: Context):
    if ctx.get("screening.national_security") == "yes":
        yield Hit("screening.national_security_claim",
                  ("screening.national_security", "screening.national_security_justification"))


@rule(RULES, "screening.anonymous_at_source")
def anonymous_at_source(ctx: Context):
    if ctx.anonymous_at_source:
        yield Hit("screening.anonymous_at_source", ("streams.anonymisation_claim", "streams.anonymisation_output",
                                                    "streams.anonymisation_raw_data", "streams.anonymisation_tested"))


@rule(RULES, "screening.processing_started_before_assessment")
def started_before_assessment(ctx: Context):
    """The assessment is owed before the processing (GDPR Art. 35(1), LED Art. 27(1)); a system
    running without one is a breach already, whatever the design's merits."""
    if ctx.get("project.assessed_before_start") == "no" and \
            ctx.screening.outcome in ("required", "likely_required"):
        yield Hit("screening.processing_started_before_assessment", ("project.stage", "project.assessed_before_start"))
