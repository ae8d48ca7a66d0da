"""Regime per processing stream: GDPR, LED, or outside EU law (which must be justified)."""

from __future__ import annotations

from dpia.engine.bank import Citation, Text
from dpia.engine.context import LED_CONTROLLERS, LED_PURPOSES, Context, Hit, Stream, rule
from dpia.engine.result import StreamRegime

RULES: dict = {}


def decide(item, jurisdiction: str | None) -> tuple[str, list[Text], list[Citation]]:
    controller, purpose = item.get("controller_kind"), item.get("purpose_kind")
    if jurisdiction == "non_eu":
        return "outside_eu_law", [Text(
            "The system is used outside the EU and the EEA: EU data-protection law does not apply as such; "
            "national law modelled on it and the European Convention on Human Rights may.",
            "Le système est utilisé hors de l'UE et de l'EEE : le droit de l'Union sur la protection des données "
            "ne s'applique pas en tant que tel ; un droit national qui s'en inspire et la Convention européenne "
            "des droits de l'homme peuvent s'appliquer.")], [Citation("GDPR", "2"), Citation("ECHR", "8")]
    if purpose == "national_security" and controller == "intelligence_service":
        return "outside_eu_law", [Text(
            "An intelligence or state-security service acting for national security is outside EU "
            "data-protection law; the claim must be justified and human-rights law still applies.",
            "Un service de renseignement ou de sûreté agissant pour la sécurité nationale échappe au droit de "
            "l'Union sur la protection des données ; cela doit être justifié et les droits fondamentaux "
            "s'appliquent toujours.")], [Citation("GDPR", "2", "2", "a"), Citation("LED", "2", "3", "a")]
    if controller in LED_CONTROLLERS and purpose in LED_PURPOSES:
        return "led", [Text(
            "A competent authority processes the data for a law-enforcement purpose.",
            "Une autorité compétente traite les données à une fin répressive.")], [
            Citation("LED", "3", "7"), Citation("LED", "1", "1")]
    if controller in LED_CONTROLLERS:
        reason = Text("A competent authority, but for a purpose other than law enforcement: the GDPR governs "
                      "those tasks.",
                      "Une autorité compétente, mais pour une finalité autre que répressive : le RGPD régit ces "
                      "missions.")
        return "gdpr", [reason], [Citation("LED", "9", "2"), Citation("GDPR", "2", "2", "d")]
    return "gdpr", [Text("The controller is not a competent authority acting for law enforcement.",
                         "Le responsable du traitement n'est pas une autorité compétente agissant à des fins "
                         "répressives.")], [Citation("GDPR", "2", "2", "d"), Citation("LED", "3", "7")]


def streams_of(ctx: Context) -> list[Stream]:
    jurisdiction = ctx.get("screening.jurisdiction")
    out = []
    for index, item in enumerate(ctx.items("streams.list"), start=1):
        regime, _, _ = decide(item, jurisdiction)
        out.append(Stream(key=str(item.get("key") or index), name=str(item.get("name") or f"#{index}"),
                          item=item, regime=regime))
    return out


def assess_regimes(ctx: Context) -> tuple[StreamRegime, ...]:
    jurisdiction = ctx.get("screening.jurisdiction")
    out = []
    for stream in ctx.streams:
        regime, reasons, citations = decide(stream.item, jurisdiction)
        out.append(StreamRegime(stream=stream.key, name=stream.name, regime=regime, reasons=tuple(reasons),
                                citations=tuple(citations)))
    return tuple(out)


@rule(RULES, "regime.national_security_non_security_body")
def national_security_by_other_body(ctx: Context):
    for stream in ctx.streams:
        if stream.purpose_kind == "national_security" and stream.controller_kind != "intelligence_service":
            yield Hit("regime.national_security_non_security_body", ("streams.list",), stream.key)


@rule(RULES, "regime.led_purpose_without_competent_authority")
def led_purpose_without_authority(ctx: Context):
    """A city or company pursuing crime prevention itself: GDPR applies, and the power is doubtful."""
    for stream in ctx.streams:
        if stream.regime == "gdpr" and stream.purpose_kind in LED_PURPOSES:
            yield Hit("regime.led_purpose_without_competent_authority", ("streams.list",), stream.key)


@rule(RULES, "regime.mixed_regimes")
def mixed_regimes(ctx: Context):
    if len({s.regime for s in ctx.streams}) > 1:
        yield Hit("regime.mixed_regimes", ("streams.list",))


@rule(RULES, "regime.no_streams")
def no_streams(ctx: Context):
    if not ctx.streams:
        yield Hit("regime.no_streams", ("streams.list",))
