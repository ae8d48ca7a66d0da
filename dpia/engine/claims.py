"""Facts over self-assessment: where the facts settle a point whatever the user concluded, the
finding shows the user's own conclusion (`Hit.stated`) beside the engine's."""

from __future__ import annotations

import re

from dpia.engine.conditions import evaluate
from dpia.engine.context import BIOMETRIC_DATA, PUBLIC_CONTROLLERS, Context, Hit, rule
from dpia.engine.legality import CONSENT_BY_SILENCE, relies_on_consent

RULES: dict = {}

# People who depend on the controller cannot freely refuse (GDPR Recital 43; EDPB 05/2020).
DEPENDENT_PEOPLE = {"minors", "employees", "vulnerable_people"}
# A stored period written in words ("15 days", "30 jours", "6 months").
KEPT_FOR = re.compile(r"\b0*[1-9]\d*\s*(days?|jours?|weeks?|semaines?|months?|mois|years?|ans?|h|hours?|heures?)\b",
                      re.IGNORECASE)


def _alternative_for_refusers(ctx: Context, stream) -> dict | None:
    """The facts that rebut the presumption for one stream: whoever refuses gets the same service
    another way (the stream's own answer), and the design keeps a less intrusive alternative for them:
    one the assessment says is kept for whoever refuses, or one the catalogue knows to serve refusers
    for this kind of processing (a badge beside the face scanner)."""
    if ctx.of_stream("legality.consent_refusal_option", stream) != "same_service_other_means":
        return None
    for alternative in ctx.items("necessity.alternatives"):
        if alternative.get("adopted") != "yes" or alternative.get("less_intrusive") != "yes":
            continue
        if alternative.get("for_refusers") == "yes":  # the design itself keeps it for whoever refuses
            return alternative
        entry = ctx.bank.alternatives.get(alternative.get("catalogue_entry"))
        if entry is not None and entry.for_refusers and evaluate(entry.when, ctx.answers_for(stream), stream.item):
            return alternative
    return None


def _consent_of_dependent_people(ctx: Context):
    """Streams relying on consent from people who depend on the controller or face a public authority,
    where the assessment does not itself say the consent is unfree (that is legality.consent_not_free)."""
    for s in ctx.streams:
        if not relies_on_consent(ctx, s) or ctx.of_stream("legality.consent_free", s) == "no":
            continue
        # People held (custody, prison) cannot refuse whoever holds them, public or private.
        held = "places_of_detention" in ctx.places
        if s.subjects & DEPENDENT_PEOPLE or s.controller_kind in PUBLIC_CONTROLLERS or held:
            yield s


def _rebutted(ctx: Context, stream) -> dict | None:
    """Consent can stand only if it is an act of the person, said to be free, and refusing has a real
    outlet; silence is no consent at all (legality.consent_not_affirmative)."""
    if ctx.of_stream("legality.consent_free", stream) != "yes" or \
            ctx.of_stream("legality.consent_collection", stream) in CONSENT_BY_SILENCE:
        return None
    return _alternative_for_refusers(ctx, stream)


@rule(RULES, "claims.consent_presumed_not_free")
def consent_presumed_not_free(ctx: Context):
    """Pupils, staff and anyone facing a public authority: consent is presumed not free, whatever
    the form says (a "no" is the user's own finding, legality.consent_not_free). The presumption
    gives way only to facts: the same service offered another way to whoever refuses."""
    for s in _consent_of_dependent_people(ctx):
        if not _rebutted(ctx, s):
            yield Hit("claims.consent_presumed_not_free", ("legality.consent_free", "streams.list"), s.key,
                      stated="legality.consent_free")


@rule(RULES, "claims.consent_of_dependent_people_needs_equal_alternative")
def consent_needs_equal_alternative(ctx: Context):
    """The presumption rebutted (GDPR Recital 42, EDPB 05/2020: consent stands where refusing brings no
    detriment): consent holds on the condition that refusing stays costless."""
    for s in _consent_of_dependent_people(ctx):
        kept = _rebutted(ctx, s)
        if kept:
            yield Hit("claims.consent_of_dependent_people_needs_equal_alternative",
                      ("legality.consent_refusal_option", "necessity.alternatives", "streams.list"), s.key,
                      {"alternative": kept.get("alternative") or kept.get("catalogue_entry")})


@rule(RULES, "evidence.necessity_claim_without_alternatives")
def least_intrusive_with_nothing_weighed(ctx: Context):
    if ctx.get("necessity.least_intrusive") == "yes" and not ctx.items("necessity.alternatives"):
        yield Hit("evidence.necessity_claim_without_alternatives",
                  ("necessity.least_intrusive", "necessity.alternatives"), stated="necessity.least_intrusive")


@rule(RULES, "claims.essence_claimed_for_blanket_identification")
def essence_claimed(ctx: Context):
    """Identifying everyone who passes by their body cannot be assumed to leave the essence intact."""
    if ctx.get("proportionality.essence_respected") != "yes":
        return
    for s in ctx.streams:
        if s.data & BIOMETRIC_DATA and s.subjects & {"general_public", "protesters"}:
            yield Hit("claims.essence_claimed_for_blanket_identification",
                      ("proportionality.essence_respected", "streams.list"), s.key,
                      stated="proportionality.essence_respected")


def _kept_anyway(ctx: Context) -> bool:
    return ctx.get("streams.anonymisation_raw_data") in ("kept", "kept_briefly") or \
        ctx.get("necessity.deletion_mechanism") in ("periodic_review", "manual_deletion") or \
        bool(KEPT_FOR.search(ctx.text("streams.retention_by_category")))


@rule(RULES, "claims.no_storage_but_kept")
def no_storage_but_kept(ctx: Context):
    if not _kept_anyway(ctx):
        return
    for s in ctx.streams:
        if s.item.get("retention_days") == 0:
            yield Hit("claims.no_storage_but_kept", ("streams.list", "streams.retention_by_category",
                                                     "necessity.deletion_mechanism"), s.key)
