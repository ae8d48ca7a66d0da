"""Legitimate aim and necessity: a pressing, evidenced problem; a precise objective; evidence that the
measure works; the least intrusive of the alternatives weighed; and claims that need proof."""

from __future__ import annotations

from dpia.engine.context import FRT, OFFENCE_LINKED, Context, Hit, rule
from dpia.engine.proportionality import traces_movements_of_everyone

RULES: dict = {}

ANALYTICS = FRT | {"video_analytics", "anpr", "audio_sensors", "predictive_algorithms", "social_media_monitoring"}
# An objective stated in fewer words than this cannot say what, where and against which problem.
MIN_OBJECTIVE_WORDS = 8


def _set_aside(ctx: Context) -> list:
    """The alternatives the project did not adopt: only those can show that a less intrusive way was left."""
    return [a for a in ctx.items("necessity.alternatives") if a.get("adopted") != "yes"]


@rule(RULES, "legitimate_aim.vague_objective")
def vague_objective(ctx: Context):
    objective = ctx.text("necessity.objective")
    if objective and len(objective.split()) < MIN_OBJECTIVE_WORDS:
        yield Hit("legitimate_aim.vague_objective", ("necessity.objective",))


@rule(RULES, "legitimate_aim.problem_not_evidenced")
def problem_not_evidenced(ctx: Context):
    evidence = ctx.choices("necessity.problem_evidence")
    if ctx.answered("necessity.problem") and (not evidence or evidence == {"none"}):
        yield Hit("legitimate_aim.problem_not_evidenced", ("necessity.problem", "necessity.problem_evidence"))


# People a covert measure singles out: those linked to an offence, and the victims, witnesses and contacts
# around them (not groups such as staff or pupils), whatever their age (Stream.roles).
SINGLED_OUT = OFFENCE_LINKED | {"victims", "witnesses_contacts"}


@rule(RULES, "legitimate_aim.covert_measure_for_any_offence")
def covert_measure_for_any_offence(ctx: Context):
    for s in ctx.streams:
        if not ctx.covert_of(s):
            continue
        if ctx.is_law_enforcement_purpose(s.purpose_kind) and s.roles and s.roles <= SINGLED_OUT \
                and ctx.of_stream("legality.offences_served", s) == "any_offence":
            yield Hit("legitimate_aim.covert_measure_for_any_offence", ("legality.offences_served", "streams.list"),
                      s.key)


# Only the fight against serious crime can justify a serious interference (CJEU Ministerio Fiscal), and the
# Court of Justice applies this to stored traffic and location data (La Quadrature du Net). Stored plate or
# device reads of everyone reveal movements in the same way (our reading): a law that lets them serve any
# offence fails on its aim once the interference is serious; lighter, it is only noted (profile aim_weight).
@rule(RULES, "legitimate_aim.movements_of_everyone_for_any_offence")
def movements_of_everyone_for_any_offence(ctx: Context):
    for s in ctx.streams:
        days = s.item.get("retention_days")
        if ctx.is_law_enforcement_purpose(s.purpose_kind) and traces_movements_of_everyone(ctx, s) \
                and isinstance(days, int | float) and days > 0 \
                and ctx.of_stream("legality.offences_served", s) == "any_offence":
            yield Hit("legitimate_aim.movements_of_everyone_for_any_offence",
                      ("legality.offences_served", "streams.list"), s.key, params=ctx.period(days))


@rule(RULES, "evidence.problem_claim_without_document")
def problem_claim(ctx: Context):
    evidence = ctx.choices("necessity.problem_evidence") - {"none"}
    if evidence and not (ctx.has_evidence("necessity.problem_evidence")
                         or ctx.has_evidence("necessity.problem_evidence_detail")
                         or ctx.has_evidence("necessity.problem")):
        yield Hit("evidence.problem_claim_without_document", ("necessity.problem_evidence",))


@rule(RULES, "necessity.listed_by_association")
def listed_by_association(ctx: Context):
    for s in ctx.streams:
        if "association" in ctx.of_stream("legality.listing_grounds", s, []):
            yield Hit("necessity.listed_by_association", ("legality.listing_grounds",), s.key)


@rule(RULES, "necessity.operates_beyond_problem_times")
def operates_beyond_problem_times(ctx: Context):
    """A system running at all hours for a problem the user places at some hours or events: the other hours
    capture people with nothing to justify it (GDPR Art. 5(1)(c); EDPB 3/2019 on limiting monitoring in time)."""
    times = ctx.get("necessity.problem_times")
    if ctx.get("project.operation") != "continuous" or times not in ("certain_times", "during_events") \
            or ctx.anonymous_at_source:
        return
    when = ctx.reason(f"necessity.problem_times.{times}")
    yield Hit("necessity.operates_beyond_problem_times", ("project.operation", "necessity.problem_times"),
              params={"when": when.en, "when_fr": when.fr})


@rule(RULES, "necessity.effectiveness_unsupported")
def effectiveness_unsupported(ctx: Context):
    question = ctx.bank.question("necessity.effectiveness_evidence")
    if ctx.get("necessity.effectiveness_evidence") in ("none", "vendor_claims"):
        yield Hit("necessity.effectiveness_unsupported", ("necessity.effectiveness_evidence",),
                  params={"source": question.choice_label(ctx.get("necessity.effectiveness_evidence"), "en"),
                          "source_fr": question.choice_label(ctx.get("necessity.effectiveness_evidence"), "fr")})


@rule(RULES, "evidence.effectiveness_claim_without_document")
def effectiveness_document(ctx: Context):
    if ctx.get("necessity.effectiveness_evidence") in ("independent_evaluation", "internal_statistics",
                                                        "pilot_results") and not (
            ctx.has_evidence("necessity.effectiveness_evidence")
            or ctx.has_evidence("necessity.effectiveness_description")):
        yield Hit("evidence.effectiveness_claim_without_document",
                  ("necessity.effectiveness_evidence", "necessity.effectiveness_description"))


@rule(RULES, "necessity.accuracy_not_evidenced")
def accuracy(ctx: Context):
    if ctx.technologies & ANALYTICS and not ctx.answered("necessity.accuracy_evidence"):
        yield Hit("necessity.accuracy_not_evidenced", ("necessity.accuracy_evidence", "project.technologies"))


@rule(RULES, "necessity.no_alternatives")
def no_alternatives(ctx: Context):
    if not ctx.items("necessity.alternatives"):
        yield Hit("necessity.no_alternatives", ("necessity.alternatives",))


@rule(RULES, "necessity.less_intrusive_alternative_available")
def less_intrusive_available(ctx: Context):
    for alternative in _set_aside(ctx):
        if alternative.get("less_intrusive") == "yes" and alternative.get("effective_enough") == "yes":
            yield Hit("necessity.less_intrusive_alternative_available", ("necessity.alternatives",),
                      params={"alternative": alternative.get("alternative", "")})


@rule(RULES, "necessity.alternative_rejected_without_reason")
def rejected_without_reason(ctx: Context):
    for alternative in _set_aside(ctx):
        if alternative.get("less_intrusive") in ("yes", "unknown") and not alternative.get("why_rejected"):
            yield Hit("necessity.alternative_rejected_without_reason", ("necessity.alternatives",),
                      params={"alternative": alternative.get("alternative", "")})


@rule(RULES, "necessity.not_least_intrusive")
def not_least_intrusive(ctx: Context):
    if ctx.get("necessity.least_intrusive") == "no":
        yield Hit("necessity.not_least_intrusive", ("necessity.least_intrusive",))


@rule(RULES, "necessity.retention_unjustified")
def retention(ctx: Context):
    limit = ctx.bank.thresholds["retention_days_needing_reasons"].value
    long_kept = [s for s in ctx.streams if isinstance(s.item.get("retention_days"), int | float)
                 and s.item["retention_days"] > limit]
    if long_kept and not ctx.answered("necessity.retention_reasons"):
        yield Hit("necessity.retention_unjustified", ("streams.list", "necessity.retention_reasons"),
                  params={"days": int(limit)})


@rule(RULES, "necessity.retention_not_fixed")
def retention_not_fixed(ctx: Context):
    for s in ctx.streams:
        if s.item.get("retention_fixed") == "not_yet":
            yield Hit("necessity.retention_not_fixed", ("streams.list", "streams.retention_by_category"), s.key)


@rule(RULES, "necessity.no_deletion")
def no_deletion(ctx: Context):
    if ctx.get("necessity.deletion_mechanism") == "none":
        yield Hit("necessity.no_deletion", ("necessity.deletion_mechanism",))


# Equipment often does more than the project uses (a microphone, a recognition module, masks an operator can
# lift). What an operator can switch on is a different processing waiting to happen: by design and by
# default, regulators ask that it be removed or locked (GDPR Art. 25, LED Art. 20).
@rule(RULES, "necessity.unused_capability_not_locked")
def unused_capability_not_locked(ctx: Context):
    unused = sorted(ctx.choices("necessity.unused_capabilities") - {"none"})
    locked = ctx.get("necessity.unused_capabilities_locked")
    if not unused or locked == "locked":
        return
    functions, state = ctx.bank.question("necessity.unused_capabilities"), \
        ctx.bank.question("necessity.unused_capabilities_locked")

    not_said = ctx.reason("necessity.unused_capabilities_lock_not_said")

    def said(language: str) -> str:
        return state.choice_label(locked, language) if locked else not_said.get(language)

    yield Hit("necessity.unused_capability_not_locked",
              ("necessity.unused_capabilities", "necessity.unused_capabilities_locked"),
              params={"what": "; ".join(functions.choice_label(v, "en").lower() for v in unused),
                      "what_fr": " ; ".join(functions.choice_label(v, "fr").lower() for v in unused),
                      "state": said("en").lower(), "state_fr": said("fr").lower()})


@rule(RULES, "evidence.anonymisation_claim_unsupported")
def anonymisation(ctx: Context):
    if ctx.get("streams.anonymisation_claim") == "yes" and not (
            ctx.has_evidence("streams.anonymisation_method") or ctx.has_evidence("streams.anonymisation_claim")):
        yield Hit("evidence.anonymisation_claim_unsupported",
                  ("streams.anonymisation_claim", "streams.anonymisation_method"))


@rule(RULES, "evidence.no_storage_claim_unsupported")
def no_storage(ctx: Context):
    if ctx.anonymous_at_source:  # the anonymisation evidence already shows what is (not) kept
        return
    for s in ctx.streams:
        if s.item.get("retention_days") == 0 and not (
                ctx.has_evidence("streams.list") or ctx.has_evidence("streams.retention_by_category")):
            yield Hit("evidence.no_storage_claim_unsupported", ("streams.list", "streams.retention_by_category"),
                      s.key)
